"""Daily deadline reminders: who is mailed about which case, and never twice a day."""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from klachtformulieren.cases.case_file import days_left_text
from klachtformulieren.correspondence.reminders import cases_needing_reminder, reminder_values, send_deadline_reminders
from klachtformulieren.models import Notification, Outcome, Status
from tests.factories import ComplaintFactory, UserFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at_noon(day):
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=AMSTERDAM)


def case_due_on(municipality, due, **kwargs):
    """An open case whose decision (Awb 9:11, 6 weeks after receipt) is due on ``due``, a working day."""
    kwargs.setdefault("status", Status.HANDLING)
    complaint = ComplaintFactory(
        municipality=municipality, received_at=at_noon(due - datetime.timedelta(weeks=6)), **kwargs
    )
    assert complaint.decision_due_on == due
    return complaint


def reminders():
    return Notification.objects.filter(kind=Notification.Kind.DEADLINE_REMINDER)


@pytest.fixture
def handler():
    return UserFactory(username="handler", first_name="Hanna", last_name="Handel")


def test_cases_due_within_three_working_days_or_overdue_are_picked(municipality, handler):
    today = datetime.date(2026, 12, 15)  # Tuesday; three working days on is Friday 18 December
    overdue = case_due_on(municipality, datetime.date(2026, 12, 14), handler=handler)
    due_today = case_due_on(municipality, datetime.date(2026, 12, 15), handler=handler)
    due_friday = case_due_on(municipality, datetime.date(2026, 12, 18), handler=handler)
    case_due_on(municipality, datetime.date(2026, 12, 21), handler=handler)  # Monday: four working days
    case_due_on(municipality, datetime.date(2026, 12, 14), handler=handler, outcome=Outcome.RESOLVED_INFORMALLY)
    unassigned = case_due_on(municipality, datetime.date(2026, 12, 16))

    assert list(cases_needing_reminder(today, within_working_days=3)) == [overdue, due_today, unassigned, due_friday]


def test_christmas_does_not_count_as_a_working_day(municipality, handler):
    today = datetime.date(2026, 12, 23)  # Wednesday; then Thu 24, (Christmas, Boxing Day, weekend), Mon 28, Tue 29
    due_tuesday = case_due_on(municipality, datetime.date(2026, 12, 29), handler=handler)
    case_due_on(municipality, datetime.date(2026, 12, 30), handler=handler)

    assert list(cases_needing_reminder(today, within_working_days=3)) == [due_tuesday]


@time_machine.travel(at_noon(datetime.date(2026, 12, 15)), tick=False)
def test_the_handler_gets_one_reminder_with_a_link_to_the_case(
    municipality, handler, django_capture_on_commit_callbacks
):
    complaint = case_due_on(municipality, datetime.date(2026, 12, 17), handler=handler)

    with django_capture_on_commit_callbacks(execute=True):
        run = send_deadline_reminders(within=3, base_url="https://klachten.example/")

    (reminder,) = run.queued
    assert reminder.complaint == complaint
    assert reminder.recipient == handler.email
    assert complaint.reference in reminder.subject
    assert "Hanna Handel" in reminder.body
    assert "https://klachten.example/admin/" in reminder.body
    assert reminder_values(complaint, datetime.date(2026, 12, 15))["days_left"] == days_left_text(2)
    (sent,) = mail.outbox
    assert sent.to == [handler.email]


@time_machine.travel(at_noon(datetime.date(2026, 12, 15)), tick=False)
def test_a_case_without_a_handler_is_brought_to_the_coordinators(municipality):
    complaint = case_due_on(municipality, datetime.date(2026, 12, 14), status=Status.RECEIVED)

    run = send_deadline_reminders()

    (reminder,) = run.queued
    assert reminder.complaint == complaint
    assert reminder.recipient == municipality.coordinators_email


def test_a_case_is_reminded_at_most_once_a_day_and_again_the_next_day(municipality, handler):
    complaint = case_due_on(municipality, datetime.date(2026, 12, 14), handler=handler)

    with time_machine.travel(at_noon(datetime.date(2026, 12, 15)), tick=False):
        first = send_deadline_reminders()
    with time_machine.travel(at_noon(datetime.date(2026, 12, 15)) + datetime.timedelta(hours=6), tick=False):
        second = send_deadline_reminders()
    with time_machine.travel(at_noon(datetime.date(2026, 12, 16)), tick=False):
        next_day = send_deadline_reminders()

    assert len(first.queued) == 1
    assert second.queued == [] and second.already_reminded == [complaint]
    assert len(next_day.queued) == 1
    assert reminders().count() == 2


@time_machine.travel(at_noon(datetime.date(2026, 12, 15)), tick=False)
def test_catching_up_an_earlier_date_does_not_remind_twice_today(municipality, handler):
    case_due_on(municipality, datetime.date(2026, 12, 14), handler=handler)

    send_deadline_reminders()
    catching_up = send_deadline_reminders(datetime.date(2026, 12, 11))

    assert catching_up.queued == []
    assert reminders().count() == 1


@time_machine.travel(at_noon(datetime.date(2026, 12, 15)), tick=False)
def test_a_handler_without_an_email_address_is_skipped_and_reported(municipality, handler):
    silent = case_due_on(municipality, datetime.date(2026, 12, 15), handler=UserFactory(email=""))
    reachable = case_due_on(municipality, datetime.date(2026, 12, 15), handler=handler)

    run = send_deadline_reminders()

    assert [reminder.complaint for reminder in run.queued] == [reachable]
    assert run.without_address == [silent]
    assert not reminders().filter(complaint=silent).exists()


@time_machine.travel(at_noon(datetime.date(2026, 12, 15)), tick=False)
def test_the_daily_command_queues_reminders_and_says_how_many(municipality, handler):
    case_due_on(municipality, datetime.date(2026, 12, 15), handler=handler)
    case_due_on(municipality, datetime.date(2026, 12, 21), handler=handler)  # four working days on
    silent = case_due_on(municipality, datetime.date(2026, 12, 15), handler=UserFactory(email=""))
    out, err = StringIO(), StringIO()

    call_command("send_deadline_reminders", "--base-url", "https://klachten.example", stdout=out, stderr=err)

    assert reminders().count() == 1
    assert re.search(r"\b1\b", out.getvalue())
    assert silent.reference in err.getvalue()
    assert reminders().get().body.count("https://klachten.example/admin/") == 1


@time_machine.travel(at_noon(datetime.date(2026, 12, 15)), tick=False)
def test_the_command_takes_a_date_and_a_number_of_working_days(municipality, handler):
    case_due_on(municipality, datetime.date(2026, 12, 21), handler=handler)

    call_command("send_deadline_reminders", "--date", "2026-12-15", "--within", "3", stdout=StringIO())
    assert reminders().count() == 0

    call_command("send_deadline_reminders", "--date", "2026-12-16", stdout=StringIO())
    assert reminders().count() == 1
