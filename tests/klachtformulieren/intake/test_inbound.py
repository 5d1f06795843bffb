"""Incoming e-mail lands where it belongs: on its case, as a bounce, filed, or in the inbox."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from klachtformulieren.cases.roles import COORDINATOR
from klachtformulieren.correspondence import delivery
from klachtformulieren.intake import inbound
from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.models import Channel, InboundMailbox, InboundMessage, Notification
from tests.factories import ComplaintFactory, MunicipalityFactory, role_user
from tests.klachtformulieren.intake import inbound_mail
from tests.klachtformulieren.intake.sample_files import pe_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality():
    return MunicipalityFactory(slug="proefdorp")


@pytest.fixture
def mailbox(municipality, tmp_path):
    return InboundMailbox.objects.create(
        municipality=municipality, protocol=InboundMailbox.Protocol.MAILDIR, path=str(tmp_path / "Maildir")
    )


@pytest.fixture
def deliver(mailbox):
    """Put messages into the mailbox's Maildir and run the import once, as the worker does."""

    def run(*messages):
        inbound_mail.maildir_with(mailbox.path, *messages)
        return inbound.fetch_mailbox(mailbox)

    return run


def sent_mail(complaint, kind=Notification.Kind.ACKNOWLEDGEMENT):
    return Notification.objects.create(
        complaint=complaint,
        kind=kind,
        recipient=complaint.email,
        subject="Ontvangstbevestiging van uw klacht",
        body="Wij hebben uw klacht ontvangen.",
        state=Notification.State.SENT,
        message_id=f"<ack-{complaint.pk}@proefdorp.example>",
    )


def test_reply_with_quoted_text_and_reference_lands_on_its_case(municipality, deliver):
    complaint = ComplaintFactory(municipality=municipality)
    run = deliver(inbound_mail.reply_from_mail_client(complaint.reference))
    message = InboundMessage.objects.get()
    assert run.on_case == 1
    assert (message.state, message.complaint) == (InboundMessage.State.ON_CASE, complaint)
    assert message.sender_address == "jan@example.org"
    assert "nog een foto gevonden" in message.text
    contact = complaint.contact_moments.get()
    assert contact.kind == "email" and "nog een foto gevonden" in contact.summary


def test_a_reply_on_a_case_tells_its_handler(municipality, deliver):
    handler = role_user(COORDINATOR, municipalities=[municipality], email="behandelaar@proefdorp.example")
    complaint = ComplaintFactory(municipality=municipality, handler=handler)
    deliver(inbound_mail.reply_from_mail_client(complaint.reference))
    notice = complaint.notifications.get(kind=Notification.Kind.INCOMING_MAIL_NOTICE)
    assert notice.recipient == "behandelaar@proefdorp.example"
    assert complaint.reference in notice.subject
    assert "jan@example.org" in notice.body or "Jan" in notice.body


def test_a_reply_on_a_case_without_a_handler_tells_the_coordinators(municipality, deliver):
    municipality.coordinators_email = "klachten@proefdorp.example"
    municipality.save()
    complaint = ComplaintFactory(municipality=municipality, handler=None)
    deliver(inbound_mail.reply_from_mail_client(complaint.reference))
    notice = complaint.notifications.get(kind=Notification.Kind.INCOMING_MAIL_NOTICE)
    assert notice.recipient == "klachten@proefdorp.example"


def test_reply_with_only_in_reply_to_lands_on_the_case_of_the_mail_it_answers(municipality, deliver):
    complaint = ComplaintFactory(municipality=municipality)
    acknowledgement = sent_mail(complaint)
    deliver(inbound_mail.reply_with_only_in_reply_to(acknowledgement.message_id))
    assert InboundMessage.objects.get().complaint == complaint
    assert complaint.contact_moments.count() == 1


def test_a_reference_to_another_municipalitys_case_does_not_count(municipality, deliver):
    elsewhere = ComplaintFactory(municipality=MunicipalityFactory(slug="elders"))
    deliver(inbound_mail.reply_from_mail_client(elsewhere.reference))
    message = InboundMessage.objects.get()
    assert (message.state, message.complaint) == (InboundMessage.State.INBOX, None)
    assert not elsewhere.contact_moments.exists()


def test_a_message_id_sent_for_another_municipality_does_not_count(municipality, deliver):
    elsewhere = ComplaintFactory(municipality=MunicipalityFactory(slug="elders"))
    deliver(inbound_mail.reply_with_only_in_reply_to(sent_mail(elsewhere).message_id))
    assert InboundMessage.objects.get().state == InboundMessage.State.INBOX


def test_forwarded_complaint_with_two_attachments_waits_in_the_inbox(deliver):
    run = deliver(inbound_mail.forwarded_complaint())
    message = InboundMessage.objects.get()
    assert run.in_inbox == 1
    assert message.state == InboundMessage.State.INBOX
    assert (message.sender_name, message.sender_address) == ("Piet Bakker", "piet.bakker@example.net")
    assert message.sent_at == datetime.datetime(2026, 11, 30, 8, 15, tzinfo=datetime.UTC)
    kept = message.attachments.order_by("name")
    assert [(a.name, a.content_type, a.refused_because) for a in kept] == [
        ("brief.pdf", "application/pdf", ""),
        ("container.png", "image/png", ""),
    ]
    assert all(attachment.file for attachment in kept)


def test_out_of_office_is_filed_with_its_case_and_tells_nobody(municipality, deliver):
    complaint = ComplaintFactory(municipality=municipality)
    before = Notification.objects.count()
    deliver(inbound_mail.out_of_office(complaint.reference))
    message = InboundMessage.objects.get()
    assert (message.kind, message.state) == (InboundMessage.Kind.AUTO_REPLY, InboundMessage.State.FILED)
    assert message.complaint == complaint
    assert not complaint.contact_moments.exists()
    assert Notification.objects.count() == before  # nothing told, nothing answered


def test_bounce_of_our_acknowledgement_marks_it_not_sent(municipality, deliver):
    complaint = ComplaintFactory(municipality=municipality)
    acknowledgement = sent_mail(complaint)
    deliver(inbound_mail.bounce_of(acknowledgement.message_id))
    acknowledgement.refresh_from_db()
    message = InboundMessage.objects.get()
    assert (message.kind, message.state) == (InboundMessage.Kind.BOUNCE, InboundMessage.State.FILED)
    assert message.bounced_notification == acknowledgement
    assert acknowledgement.state == Notification.State.FAILED
    assert acknowledgement.last_error.startswith("E-mail kwam niet aan")
    assert "User unknown" in acknowledgement.last_error


def test_malformed_message_is_imported_with_what_could_be_read(deliver):
    run = deliver(inbound_mail.MALFORMED)
    message = InboundMessage.objects.get()
    assert run.imported == 1
    assert message.state == InboundMessage.State.INBOX
    assert "de stoep is kapot" in message.text
    assert "alert" not in message.text
    assert message.sent_at is not None


def test_html_only_mail_is_read_as_text_without_its_scripts():
    text = inbound.html_to_text(
        "<html><head><style>p{}</style></head><body><script>steal()</script>"
        "<p>Mijn klacht</p><p onclick='x()'>gaat over &amp; de stoep</p></body></html>"
    )
    assert text == "Mijn klacht\n\ngaat over & de stoep"


def test_oversized_message_is_set_aside_with_the_reason_and_the_next_one_imported(settings, deliver):
    settings.KLACHTFORMULIEREN_INBOUND_MAX_MESSAGE_MB = 1
    big = inbound_mail.with_attachment("groot.bin", b"x" * (2 * 1024 * 1024))
    run = deliver(big, inbound_mail.forwarded_complaint())
    assert (run.imported, run.set_aside, run.in_inbox) == (2, 1, 1)
    aside = InboundMessage.objects.get(state=InboundMessage.State.SET_ASIDE)
    assert aside.subject == "Klacht met bijlage"
    assert "1 MB" in aside.reason
    assert not aside.attachments.exists()


def test_attachment_that_fails_the_upload_checks_is_refused_and_the_mail_kept(deliver):
    deliver(inbound_mail.with_attachment("factuur.pdf.exe", pe_bytes()))
    message = InboundMessage.objects.get()
    attachment = message.attachments.get()
    assert attachment.refused_because
    assert not attachment.file
    assert message.state == InboundMessage.State.INBOX


def test_a_message_with_200_attachments_keeps_the_first_ones_and_lists_the_rest(settings, deliver):
    settings.KLACHTFORMULIEREN_INBOUND_MAX_ATTACHMENTS = 3
    message = inbound_mail.with_attachment("leeg-0.txt", b"")
    for index in range(1, 200):
        message.add_attachment(b"", maintype="text", subtype="plain", filename=f"leeg-{index}.txt")
    deliver(message)
    stored = InboundMessage.objects.get().attachments
    assert stored.count() == 200
    assert stored.filter(refused_because__startswith="Meer dan 3").count() == 197


def test_a_second_run_imports_nothing_twice(mailbox, municipality, deliver):
    complaint = ComplaintFactory(municipality=municipality)
    deliver(inbound_mail.reply_from_mail_client(complaint.reference), inbound_mail.forwarded_complaint())
    second = inbound.fetch_mailbox(mailbox)
    assert (second.imported, second.skipped) == (0, 2)
    assert InboundMessage.objects.count() == 2
    assert complaint.contact_moments.count() == 1


def test_one_message_that_breaks_the_import_does_not_stop_the_run(monkeypatch, deliver):
    original = inbound.parse

    def parse(raw, **kwargs):
        if b"afvalinzameling" in raw:
            raise RuntimeError("unexpected")
        return original(raw, **kwargs)

    monkeypatch.setattr(inbound, "parse", parse)
    run = deliver(inbound_mail.forwarded_complaint(), inbound_mail.out_of_office("2026-000001"))
    assert run.imported == 1
    assert InboundMessage.objects.get().kind == InboundMessage.Kind.AUTO_REPLY


def test_command_imports_a_maildir_once(municipality, tmp_path):
    path = tmp_path / "import"
    inbound_mail.maildir_with(path, inbound_mail.forwarded_complaint())
    call_command("fetch_inbound_mail", "--maildir", str(path), "--municipality", "proefdorp")
    call_command("fetch_inbound_mail", "--maildir", str(path), "--municipality", "proefdorp")
    assert InboundMessage.objects.filter(municipality=municipality).count() == 1
    assert list((path / "new").iterdir()) == []  # moved to cur/, marked read


def test_outgoing_subject_carries_the_case_reference_once(municipality):
    complaint = ComplaintFactory(municipality=municipality)
    mail = sent_mail(complaint)
    assert delivery.tagged_subject(mail) == f"Ontvangstbevestiging van uw klacht [{complaint.reference}]"
    mail.subject = f"Uw klacht {complaint.reference} [{complaint.reference}]"
    assert delivery.tagged_subject(mail) == mail.subject


def test_mailbox_password_comes_from_the_environment_or_a_secret_file(monkeypatch, tmp_path, mailbox):
    mailbox.password_variable = "KLACHTEN_IMAP_PASSWORD"
    monkeypatch.delenv("KLACHTEN_IMAP_PASSWORD", raising=False)
    secret = tmp_path / "secret"
    secret.write_text("app-wachtwoord\n")
    monkeypatch.setenv("KLACHTEN_IMAP_PASSWORD_FILE", str(secret))
    assert mailbox.password() == "app-wachtwoord"
    monkeypatch.setenv("KLACHTEN_IMAP_PASSWORD", "uit-de-omgeving")
    assert mailbox.password() == "uit-de-omgeving"


def test_art_9_2_inbox_message_becomes_a_complaint_by_email_received_at_its_date(
    municipality, deliver, django_capture_on_commit_callbacks, mailoutbox
):
    deliver(inbound_mail.forwarded_complaint())
    message = InboundMessage.objects.get()
    coordinator = role_user(COORDINATOR, municipalities=[municipality])
    data = inbound.prefilled_submission(message)
    submission = ComplaintSubmission(
        name=data["name"], email=data["email"], description=data["description"], conduct_date=data["conduct_date"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        registration = inbound.register_from_message(message, coordinator, submission)
    complaint = registration.complaint
    message.refresh_from_db()
    assert (message.state, message.complaint) == (InboundMessage.State.COMPLAINT, complaint)
    assert complaint.channel == Channel.EMAIL
    assert complaint.received_at == message.sent_at
    assert sorted(complaint.attachments.values_list("name", flat=True)) == ["brief.pdf", "container.png"]
    acknowledgement = complaint.notifications.get(kind=Notification.Kind.ACKNOWLEDGEMENT)
    assert acknowledgement.recipient == "piet.bakker@example.net"
    assert any(mail.to == ["piet.bakker@example.net"] for mail in mailoutbox)


def test_art_9_4_a_complaint_from_a_message_needs_an_address(municipality, deliver):
    deliver(inbound_mail.forwarded_complaint())
    message = InboundMessage.objects.get()
    coordinator = role_user(COORDINATOR, municipalities=[municipality])
    submission = ComplaintSubmission(name="Piet", description="Klacht", conduct_date=timezone.localdate())
    with pytest.raises(inbound.RegistrationRefused):
        inbound.register_from_message(message, coordinator, submission)
    message.refresh_from_db()
    assert message.state == InboundMessage.State.INBOX


def test_geen_klacht_keeps_the_reason_and_a_message_is_handled_once(municipality, deliver):
    deliver(inbound_mail.forwarded_complaint())
    message = InboundMessage.objects.get()
    coordinator = role_user(COORDINATOR, municipalities=[municipality])
    inbound.mark_not_a_complaint(message, coordinator, reason="Een vraag over de afvalkalender")
    message.refresh_from_db()
    assert (message.state, message.reason) == (InboundMessage.State.NOT_A_COMPLAINT, "Een vraag over de afvalkalender")
    with pytest.raises(inbound.NotInInbox):
        inbound.add_to_existing_case(message, coordinator, ComplaintFactory(municipality=municipality))


def test_coordinator_adds_an_inbox_message_to_a_case_with_its_attachments(municipality, deliver):
    deliver(inbound_mail.forwarded_complaint())
    message = InboundMessage.objects.get()
    complaint = ComplaintFactory(municipality=municipality)
    coordinator = role_user(COORDINATOR, municipalities=[municipality])
    inbound.add_to_existing_case(message, coordinator, complaint)
    assert complaint.contact_moments.get().by == coordinator
    assert complaint.attachments.count() == 2
