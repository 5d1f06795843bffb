"""The case screens in the admin: listing, case file, every handling step through its view."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klachtformulieren.cases import roles
from klachtformulieren.models import Channel, Complaint, ContactMoment, Outcome, Status, Track
from tests.factories import (
    ComplaintFactory,
    ComplaintKindFactory,
    MunicipalityFactory,
    OrganisationUnitFactory,
    role_user,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)
RECEIVED = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
INDEX = "klachtformulieren_cases:index"
INSPECT = "klachtformulieren_cases:inspect"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator(municipality):
    return role_user(roles.COORDINATOR, municipalities=[municipality], username="coordinator", first_name="Cor")


@pytest.fixture
def handler(municipality):
    return role_user(roles.HANDLER, municipalities=[municipality], username="handler", first_name="Hanna")


@pytest.fixture
def complaint(municipality):
    return ComplaintFactory(municipality=municipality, received_at=RECEIVED, person_complained_about="Baliemedewerker")


def step_url(complaint, step):
    return reverse("klachtformulieren_step", args=[complaint.pk, step])


def post_step(client, complaint, step, data):
    return client.post(step_url(complaint, step), data)


def test_listing_shows_the_coordinators_cases_with_due_date_and_overdue_marker(client, coordinator, municipality):
    overdue = ComplaintFactory(municipality=municipality, received_at=NOW - datetime.timedelta(weeks=8))
    fresh = ComplaintFactory(municipality=municipality, received_at=NOW - datetime.timedelta(days=1))
    elsewhere = ComplaintFactory(municipality=MunicipalityFactory(), received_at=NOW)
    client.force_login(coordinator)

    response = client.get(reverse(INDEX))

    html = response.content.decode()
    assert response.status_code == 200
    assert overdue.reference in html and fresh.reference in html
    assert elsewhere.reference not in html
    assert "Te laat" in html
    assert overdue.decision_due_on.strftime("%d-%m-%Y") in html


def test_overdue_filter_agrees_with_decision_due(client, coordinator, municipality):
    cases = [
        ComplaintFactory(municipality=municipality, received_at=NOW - datetime.timedelta(days=days))
        for days in (10, 40, 42, 43, 44, 60)
    ]
    client.force_login(coordinator)

    response = client.get(reverse(INDEX), {"termijn": "verlopen"})

    html = response.content.decode()
    today = timezone.localdate()
    for case in cases:
        assert (case.reference in html) == (case.decision_due() < today)


def test_listing_query_count_does_not_grow_with_the_number_of_cases(client, coordinator, municipality):
    kind = ComplaintKindFactory(municipality=municipality)
    unit = OrganisationUnitFactory(municipality=municipality)
    client.force_login(coordinator)

    def queries_for_listing():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse(INDEX)).status_code == 200
        return len(context)

    ComplaintFactory.create_batch(10, municipality=municipality, kind=kind, unit=unit, handler=coordinator)
    queries_for_listing()  # the whole list's total is then counted and kept a minute
    with_10 = queries_for_listing()
    ComplaintFactory.create_batch(190, municipality=municipality, kind=kind, unit=unit, handler=coordinator)
    with_200 = queries_for_listing()

    assert with_200 == with_10


def test_search_finds_by_reference_and_name(client, coordinator, municipality):
    wanted = ComplaintFactory(municipality=municipality, name="Mevrouw Zoekbaar")
    other = ComplaintFactory(municipality=municipality, name="Iemand Anders")
    client.force_login(coordinator)

    by_name = client.get(reverse(INDEX), {"q": "Zoekbaar"}).content.decode()
    by_reference = client.get(reverse(INDEX), {"q": wanted.reference}).content.decode()

    assert wanted.reference in by_name and other.reference not in by_name
    assert wanted.reference in by_reference


def test_case_file_shows_terms_steps_and_timeline(client, coordinator, complaint):
    client.force_login(coordinator)

    response = client.get(reverse(INSPECT, args=[complaint.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert complaint.reference in html
    assert "Tijdlijn" in html
    assert step_url(complaint, "record_intake") in html
    assert step_url(complaint, "decide") not in html  # not allowed in this state


def test_an_illegal_step_through_the_view_is_refused_and_changes_nothing(client, coordinator, complaint):
    client.force_login(coordinator)

    response = post_step(client, complaint, "decide", {"outcome": "unfounded", "findings": "x", "reasons": "y"})

    complaint.refresh_from_db()
    assert response.status_code == 400
    assert "niet mogelijk" in response.content.decode()
    assert complaint.status == Status.RECEIVED
    assert complaint.history.count() == 1


def test_a_refusal_by_the_rules_shows_its_message_and_keeps_the_input(client, coordinator, complaint, municipality):
    kind = ComplaintKindFactory(municipality=municipality)
    unit = OrganisationUnitFactory(municipality=municipality)
    client.force_login(coordinator)
    before_receipt = (RECEIVED - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    response = post_step(
        client,
        complaint,
        "record_intake",
        {"kind": kind.pk, "unit": unit.pk, "first_contact_at": before_receipt, "track": "formal"},
    )

    complaint.refresh_from_db()
    assert response.status_code == 400
    assert "tussen de ontvangst en nu" in response.content.decode()
    assert complaint.status == Status.RECEIVED


def test_every_step_through_its_view_from_received_to_closed(client, coordinator, handler, complaint, municipality):
    """The formal track end to end, then the other endings, each leaving user and reason."""
    kind = ComplaintKindFactory(municipality=municipality)
    unit = OrganisationUnitFactory(municipality=municipality)
    client.force_login(coordinator)
    steps = [
        (
            "record_intake",
            {
                "kind": kind.pk,
                "unit": unit.pk,
                "first_contact_at": "2026-11-03T10:00",
                "track": "formal",
                "reason": "Gebeld",
            },
        ),
        ("log_contact", {"kind": "phone", "with_whom": "Klager", "summary": "Afspraak gemaakt"}),
        ("assign_handler", {"handler": handler.pk, "reason": "Leidinggevende"}),
        ("inform_person_complained_about", {"reason": "Kopie gestuurd"}),
        ("plan_hearing", {"planned_for": "2026-11-23T14:00", "reason": "Beide partijen"}),
        ("record_hearing_report", {"report": "Beide partijen gehoord.", "reason": "Verslag"}),
        ("postpone", {"weeks": 2, "reason": "Getuige op vakantie"}),
        ("decide", {"outcome": "partly_well_founded", "findings": "Bevindingen", "reasons": "Deels gegrond"}),
        ("close", {"satisfied": "no", "reason": "Verwezen naar ombudsman"}),
        ("record_lessons", {"lessons_learned": "Beter uitleggen", "improvements": "Scholing"}),
        ("reopen", {"reason": "Interventie ombudsman"}),
    ]
    for step, data in steps:
        response = post_step(client, complaint, step, data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
        record = complaint.history.first()
        assert record.history_user == coordinator, step
        assert record.history_step == step, step

    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING
    # Handled again: the earlier judgement is in the history, no longer the case's outcome.
    assert complaint.outcome == ""
    assert complaint.history.filter(history_step="decide").get().outcome == Outcome.PARTLY_WELL_FOUNDED
    assert complaint.postponed_weeks == 2
    assert complaint.satisfied is False
    assert complaint.contact_moments.get().kind == ContactMoment.Kind.PHONE


@pytest.mark.parametrize(
    ("step", "data", "status", "outcome"),
    [
        ("not_handled", {"reason_code": "b", "reason": "Ouder dan een jaar"}, Status.NOT_HANDLED, Outcome.NOT_HANDLED),
        (
            "refer",
            {"referral_kind": "objection", "referred_to": "Bezwaarcommissie", "reason": "Is een besluit"},
            Status.REFERRED,
            Outcome.REFERRED,
        ),
        ("withdraw", {"reason": "Klager belde"}, Status.WITHDRAWN, Outcome.WITHDRAWN),
    ],
)
def test_endings_before_handling_through_their_views(client, coordinator, complaint, step, data, status, outcome):
    client.force_login(coordinator)

    response = post_step(client, complaint, step, data)

    complaint.refresh_from_db()
    assert response.status_code == 302
    assert (complaint.status, complaint.outcome) == (status, outcome)
    assert complaint.history.first().history_user == coordinator


def test_resolve_informally_and_waive_hearing_through_their_views(
    client, coordinator, handler, complaint, municipality
):
    kind = ComplaintKindFactory(municipality=municipality)
    unit = OrganisationUnitFactory(municipality=municipality)
    client.force_login(coordinator)
    post_step(
        client,
        complaint,
        "record_intake",
        {"kind": kind.pk, "unit": unit.pk, "first_contact_at": "2026-11-03T10:00", "track": "informal"},
    )
    post_step(client, complaint, "assign_handler", {"handler": handler.pk})
    client.force_login(handler)

    assert post_step(client, complaint, "waive_hearing", {"reason": "Klager ziet af van horen"}).status_code == 302
    response = post_step(client, complaint, "resolve_informally", {"how": "Excuses en uitleg", "apology_offered": "on"})

    complaint.refresh_from_db()
    assert response.status_code == 302
    assert complaint.outcome == Outcome.RESOLVED_INFORMALLY
    assert complaint.track == Track.INFORMAL
    assert complaint.apology_offered is True
    assert complaint.history.first().history_user == handler


def test_art_9_7_the_assign_form_suggests_the_manager_and_never_offers_the_person(client, coordinator, complaint):
    manager = role_user(roles.HANDLER, username="manager", first_name="Manon")
    unit = OrganisationUnitFactory(municipality=complaint.municipality, manager=manager)
    complaint.unit = unit
    complaint.person_complained_about_user = role_user(roles.HANDLER, username="baliemedewerker")
    complaint.status = Status.INTAKE
    complaint.save()
    client.force_login(coordinator)

    response = client.get(step_url(complaint, "assign_handler"))

    form = response.context["form"]
    assert form.initial["handler"] == manager.pk
    assert complaint.person_complained_about_user not in form.fields["handler"].queryset
    refused = post_step(client, complaint, "assign_handler", {"handler": complaint.person_complained_about_user.pk})
    assert refused.status_code == 400


def test_art_9_7_the_details_form_refuses_making_the_handler_the_person_complained_about(
    client, coordinator, handler, complaint
):
    complaint.handler = handler
    complaint.status = Status.HANDLING
    complaint.save()
    client.force_login(coordinator)
    edit_url = reverse("klachtformulieren_cases:edit", args=[complaint.pk])
    form = client.get(edit_url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["person_complained_about_user"] = handler.pk

    response = client.post(edit_url, data)

    complaint.refresh_from_db()
    assert response.status_code == 200
    assert complaint.person_complained_about_user is None


def test_art_9_2_register_a_phone_complaint_with_a_past_received_date(client, coordinator, municipality):
    client.force_login(coordinator)

    response = client.post(
        reverse("klachtformulieren_cases:add"),
        {
            "municipality": municipality.pk,
            "channel": Channel.PHONE,
            "received_at": "2026-11-20T11:30",
            "name": "Meneer Beller",
            "postal_address": "Kerkstraat 2\n1234 AB Proefdorp",
            "description": "Hij werd aan de telefoon steeds doorverbonden.",
            "conduct_date": "2026-11-19",
        },
    )

    complaint = Complaint.objects.get(name="Meneer Beller")
    assert response.status_code == 302
    assert complaint.channel == Channel.PHONE
    assert timezone.localdate(complaint.received_at) == datetime.date(2026, 11, 20)
    assert complaint.history.first().history_user == coordinator
    assert complaint.notifications.filter(kind="acknowledgement").count() == 1


def register(client, channel, name, **fields):
    return client.post(
        reverse("klachtformulieren_cases:add"),
        {
            "channel": channel,
            "received_at": "2026-11-20T11:30",
            "name": name,
            "description": "Zij werd aan de balie niet geholpen.",
            "conduct_date": "2026-11-19",
            **fields,
        },
    )


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.DESK])
def test_art_9_2_an_oral_complaint_is_registered_without_an_address_and_gets_no_letter(
    client, coordinator, municipality, channel
):
    client.force_login(coordinator)

    response = register(client, channel, "Mevrouw Mondeling", municipality=municipality.pk)

    complaint = Complaint.objects.get(name="Mevrouw Mondeling")
    assert response.status_code == 302
    assert not complaint.notifications.filter(kind="acknowledgement").exists()  # nowhere to send it
    assert complaint.notifications.filter(kind="coordinator_notice").exists()


@pytest.mark.parametrize("channel", [Channel.LETTER, Channel.EMAIL])
def test_art_9_4_a_written_complaint_without_an_address_is_refused(client, coordinator, municipality, channel):
    client.force_login(coordinator)

    response = register(client, channel, "Meneer Schriftelijk", municipality=municipality.pk)

    assert response.status_code == 400
    assert "Vul een postadres of een e-mailadres in (Awb 9:4)." in response.content.decode()
    assert not Complaint.objects.filter(name="Meneer Schriftelijk").exists()


def test_register_refuses_a_future_received_date_and_stores_nothing(client, coordinator, municipality):
    client.force_login(coordinator)

    response = client.post(
        reverse("klachtformulieren_cases:add"),
        {
            "municipality": municipality.pk,
            "channel": Channel.LETTER,
            "received_at": "2026-12-20T11:30",
            "name": "Mevrouw Later",
            "email": "later@example.org",
            "description": "Iets",
            "conduct_date": "2026-11-19",
        },
    )

    assert response.status_code == 400
    assert not Complaint.objects.filter(name="Mevrouw Later").exists()


def test_year_filter_shows_the_cases_received_in_that_local_year(client, coordinator, municipality):
    just_after = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 1 January in Amsterdam
    just_before = datetime.datetime(2025, 12, 31, 22, 30, tzinfo=datetime.UTC)
    new_year = ComplaintFactory(municipality=municipality, received_at=just_after)
    old_year = ComplaintFactory(municipality=municipality, received_at=just_before)
    client.force_login(coordinator)

    html = client.get(reverse(INDEX), {"jaar": "2026"}).content.decode()

    assert new_year.reference in html
    assert old_year.reference not in html


def test_a_reference_is_found_exactly(client, coordinator, municipality):
    wanted = ComplaintFactory(municipality=municipality, year=2026, number=123)
    other = ComplaintFactory(municipality=municipality, year=2026, number=1234)
    client.force_login(coordinator)

    html = client.get(reverse(INDEX), {"q": " 2026-000123 "}).content.decode()

    assert wanted.reference in html
    assert other.reference not in html


def test_the_case_list_opens_the_case_file_and_names_its_buttons_in_dutch(client, coordinator, complaint):
    client.force_login(coordinator)

    listing = client.get(reverse("klachtformulieren_cases:index")).content.decode()

    inspect = reverse("klachtformulieren_cases:inspect", args=[complaint.pk])
    assert f'href="{inspect}"' in listing
    assert "Bekijken" in listing and "Bewerken" in listing
    assert "Inspecteer" not in listing and ">Wijzig<" not in listing


def test_required_fields_of_a_step_form_are_marked(client, coordinator, complaint):
    complaint.status = Status.HANDLING
    complaint.save()
    client.force_login(coordinator)

    html = client.get(reverse("klachtformulieren_step", args=[complaint.pk, "withdraw"])).content.decode()

    assert "Velden met * zijn verplicht." in html
    assert '<span aria-hidden="true">*</span></label>' in html


def test_the_case_list_names_the_handler_by_full_name(client, coordinator, handler, complaint):
    complaint.handler = handler
    complaint.save()
    client.force_login(coordinator)

    listing = client.get(reverse("klachtformulieren_cases:index")).content.decode()

    assert handler.get_full_name() in listing
    assert f">{handler.username}<" not in listing
