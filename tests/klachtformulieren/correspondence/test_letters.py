"""The letters of the handling steps: what they say, to whom, how, and the printable copy."""

import datetime
import string

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.http import Http404
from django.utils import translation

from klachtformulieren.admin.letters import letter_document
from klachtformulieren.cases import roles, workflow
from klachtformulieren.cases.workflow import StepNotAllowed
from klachtformulieren.correspondence import letters
from klachtformulieren.correspondence.texts import DEFAULT_TEMPLATES
from klachtformulieren.models import MailTemplate, Notification, Outcome, Track
from klachtformulieren.models.notifications import PLACEHOLDER_NAMES, PLACEHOLDERS
from tests.factories import (
    ComplaintFactory,
    ComplaintKindFactory,
    OrganisationUnitFactory,
    UserFactory,
    handler_of,
    role_user,
)

pytestmark = pytest.mark.django_db

RECEIVED = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coordinator(municipality):
    return role_user(
        roles.COORDINATOR,
        municipalities=[municipality],
        username="coordinator",
        first_name="Carla",
        last_name="Coördinator",
    )


@pytest.fixture
def complaint(municipality):
    return ComplaintFactory(
        municipality=municipality,
        received_at=RECEIVED,
        name="Jan de Klager",
        email="jan@example.org",
        postal_address="Dorpsstraat 1\n1234 AB Proefdorp",
        person_complained_about="Baliemedewerker",
    )


def in_handling(complaint, user):
    workflow.record_intake(
        complaint,
        user,
        kind=ComplaintKindFactory(municipality=complaint.municipality),
        unit=OrganisationUnitFactory(municipality=complaint.municipality),
        first_contact_at=RECEIVED + datetime.timedelta(days=1),
        track=Track.FORMAL,
    )
    return workflow.assign_handler(complaint, user, handler=handler_of(complaint.municipality))


def decided(complaint, user, *, outcome=Outcome.PARTLY_WELL_FOUNDED):
    in_handling(complaint, user)
    workflow.waive_hearing(complaint, user, reason="Klager ziet af van horen.")
    return workflow.decide(
        complaint,
        user,
        outcome=outcome,
        findings="De medewerker heeft u aan de balie niet laten uitpraten.",
        reasons="Dat past niet bij hoe wij met inwoners willen omgaan.",
    )


def letters_of(complaint, kind):
    return list(Notification.objects.filter(complaint=complaint, kind=kind))


def test_awb_9_8_not_handled_queues_one_notice_naming_the_ground_and_the_ombudsman(complaint, coordinator):
    workflow.not_handled(complaint, coordinator, reason_code="b", reason="Het gesprek was in maart 2025.")

    (notice,) = letters_of(complaint, Notification.Kind.NOT_HANDLED_NOTICE)
    assert notice.recipient == "jan@example.org"
    assert notice.medium == Notification.Medium.EMAIL
    assert complaint.reference in notice.subject
    assert "Beste Jan de Klager" in notice.body
    assert "meer dan een jaar" in notice.body  # the ground, Awb 9:8 lid 1 onder b
    assert "Het gesprek was in maart 2025." in notice.body
    assert "Nationale ombudsman" in notice.body
    assert "https://www.nationaleombudsman.nl/" in notice.body
    assert "1 jaar" in notice.body


def test_awb_9_8_the_ground_is_in_plain_words_not_the_law_s(complaint, coordinator):
    workflow.not_handled(complaint, coordinator, reason_code="a", reason="Uw klacht van juni ging hier ook over.")

    (notice,) = letters_of(complaint, Notification.Kind.NOT_HANDLED_NOTICE)
    assert "Wij hebben over hetzelfde al eerder een klacht behandeld." in notice.body
    assert "gedraging" not in notice.body and "deze titel" not in notice.body


def test_awb_2_3_referral_queues_a_forwarding_notice_saying_where_and_why(complaint, coordinator):
    workflow.refer(
        complaint, coordinator, referral_kind="other_body", referred_to="Politie Noord", reason="Het gaat om een agent."
    )

    (notice,) = letters_of(complaint, Notification.Kind.FORWARDING_NOTICE)
    assert notice.recipient == "jan@example.org"
    assert "Politie Noord" in notice.body
    assert "Het gaat om een agent." in notice.body


@time_machine.travel("2026-11-20", tick=False)
def test_awb_9_11_postponement_goes_to_the_complainant_and_the_person_complained_about(complaint, coordinator):
    complaint.person_complained_about_user = UserFactory(email="balie@proefdorp.example")
    complaint.save()
    in_handling(complaint, coordinator)

    workflow.postpone(complaint, coordinator, weeks=4, reason="De medewerker is drie weken ziek.")

    to_complainant, to_person = letters_of(complaint, Notification.Kind.POSTPONEMENT)
    assert (to_complainant.recipient, to_complainant.medium) == ("jan@example.org", Notification.Medium.EMAIL)
    assert (to_person.recipient, to_person.medium) == ("balie@proefdorp.example", Notification.Medium.EMAIL)
    assert "Beste Jan de Klager" in to_complainant.body
    assert "Beste Baliemedewerker" in to_person.body
    for letter in (to_complainant, to_person):
        assert "De medewerker is drie weken ziek." in letter.body
        assert "maandag 11 januari 2027" in letter.body  # the new date: 14 December plus four weeks


@time_machine.travel("2026-11-20", tick=False)
def test_awb_9_11_postponement_to_a_person_without_an_email_address_is_a_letter_by_post(complaint, coordinator):
    in_handling(complaint, coordinator)

    workflow.postpone(complaint, coordinator, weeks=2, reason="Wij wachten op een verslag.")

    _to_complainant, to_person = letters_of(complaint, Notification.Kind.POSTPONEMENT)
    assert to_person.medium == Notification.Medium.POST
    assert to_person.recipient == "Baliemedewerker"


def test_awb_9_12_decision_letter_has_findings_judgement_and_conclusion(complaint, coordinator):
    decided(complaint, coordinator)

    (letter,) = letters_of(complaint, Notification.Kind.DECISION)
    assert letter.recipient == "jan@example.org"
    assert "De medewerker heeft u aan de balie niet laten uitpraten." in letter.body
    assert "Dat past niet bij hoe wij met inwoners willen omgaan." in letter.body
    assert "Ons oordeel: deels gegrond. Dat betekent: u heeft voor een deel gelijk." in letter.body


def test_awb_9_12_decision_letter_names_ombudsman_and_term(complaint, coordinator, municipality):
    municipality.ombudsman_name = "Ombudsman Metropool Proefdorp"
    municipality.ombudsman_url = "https://ombudsman.proefdorp.example/"
    municipality.ombudsman_term_months = 18
    municipality.save()

    decided(complaint, coordinator)

    (letter,) = letters_of(complaint, Notification.Kind.DECISION)
    assert "Ombudsman Metropool Proefdorp" in letter.body
    assert "https://ombudsman.proefdorp.example/" in letter.body
    assert "18 maanden" in letter.body


@pytest.mark.parametrize("outcome", workflow.DECISION_OUTCOMES)
def test_awb_9_3_decision_letter_has_no_objection_clause(complaint, coordinator, outcome):
    decided(complaint, coordinator, outcome=outcome)

    (letter,) = letters_of(complaint, Notification.Kind.DECISION)
    assert "bezwaar" not in (letter.subject + letter.body).lower()


def test_a_complainant_without_email_gets_a_letter_by_post_that_is_never_mailed(
    complaint, coordinator, django_capture_on_commit_callbacks
):
    complaint.email = ""
    complaint.save()

    with django_capture_on_commit_callbacks(execute=True):
        decided(complaint, coordinator)
        (letter,) = letters_of(complaint, Notification.Kind.DECISION)
        letters.send_off(letter, coordinator)

    letter.refresh_from_db()
    assert letter.medium == Notification.Medium.POST
    assert letter.recipient == ""
    assert letter.state == Notification.State.PENDING  # to print and post
    # Every mail about a case carries its reference in brackets (replies find the case).
    assert [message.subject for message in mail.outbox] == [
        f"U behandelt klacht {complaint.reference} [{complaint.reference}]"
    ]


def test_a_step_letter_is_a_draft_and_mailed_only_once_sent_off(
    complaint, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.not_handled(complaint, coordinator, reason_code="a", reason="Dit is al eerder behandeld.")

    (notice,) = letters_of(complaint, Notification.Kind.NOT_HANDLED_NOTICE)
    assert notice.state == Notification.State.DRAFT
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        letters.send_off(notice, coordinator)

    (message,) = mail.outbox
    assert message.to == ["jan@example.org"]
    notice.refresh_from_db()
    assert notice.state == Notification.State.SENT
    assert (notice.dispatched_by, notice.created_by) == (coordinator, coordinator)


def test_a_refused_step_leaves_no_letter(complaint, coordinator):
    with pytest.raises(StepNotAllowed):
        workflow.decide(complaint, coordinator, outcome=Outcome.UNFOUNDED, findings="F", reasons="R")

    assert not Notification.objects.filter(complaint=complaint).exists()


def test_an_editors_mail_text_overrides_the_default_letter(complaint, coordinator):
    MailTemplate.objects.create(
        kind=Notification.Kind.DECISION,
        subject="Besluit {reference}",
        body="Geachte {addressee}, uitkomst: {outcome}. Ombudsman: {ombudsman} ({ombudsman_term}).",
    )

    decided(complaint, coordinator, outcome=Outcome.UNFOUNDED)

    (letter,) = letters_of(complaint, Notification.Kind.DECISION)
    assert letter.subject == f"Besluit {complaint.reference}"
    assert letter.body == "Geachte Jan de Klager, uitkomst: ongegrond. Ombudsman: Nationale ombudsman (1 jaar)."


def test_letters_record_the_acting_user_and_sign_with_their_name(complaint, coordinator):
    workflow.refer(complaint, coordinator, referral_kind="partner", referred_to="Zorg BV", reason="Zij voeren dit uit.")

    (notice,) = letters_of(complaint, Notification.Kind.FORWARDING_NOTICE)
    assert notice.created_by == coordinator
    assert "Carla Coördinator\nGemeente Proefdorp" in notice.body


def placeholders_in(text):
    return sorted(name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name)


def test_every_kind_has_a_default_text_using_only_its_documented_placeholders():
    assert set(DEFAULT_TEMPLATES) == set(Notification.Kind) == set(PLACEHOLDERS)
    for kind, texts in DEFAULT_TEMPLATES.items():
        documented = {PLACEHOLDER_NAMES[name] for name in PLACEHOLDERS[kind]}
        for language in ("en", "nl"):
            with translation.override(language):
                used = {name for text in texts for name in placeholders_in(str(text))}
            assert used <= documented, (kind, language)  # the Dutch names editors see, in every language


def test_the_dutch_default_texts_are_translations_with_the_same_placeholders():
    for kind, texts in DEFAULT_TEMPLATES.items():
        for text in texts:
            with translation.override("en"):
                english = str(text)
            with translation.override("nl"):
                dutch = str(text)
            assert dutch != english, kind
            assert placeholders_in(dutch) == placeholders_in(english), kind


@pytest.mark.parametrize(
    ("outcome", "meaning"),
    [
        (Outcome.WELL_FOUNDED, "Ons oordeel: gegrond. Dat betekent: u heeft gelijk."),
        (Outcome.PARTLY_WELL_FOUNDED, "Ons oordeel: deels gegrond. Dat betekent: u heeft voor een deel gelijk."),
        (Outcome.UNFOUNDED, "Ons oordeel: ongegrond. Dat betekent: u heeft volgens ons geen gelijk."),
        (Outcome.NO_JUDGEMENT, "Ons oordeel: geen oordeel. Dat betekent: wij kunnen niet zeggen of het goed"),
    ],
    ids=str,
)
def test_the_decision_letter_says_in_plain_words_what_its_outcome_means(complaint, coordinator, outcome, meaning):
    decided(complaint, coordinator, outcome=outcome)

    (letter,) = letters_of(complaint, Notification.Kind.DECISION)
    assert meaning in letter.body
    assert "beoordeeld als" not in letter.body


def test_on_an_english_site_the_decision_letter_is_english_with_english_dates(complaint, coordinator, settings):
    settings.LANGUAGE_CODE = "en"

    decided(complaint, coordinator)

    (letter,) = letters_of(complaint, Notification.Kind.DECISION)
    assert letter.subject == f"Our decision on your complaint ({complaint.reference})"
    assert letter.body.startswith("Dear Jan de Klager,\n\nWe received your complaint on 2 November 2026.")
    assert "Our judgement: partly well founded. That means: you are partly right." in letter.body
    assert "Beste" not in letter.body and "november" not in letter.body


@pytest.fixture
def letter(complaint, coordinator):
    complaint.email = ""
    complaint.save()
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC), tick=False):
        decided(complaint, coordinator)
        # The letter bears the day it was sent off, not the day it is read.
        return letters.send_off(letters_of(complaint, Notification.Kind.DECISION)[0], coordinator)


def test_the_printable_letter_has_letterhead_addressee_date_reference_and_text(rf, letter, complaint):
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)

    response = letter_document(request, letter.pk)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Gemeente Proefdorp" in html
    assert "Postbus 1<br>1234 AB Proefdorp" in html
    assert "Jan de Klager<br>Dorpsstraat 1<br>1234 AB Proefdorp" in html  # by post: the complainant's address
    assert "20 november 2026" in html
    assert complaint.reference in html
    assert "<p>Beste Jan de Klager,</p>" in html
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_the_printable_letter_escapes_what_people_typed(rf, complaint, coordinator):
    in_handling(complaint, coordinator)
    workflow.waive_hearing(complaint, coordinator, reason="Kennelijk ongegrond.")
    workflow.decide(
        complaint, coordinator, outcome=Outcome.UNFOUNDED, findings="<script>alert(1)</script>", reasons="R"
    )
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)

    html = letter_document(request, letters_of(complaint, Notification.Kind.DECISION)[0].pk).content.decode()

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("who", ["anonymous", "without_permissions", "inactive_superuser"])
def test_the_printable_letter_is_404_for_who_may_not_see_the_case(rf, letter, who):
    request = rf.get("/")
    request.user = {
        "anonymous": AnonymousUser,
        "without_permissions": UserFactory,
        "inactive_superuser": lambda: UserFactory(is_superuser=True, is_active=False),
    }[who]()

    with pytest.raises(Http404):
        letter_document(request, letter.pk)


def test_the_printable_letter_of_an_unknown_id_is_404(rf):
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True)

    with pytest.raises(Http404):
        letter_document(request, 999999)
