"""A step's letter is a draft first: edited, previewed (as mail, as printed letter, as PDF),
approved by a second person where the municipality wants four eyes, then sent off; by post
it is marked as posted with its date. Every letter is a PDF on the letterhead."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from klachtformulieren.cases import retention, roles, workflow
from klachtformulieren.correspondence import letters, pdf
from klachtformulieren.models import Complaint, Notification, Outcome, Track
from tests.factories import (
    ComplaintFactory,
    ComplaintKindFactory,
    ImageFactory,
    MunicipalityFactory,
    OrganisationUnitFactory,
    role_user,
)

pytestmark = pytest.mark.django_db

RECEIVED = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)
FINDINGS = "De medewerker heeft u aan de balie niet laten uitpraten."
JUDGEMENT = "Dat past niet bij hoe wij met inwoners willen omgaan."


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def four_eyes(municipality):
    municipality.letters_need_approval = True
    municipality.save()
    return municipality


@pytest.fixture
def handler(municipality):
    return role_user(roles.HANDLER, municipalities=[municipality], username="henk", first_name="Henk")


@pytest.fixture
def coordinator(municipality):
    return role_user(roles.COORDINATOR, municipalities=[municipality], username="carla", first_name="Carla")


@pytest.fixture
def second_coordinator(municipality):
    return role_user(roles.COORDINATOR, municipalities=[municipality], username="cor", first_name="Cor")


@pytest.fixture
def complaint(municipality, coordinator, handler):
    complaint = ComplaintFactory(
        municipality=municipality,
        received_at=RECEIVED,
        name="Jan de Klager",
        email="jan@example.org",
        postal_address="Dorpsstraat 1\n1234 AB Proefdorp",
        person_complained_about="Baliemedewerker",
    )
    workflow.record_intake(
        complaint,
        coordinator,
        kind=ComplaintKindFactory(municipality=municipality),
        unit=OrganisationUnitFactory(municipality=municipality),
        first_contact_at=RECEIVED + datetime.timedelta(days=1),
        track=Track.FORMAL,
    )
    workflow.assign_handler(complaint, coordinator, handler=handler)
    workflow.waive_hearing(complaint, handler, reason="Klager ziet af van horen.")
    return complaint


def decide(complaint, user):
    workflow.decide(complaint, user, outcome=Outcome.PARTLY_WELL_FOUNDED, findings=FINDINGS, reasons=JUDGEMENT)
    return complaint.notifications.get(kind=Notification.Kind.DECISION)


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_every_letter_step_makes_a_draft_that_is_not_sent(complaint, coordinator, handler):
    other = ComplaintFactory(municipality=complaint.municipality, received_at=RECEIVED)
    workflow.not_handled(other, coordinator, reason_code="b", reason="Ouder dan een jaar.")
    referred = ComplaintFactory(municipality=complaint.municipality, received_at=RECEIVED)
    workflow.refer(referred, coordinator, referral_kind="other_body", referred_to="Politie", reason="Agent.")
    workflow.postpone(complaint, handler, weeks=2, reason="Wij wachten op een verslag.")
    decide(complaint, handler)

    step_letters = Notification.objects.filter(kind__in=letters.LETTER_STEPS)
    assert {letter.kind for letter in step_letters} == set(letters.LETTER_STEPS)
    assert {letter.state for letter in step_letters} == {Notification.State.DRAFT}
    # The decision's legal effect is the step's, whatever happens to the letter.
    assert complaint.decided_at == NOW


def test_a_historical_case_replayed_in_memory_leaves_no_draft_waiting(municipality):
    complaint = ComplaintFactory.build(municipality=municipality, received_at=RECEIVED, number=900, reference="X-900")
    workflow.reach_outcome(complaint, outcome=Outcome.UNFOUNDED, decided_at=NOW, closed_at=NOW)
    complaint.save()

    assert Complaint.objects.get(pk=complaint.pk).outcome == Outcome.UNFOUNDED
    assert not Notification.objects.filter(complaint=complaint).exists()


def test_the_drafter_cannot_approve_their_own_letter(complaint, four_eyes, coordinator):
    letter = decide(complaint, coordinator)

    with pytest.raises(letters.LetterRefused, match="collega"):
        letters.approve(letter, coordinator, version=letters.text_version(letter))
    with pytest.raises(letters.LetterRefused, match="goedkeuren"):
        letters.send_off(letter, coordinator)

    letter.refresh_from_db()
    assert (letter.state, letter.approved_by) == (Notification.State.DRAFT, None)


def test_only_a_coordinator_who_sees_the_case_approves(complaint, four_eyes, handler, coordinator, municipality):
    letter = decide(complaint, coordinator)
    elsewhere = role_user(roles.COORDINATOR, municipalities=[MunicipalityFactory(name="Elders", slug="elders")])
    other_handler = role_user(roles.HANDLER, municipalities=[municipality])

    assert "klachtcoördinator" in letters.refusal(handler, letter, letters.APPROVE)
    assert letters.refusal(elsewhere, letter, letters.APPROVE)
    assert letters.refusal(other_handler, letter, letters.APPROVE)


def test_a_decision_letter_drafted_edited_approved_by_a_second_person_and_sent_with_its_pdf(
    complaint, four_eyes, handler, coordinator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    letter = decide(complaint, handler)
    letter = letters.edit_draft(letter, handler, subject=letter.subject, body=letter.body + "\n\nPS: excuses.")
    letter = letters.approve(letter, coordinator, version=letters.text_version(letter))
    assert letter.approved_by == coordinator

    with django_capture_on_commit_callbacks(execute=True):
        letters.send_off(letter, handler)

    (message,) = mail.outbox
    assert message.to == ["jan@example.org"]
    assert "PS: excuses." in message.body
    (attachment,) = message.attachments
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == pdf.pdf_filename(letter)
    text = pdf_text(attachment.get_payload(decode=True))
    assert complaint.reference in text
    assert "deels gegrond" in text
    assert "Nationale ombudsman" in text
    assert "CONCEPT" not in text
    letter.refresh_from_db()
    assert (letter.state, letter.dispatched_by) == (Notification.State.SENT, handler)


def test_editing_an_approved_draft_needs_a_new_approval(complaint, four_eyes, handler, coordinator):
    letter = decide(complaint, handler)
    letter = letters.approve(letter, coordinator, version=letters.text_version(letter))

    letters.edit_draft(letter, handler, subject=letter.subject, body="Een andere tekst.")

    letter.refresh_from_db()
    assert letter.body == "Een andere tekst."
    assert letter.approved_at is None
    assert letters.refusal(handler, letter, letters.SEND)


def test_saving_the_same_text_keeps_the_approval(complaint, four_eyes, handler, coordinator):
    letter = decide(complaint, handler)
    letter = letters.approve(letter, coordinator, version=letters.text_version(letter))

    letters.edit_draft(letter, handler, subject=letter.subject, body=letter.body)

    letter.refresh_from_db()
    assert letter.approved_by == coordinator


def test_a_sent_letter_can_no_longer_be_edited(complaint, handler):
    letter = letters.send_off(decide(complaint, handler), handler)

    with pytest.raises(letters.LetterRefused, match="niet meer worden gewijzigd"):
        letters.edit_draft(letter, handler, subject="Anders", body="Anders")


def test_without_four_eyes_the_handler_sends_at_once(complaint, handler):
    letter = decide(complaint, handler)

    assert letters.refusal(handler, letter, letters.APPROVE)  # nothing to approve
    assert letters.send_off(letter, handler).state == Notification.State.PENDING


def test_a_letter_by_post_marked_posted_with_its_date_counts_as_sent(complaint, handler, coordinator):
    complaint.email = ""
    complaint.save()
    letter = letters.send_off(decide(complaint, handler), handler)
    assert (letter.medium, letter.state) == (Notification.Medium.POST, Notification.State.PENDING)

    letter = letters.mark_posted(letter, coordinator, posted_on=datetime.date(2026, 11, 24))

    assert letter.state == Notification.State.SENT
    assert letter.posted_on == datetime.date(2026, 11, 24)
    assert letter.posted_by == coordinator


@pytest.mark.parametrize(
    ("posted_on", "message"),
    [(datetime.date(2026, 11, 25), "in de toekomst"), (datetime.date(2026, 11, 1), "voordat de brief")],
)
def test_a_posting_date_in_the_future_or_before_the_letter_is_refused(complaint, handler, posted_on, message):
    complaint.email = ""
    complaint.save()
    letter = letters.send_off(decide(complaint, handler), handler)

    with pytest.raises(letters.LetterRefused, match=message):
        letters.mark_posted(letter, handler, posted_on=posted_on)

    letter.refresh_from_db()
    assert letter.state == Notification.State.PENDING


def test_a_draft_cannot_be_marked_posted(complaint, handler):
    letter = decide(complaint, handler)

    with pytest.raises(letters.LetterRefused):
        letters.mark_posted(letter, handler)


def test_the_pdf_carries_the_logo_when_the_municipality_has_one(complaint, handler, municipality):
    municipality.logo = ImageFactory()
    municipality.save()
    letter = decide(complaint, handler)

    reader = PdfReader(io.BytesIO(pdf.letter_pdf(letter)))

    assert len(reader.pages[0].images) == 1
    assert "CONCEPT" in reader.pages[0].extract_text()  # a draft says so


# --- Through the admin --------------------------------------------------------------------


def test_the_draft_page_previews_the_mail_and_keeps_an_edit_across_a_reload(client, complaint, handler):
    letter = decide(complaint, handler)
    client.force_login(handler)
    url = reverse("klachtformulieren_letter_draft", args=[letter.pk])

    html = client.get(url).content.decode()
    assert "jan@example.org" in html
    assert letter.subject in html
    assert reverse("klachtformulieren_letter_pdf", args=[letter.pk]) in html

    response = client.post(url, {"subject": "Ons besluit", "body": "Beste Jan,\n\nNieuwe tekst."})
    assert response.status_code == 302
    assert "Nieuwe tekst." in client.get(url).content.decode()


def test_an_empty_letter_is_refused_in_dutch_and_what_was_typed_stays(client, complaint, handler):
    letter = decide(complaint, handler)
    client.force_login(handler)

    response = client.post(
        reverse("klachtformulieren_letter_draft", args=[letter.pk]), {"subject": "Mijn onderwerp", "body": "  "}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "De brief heeft geen tekst" in html
    assert 'value="Mijn onderwerp"' in html
    letter.refresh_from_db()
    assert letter.body.startswith("Beste Jan de Klager")


def test_the_drafter_pressing_approve_gets_a_dutch_refusal(client, complaint, four_eyes, coordinator):
    letter = decide(complaint, coordinator)
    client.force_login(coordinator)

    response = client.post(reverse("klachtformulieren_letter_approve", args=[letter.pk]), follow=True)

    assert "een collega moet hem goedkeuren" in response.content.decode()
    letter.refresh_from_db()
    assert letter.approved_at is None


def test_the_pdf_downloads_from_the_case_file(client, complaint, handler):
    letter = decide(complaint, handler)
    client.force_login(handler)

    response = client.get(reverse("klachtformulieren_letter_pdf", args=[letter.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    assert complaint.reference in text and "Nationale ombudsman" in text and JUDGEMENT[:30] in text


def test_the_pdf_is_404_for_who_may_not_see_the_case(client, complaint, handler):
    letter = decide(complaint, handler)
    client.force_login(role_user(roles.COORDINATOR, municipalities=[MunicipalityFactory(name="B", slug="b")]))

    assert client.get(reverse("klachtformulieren_letter_pdf", args=[letter.pk])).status_code == 404


@pytest.mark.parametrize(
    ("posted_on", "message"), [("gisteren", "Vul de postdatum in"), ("2026-12-31", "in de toekomst")]
)
def test_a_wrong_posting_date_gets_a_dutch_message(client, complaint, handler, posted_on, message):
    complaint.email = ""
    complaint.save()
    letter = letters.send_off(decide(complaint, handler), handler)
    client.force_login(handler)

    response = client.post(
        reverse("klachtformulieren_letter_post", args=[letter.pk]), {"posted_on": posted_on}, follow=True
    )

    assert message in response.content.decode()
    letter.refresh_from_db()
    assert letter.state == Notification.State.PENDING


def test_the_case_file_offers_the_draft_to_check(client, complaint, handler):
    letter = decide(complaint, handler)
    client.force_login(handler)

    html = client.get(reverse("klachtformulieren_cases:inspect", args=[complaint.pk])).content.decode()

    assert reverse("klachtformulieren_letter_draft", args=[letter.pk]) in html
    assert reverse("klachtformulieren_letter_pdf", args=[letter.pk]) in html
    assert "Concept, nog niet verstuurd" in html


def test_whoever_changed_the_text_cannot_approve_it(complaint, four_eyes, handler, coordinator, second_coordinator):
    letter = decide(complaint, handler)
    letter = letters.edit_draft(letter, coordinator, subject=letter.subject, body=letter.body + "\n\nMijn eigen zin.")

    with pytest.raises(letters.LetterRefused, match="gewijzigd"):
        letters.approve(letter, coordinator, version=letters.text_version(letter))
    letter = letters.approve(letter, second_coordinator, version=letters.text_version(letter))

    assert letter.approved_by == second_coordinator and letter.text_changed_by == coordinator


def test_an_approval_of_a_text_that_changed_since_it_was_read_is_refused(complaint, four_eyes, handler, coordinator):
    letter = decide(complaint, handler)
    seen = letters.text_version(letter)
    letters.edit_draft(letter, handler, subject=letter.subject, body="Een andere tekst, na het lezen.")

    with pytest.raises(letters.LetterRefused, match="veranderd"):
        letters.approve(letter, coordinator, version=seen)

    letter.refresh_from_db()
    assert letter.approved_at is None


def test_an_edit_over_a_colleagues_newer_text_is_refused(complaint, handler, coordinator):
    letter = decide(complaint, handler)
    started_from = letters.text_version(letter)
    letters.edit_draft(letter, coordinator, subject=letter.subject, body="De tekst van de coördinator.")

    with pytest.raises(letters.LetterRefused, match="intussen"):
        letters.edit_draft(letter, handler, subject=letter.subject, body="Mijn tekst.", version=started_from)

    letter.refresh_from_db()
    assert letter.body == "De tekst van de coördinator."


def test_a_step_taken_again_replaces_its_unsent_draft(complaint, handler, coordinator):
    first = decide(complaint, handler)
    workflow.reopen(complaint, coordinator, reason="De ombudsman vroeg om een nieuwe beoordeling.")
    complaint.refresh_from_db()
    workflow.decide(complaint, handler, outcome=Outcome.WELL_FOUNDED, findings=FINDINGS, reasons="Nieuw oordeel.")

    drafts = complaint.notifications.filter(kind=Notification.Kind.DECISION, state=Notification.State.DRAFT)
    assert list(drafts.values_list("pk", flat=True)) != [first.pk]
    assert drafts.count() == 1 and "Nieuw oordeel." in drafts.get().body


def test_the_pdf_as_sent_is_kept_and_a_later_letterhead_does_not_change_it(client, complaint, handler, municipality):
    letter = letters.send_off(decide(complaint, handler), handler)
    assert letter.pdf.name.startswith("brieven/") and complaint.reference not in letter.pdf.name
    sent = pdf_text(pdf.pdf_of(letter))

    municipality.postal_address = "Nieuw Adres 99\n9999 ZZ Elders"
    municipality.save()
    client.force_login(handler)
    downloaded = client.get(reverse("klachtformulieren_letter_pdf", args=[letter.pk]))

    assert pdf_text(downloaded.content) == sent
    assert "Nieuw Adres 99" not in sent


def test_destroying_the_case_removes_the_kept_pdf(complaint, handler, coordinator, django_capture_on_commit_callbacks):
    letter = letters.send_off(decide(complaint, handler), handler)
    storage, name = letter.pdf.storage, letter.pdf.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        retention.erase_on_request(complaint, coordinator, reason="Verzoek tot wissen (AVG art. 17)")

    assert not storage.exists(name)
    letter.refresh_from_db()
    assert letter.pdf.name == ""
