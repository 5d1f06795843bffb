"""The outbox: a mail server that is down never loses or fails a submission."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from klachtformulieren.correspondence.texts import render_text
from klachtformulieren.models import Complaint, MailTemplate, Notification

pytestmark = pytest.mark.django_db

BROKEN_BACKEND = "tests.mail_backends.BrokenBackend"


def test_submission_succeeds_while_the_mail_server_is_down_and_mails_go_out_once_after(
    file_complaint, client, form_page, valid_post, settings
):
    settings.EMAIL_BACKEND = BROKEN_BACKEND

    response = file_complaint(form_page, valid_post)

    assert response.status_code == 302
    assert Complaint.objects.count() == 1
    waiting = Notification.objects.filter(state=Notification.State.PENDING)
    assert waiting.count() == 2
    assert all("SMTPServerDisconnected" in n.last_error and n.attempts == 1 for n in waiting)

    later = timezone.now() + datetime.timedelta(minutes=10)
    with time_machine.travel(later), pytest.raises(SystemExit):  # still down: the command says so to cron
        call_command("deliver_notifications", stdout=io.StringIO())
    assert Notification.objects.filter(state=Notification.State.PENDING, attempts=2).count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(later + datetime.timedelta(hours=1)):
        call_command("deliver_notifications", stdout=io.StringIO())
        call_command("deliver_notifications", stdout=io.StringIO())

    assert len(mail.outbox) == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["coordinatoren@proefdorp.example", "jan@example.org"]
    assert not Notification.objects.filter(state=Notification.State.PENDING).exists()
    assert all(n.sent_at and n.last_error == "" for n in Notification.objects.all())


def test_letters_by_post_are_not_mailed(file_complaint, client, form_page, valid_post):
    file_complaint(form_page, {**valid_post, "email": "", "postal_address": "Dorpsstraat 1"})
    mail.outbox.clear()

    call_command("deliver_notifications", stdout=io.StringIO())

    assert mail.outbox == []


def test_editors_mail_text_is_used_with_its_placeholders(file_complaint, client, form_page, valid_post):
    MailTemplate.objects.create(
        kind=Notification.Kind.ACKNOWLEDGEMENT,
        subject="Ontvangen: {reference}",
        body="Hallo {name}, besluit uiterlijk {decision_due}. {onbekend} {status_link}",
    )

    file_complaint(form_page, valid_post)

    acknowledgement = Notification.objects.get(kind=Notification.Kind.ACKNOWLEDGEMENT)
    reference = Complaint.objects.get().reference
    assert acknowledgement.subject == f"Ontvangen: {reference}"
    assert acknowledgement.body.startswith("Hallo Jan de Klager, besluit uiterlijk ")
    assert "{onbekend}" in acknowledgement.body
    assert "/klachten/status/" in acknowledgement.body


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{reference}", "2026-000001"),
        ("{unknown}", "{unknown}"),
        ("{reference.__class__}", "{reference.__class__}"),
        ("{reference[0]}", "{reference[0]}"),
        ("{{letterlijk}}", "{letterlijk}"),
    ],
)
def test_mail_placeholders_cannot_reach_into_objects(template, expected):
    assert render_text(template, {"reference": "2026-000001"}) == expected


def test_a_mail_text_with_an_unknown_placeholder_is_refused_on_save(client, municipality):
    from django.urls import reverse

    from klachtformulieren.cases import roles
    from tests.factories import role_user

    client.force_login(role_user(roles.ADMINISTRATOR, municipalities=[municipality]))
    url = reverse("wagtailsnippets_klachtformulieren_mailtemplate:add")

    typo = client.post(
        url,
        {
            "municipality": municipality.pk,
            "kind": "acknowledgement",
            "subject": "Ontvangen: {kenmerk}",
            "body": "Beste {naam}, uw besluit volgt uiterlijk {besluit_uitelrijk}.",
        },
    )
    right = client.post(
        url,
        {
            "municipality": municipality.pk,
            "kind": "acknowledgement",
            "subject": "Ontvangen: {kenmerk}",
            "body": "Beste {naam}, uw besluit volgt uiterlijk {besluit_uiterlijk}.",
        },
    )

    assert "Onbekende invulplek {besluit_uitelrijk}" in typo.content.decode()
    assert right.status_code == 302
    assert MailTemplate.objects.get().body.endswith("{besluit_uiterlijk}.")


def test_dutch_and_english_placeholders_are_both_filled_in():
    from klachtformulieren.correspondence.texts import render_text

    assert render_text("{kenmerk} = {reference}; {onbekend}", {"reference": "2026-000001"}) == (
        "2026-000001 = 2026-000001; {onbekend}"
    )


def test_a_paragraph_whose_placeholders_are_all_empty_is_left_out():
    from klachtformulieren.correspondence.texts import render_body

    text = render_body(
        "Beste {naam},\n\nHoe het staat, ziet u via deze link: {statuslink}\nBewaar hem goed.\n\n"
        "Dit heeft u ingevuld:\n{antwoorden}\n\nMet vriendelijke groet",
        {"name": "Jan", "status_link": "", "answers": ""},
    )

    assert text == "Beste Jan,\n\nMet vriendelijke groet"


def test_a_phone_complaint_taken_by_staff_gets_no_sentence_about_a_link_it_does_not_have(client, municipality):
    from django.urls import reverse

    from klachtformulieren.cases import roles
    from tests.factories import role_user

    client.force_login(role_user(roles.COORDINATOR, municipalities=[municipality]))
    client.post(
        reverse("klachtformulieren_cases:add"),
        {
            "municipality": municipality.pk,
            "channel": "phone",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "name": "Meneer Beller",
            "postal_address": "Kerkstraat 2\n1234 AB Proefdorp",
            "description": "Steeds doorverbonden.",
            "conduct_date": timezone.localdate().isoformat(),
        },
    )

    letter = Notification.objects.get(kind=Notification.Kind.ACKNOWLEDGEMENT)
    assert "via deze link" not in letter.body
    assert "Meneer Beller" in letter.body


def test_the_copy_of_the_answers_uses_plain_words_for_the_date_of_the_conduct():
    from django.utils import translation

    from klachtformulieren.correspondence.texts import answers_text
    from tests.factories import ComplaintFactory

    with translation.override("nl"):
        text = answers_text(ComplaintFactory())

    assert "Wanneer gebeurde het: " in text and "gedraging" not in text
