"""The outbox always ends: every mail is sent or marked not sent, none is sent twice by two workers."""

import datetime
import io
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from klachtformulieren.correspondence import delivery
from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.models import Notification
from tests.factories import ComplaintFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


def queued(complaint=None, **values):
    complaint = complaint or ComplaintFactory()
    return queue_notification(
        complaint,
        Notification.Kind.ACKNOWLEDGEMENT,
        recipient="jan@example.org",
        values={"reference": complaint.reference, "name": "Jan", **values},
    )


def deliver_command():
    """deliver_notifications' exit code: 0, or 1 while due mails stay undelivered."""
    try:
        call_command("deliver_notifications", stdout=io.StringIO())
    except SystemExit as exit:
        return exit.code
    return 0


@time_machine.travel(NOW, tick=False)
def test_a_mail_server_that_is_down_is_tried_again_with_growing_pauses(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.BrokenBackend"
    notification = queued()

    assert delivery.deliver(notification.pk).outcome == delivery.RETRY
    notification.refresh_from_db()
    assert notification.state == Notification.State.PENDING
    assert notification.next_attempt_at == NOW + datetime.timedelta(minutes=5)
    assert "SMTPServerDisconnected" in notification.last_error
    # Not due yet: nothing tried, and nothing for monitoring to worry about.
    assert delivery.deliver(notification.pk) is None
    assert deliver_command() == 0

    with time_machine.travel(NOW + datetime.timedelta(minutes=6), tick=False):
        assert deliver_command() == 1  # due and still undelivered
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert notification.next_attempt_at == NOW + datetime.timedelta(minutes=6 + 15)


def test_a_mail_still_refused_after_48_hours_is_marked_not_sent_and_the_command_stops_failing(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.GreylistingBackend"
    with time_machine.travel(NOW, tick=False):
        notification = queued()
    moment = NOW
    codes = []
    while moment < NOW + datetime.timedelta(hours=60):
        with time_machine.travel(moment, tick=False):
            codes.append(deliver_command())
        moment += datetime.timedelta(minutes=30)

    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED
    assert "48" in notification.last_error and "451" in notification.last_error
    assert notification.attempts < 20  # backoff, not a try every run
    assert codes[-1] == 0 and 1 in codes
    assert mail.outbox == []


def test_a_permanent_refusal_fails_at_once_with_the_servers_reason(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    notification = queued()

    assert delivery.deliver(notification.pk).outcome == delivery.FAILED

    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED
    assert notification.attempts == 1
    assert notification.last_error.startswith("550 5.1.1 User unknown")
    assert deliver_command() == 0


def test_line_breaks_in_a_name_never_reach_the_subject_header():
    complaint = ComplaintFactory()
    notification = queue_notification(
        complaint,
        Notification.Kind.ACKNOWLEDGEMENT,
        recipient="jan@example.org",
        values={"reference": "Jan\r\nBcc: iedereen@example.org", "name": "x"},
    )

    assert "\n" not in notification.subject and "\r" not in notification.subject
    assert delivery.deliver(notification.pk).outcome == delivery.SENT
    # The case's own reference follows in brackets (for replies by e-mail).
    assert mail.outbox[0].subject.endswith(f"(Jan Bcc: iedereen@example.org) [{complaint.reference}]")
    assert mail.outbox[0].to == ["jan@example.org"]


def test_an_address_that_is_no_address_fails_at_once():
    notification = queued()
    Notification.objects.filter(pk=notification.pk).update(recipient="jan@example.org\r\nBcc: x@example.org")

    assert delivery.deliver(notification.pk).outcome == delivery.FAILED
    assert mail.outbox == []


def test_every_mail_has_its_own_message_id_kept_for_its_retries(settings):
    settings.DEFAULT_FROM_EMAIL = "Gemeente Proefdorp <klachten@proefdorp.example>"
    settings.EMAIL_BACKEND = "tests.mail_backends.BrokenBackend"
    first, second = queued(), queued()
    delivery.deliver(first.pk)
    first.refresh_from_db()
    message_id = first.message_id

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=first.pk).update(next_attempt_at=None)
    delivery.deliver(first.pk)
    delivery.deliver(second.pk)

    assert message_id.startswith("<") and message_id.endswith("@proefdorp.example>")
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [
        message_id,
        Notification.objects.get(pk=second.pk).message_id,
    ]
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == 2


def test_a_mail_the_server_accepted_is_sent_even_if_saying_goodbye_fails(settings):
    """Killing delivery while the server was slow to answer QUIT gave a duplicate."""
    settings.EMAIL_BACKEND = "tests.mail_backends.HangsUpAfterAcceptingBackend"
    notification = queued()

    assert delivery.deliver(notification.pk).outcome == delivery.SENT
    assert deliver_command() == 0

    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notification.pk).state == Notification.State.SENT


def test_a_claim_of_a_worker_that_died_is_released_and_sent_with_the_same_message_id():
    notification = queued()
    with time_machine.travel(NOW, tick=False):
        claimed = delivery._claim(notification.pk, NOW)  # the worker dies here
    assert claimed.state == Notification.State.SENDING

    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        assert delivery.deliver_due().sent == 0  # still another worker's
    with time_machine.travel(NOW + datetime.timedelta(minutes=20), tick=False):
        assert delivery.deliver_due().sent == 1

    assert mail.outbox[0].extra_headers["Message-ID"] == claimed.message_id


def test_a_mail_claimed_by_one_worker_is_not_sent_by_another():
    notification = queued()
    delivery._claim(notification.pk, NOW)

    assert delivery.deliver(notification.pk) is None
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_parallel_delivery_runs_send_each_mail_exactly_once(settings):
    """Two parallel runs on SQLite sent 68 mails for 67 records (here on PostgreSQL; the SQLite
    file database has its own test in tests/portal/test_settings.py)."""
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database is one connection; see the SQLite file test")
    settings.EMAIL_BACKEND = "tests.mail_backends.SlowCountingBackend"
    complaint = ComplaintFactory()
    for _ in range(40):
        queued(complaint)

    def run():
        try:
            delivery.deliver_due()
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    message_ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert len(message_ids) == 40 == len(set(message_ids))
    assert Notification.objects.filter(state=Notification.State.SENT).count() == 40


def test_resend_starts_a_fresh_series_of_tries(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    notification = queued()
    delivery.deliver(notification.pk)
    user = UserFactory()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with time_machine.travel(NOW + datetime.timedelta(days=5), tick=False):
        assert delivery.resend(notification, user)
        assert delivery.deliver_due().sent == 1

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.give_up_at == NOW + datetime.timedelta(days=5, hours=48)
    assert not delivery.resend(notification, user)  # sent: nothing to send again


def test_a_mail_not_sent_can_be_sent_by_post_instead():
    notification = queued()
    Notification.objects.filter(pk=notification.pk).update(state=Notification.State.FAILED, last_error="550")
    user = UserFactory()

    assert delivery.mark_sent_by_post(notification, user)

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.medium == Notification.Medium.POST
    assert notification.sent_at is not None
    assert not delivery.deliver_due().sent
