"""The Awb workflow: each handling step, its rules, and the history it leaves."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from klachtformulieren.cases import access, deadlines, forms, workflow
from klachtformulieren.cases.steps import STEPS
from klachtformulieren.cases.workflow import StepNotAllowed
from klachtformulieren.intake import services
from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.models import Channel, ContactMoment, Outcome, Status, Track
from tests.factories import ComplaintFactory, ComplaintKindFactory, OrganisationUnitFactory, UserFactory, handler_of

pytestmark = pytest.mark.django_db

RECEIVED = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coordinator():
    return UserFactory(username="coordinator")


@pytest.fixture
def complaint(municipality):
    return ComplaintFactory(municipality=municipality, received_at=RECEIVED, person_complained_about="Baliemedewerker")


def in_intake(complaint, user, track=Track.FORMAL):
    kind = ComplaintKindFactory(municipality=complaint.municipality)
    unit = OrganisationUnitFactory(municipality=complaint.municipality)
    return workflow.record_intake(
        complaint, user, kind=kind, unit=unit, first_contact_at=RECEIVED + datetime.timedelta(days=1), track=track
    )


def in_handling(complaint, user, track=Track.FORMAL):
    in_intake(complaint, user, track)
    return workflow.assign_handler(complaint, user, handler=handler_of(complaint.municipality))


def last_record(complaint):
    return complaint.history.first()


def test_every_step_is_declared_whole_and_names_only_real_states():
    for name, step in STEPS.items():
        assert step.name == name
        assert set(step.sources) <= set(Status)
        assert step.target is None or step.target in Status
        assert step.role in (access.COORDINATOR, access.HANDLER)
        assert issubclass(step.form, forms.StepForm)
        assert callable(workflow.TAKE[name]) and callable(workflow.IN_MEMORY[name])
        assert step.title and step.done


def test_intake_classifies_records_first_contact_and_leaves_history(complaint, coordinator):
    in_intake(complaint, coordinator)

    complaint.refresh_from_db()
    assert complaint.status == Status.INTAKE
    assert complaint.track == Track.FORMAL
    assert last_record(complaint).history_user == coordinator
    assert last_record(complaint).history_step == "record_intake"


def test_an_illegal_step_is_refused_with_a_clear_message_and_changes_nothing(complaint, coordinator):
    with pytest.raises(StepNotAllowed, match="niet mogelijk"):
        workflow.decide(complaint, coordinator, outcome=Outcome.UNFOUNDED, findings="x", reasons="y")

    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert complaint.history.count() == 1


def test_art_9_2_a_phone_complaint_is_registered_with_a_received_date_in_the_past(municipality, coordinator):
    submission = ComplaintSubmission(
        name="Mevrouw Bel",
        postal_address="Dorpsstraat 1",
        description="Niet teruggebeld.",
        conduct_date=datetime.date(2026, 10, 1),
    )
    received = timezone.now() - datetime.timedelta(days=3)

    registration = services.register_by_staff(
        submission, coordinator, municipality=municipality, channel=Channel.PHONE, received_at=received
    )

    complaint = registration.complaint
    assert complaint.channel == Channel.PHONE
    assert complaint.received_at == received
    assert complaint.history.first().history_user == coordinator


def test_art_9_2_received_date_in_the_future_is_refused(municipality, coordinator):
    submission = ComplaintSubmission(
        name="X", email="x@example.org", description="Y", conduct_date=datetime.date(2026, 1, 1)
    )

    with pytest.raises(services.RegistrationRefused):
        services.register_by_staff(
            submission,
            coordinator,
            municipality=municipality,
            channel=Channel.LETTER,
            received_at=timezone.now() + datetime.timedelta(days=1),
        )


@pytest.mark.parametrize("code", ["a", "b", "c", "d", "e", "f", "lid2"])
def test_art_9_8_not_handled_on_each_ground_with_notice_due_in_four_weeks(complaint, coordinator, code):
    workflow.not_handled(complaint, coordinator, reason_code=code, reason="Al eerder behandeld.")

    assert complaint.status == Status.NOT_HANDLED
    assert complaint.outcome == Outcome.NOT_HANDLED
    assert deadlines.not_handled_notice_due(complaint.received_on) == datetime.date(2026, 11, 30)


def test_art_9_8_an_unknown_ground_is_refused(complaint, coordinator):
    with pytest.raises(StepNotAllowed):
        workflow.not_handled(complaint, coordinator, reason_code="z", reason="Geen zin in.")


def test_art_2_3_referral_records_where_the_complaint_went(complaint, coordinator):
    workflow.refer(
        complaint, coordinator, referral_kind="other_body", referred_to="Politie", reason="Gaat over een agent."
    )

    assert complaint.status == Status.REFERRED
    assert complaint.outcome == Outcome.REFERRED
    assert complaint.referred_to == "Politie"


def test_art_9_7_the_person_complained_about_never_handles_the_complaint(complaint, coordinator):
    accused = handler_of(complaint.municipality)
    complaint.person_complained_about_user = accused
    complaint.save()
    in_intake(complaint, coordinator)

    with pytest.raises(StepNotAllowed, match="9:7"):
        workflow.assign_handler(complaint, coordinator, handler=accused)
    assert complaint.handler is None


def test_art_9_7_suggestion_is_the_first_manager_above_who_is_not_complained_about(complaint, municipality):
    secretary, team_leader = UserFactory(), UserFactory()
    domain = OrganisationUnitFactory(municipality=municipality, level="domain", manager=secretary)
    team = OrganisationUnitFactory(municipality=municipality, level="team", parent=domain, manager=team_leader)
    complaint.unit = team

    assert access.suggest_handler(complaint) == team_leader
    complaint.person_complained_about_user = team_leader  # a complaint about the team leader
    assert access.suggest_handler(complaint) == secretary


def test_art_9_9_the_person_complained_about_is_informed(complaint, coordinator):
    in_intake(complaint, coordinator)

    workflow.inform_person_complained_about(complaint, coordinator)

    assert complaint.person_informed_at is not None


def test_art_9_10_formal_decision_needs_a_hearing_or_a_recorded_waiver(complaint, coordinator):
    in_handling(complaint, coordinator)
    with pytest.raises(StepNotAllowed, match="9:10"):
        workflow.decide(complaint, coordinator, outcome=Outcome.UNFOUNDED, findings="F", reasons="R")

    workflow.plan_hearing(complaint, coordinator, planned_for=timezone.now())
    workflow.record_hearing_report(complaint, coordinator, report="Beide partijen gehoord.")
    workflow.decide(complaint, coordinator, outcome=Outcome.PARTLY_WELL_FOUNDED, findings="F", reasons="R")

    assert complaint.status == Status.DECIDED
    assert complaint.outcome == Outcome.PARTLY_WELL_FOUNDED


def test_art_9_10_waiver_allows_a_decision(complaint, coordinator):
    in_handling(complaint, coordinator)
    workflow.waive_hearing(complaint, coordinator, reason="Klager ziet af van horen.")

    workflow.decide(complaint, coordinator, outcome=Outcome.UNFOUNDED, findings="F", reasons="R")

    assert complaint.status == Status.DECIDED


@time_machine.travel("2026-11-20", tick=False)
def test_art_9_11_postponement_adds_at_most_four_weeks_once(complaint, coordinator):
    in_handling(complaint, coordinator)
    assert complaint.decision_due() == datetime.date(2026, 12, 14)

    workflow.postpone(complaint, coordinator, weeks=4, reason="Medewerker is ziek.")

    assert complaint.decision_due() == datetime.date(2027, 1, 11)
    with pytest.raises(StepNotAllowed, match="instemming"):
        workflow.postpone(complaint, coordinator, weeks=2, reason="Nog steeds ziek.")


@time_machine.travel("2026-11-20", tick=False)
def test_art_9_11_more_than_four_weeks_only_with_written_consent(complaint, coordinator):
    in_handling(complaint, coordinator)
    with pytest.raises(StepNotAllowed):
        workflow.postpone(complaint, coordinator, weeks=6, reason="Complex.")

    workflow.postpone(complaint, coordinator, weeks=6, reason="Complex.", consent="Brief van klager, 19-11-2026.")

    assert complaint.postponed_weeks == 6
    assert complaint.postponement_consent.startswith("Brief van klager")


@time_machine.travel("2026-12-20", tick=False)
def test_art_9_11_postponement_after_the_term_has_passed_is_refused(complaint, coordinator):
    in_handling(complaint, coordinator)

    with pytest.raises(StepNotAllowed):
        workflow.postpone(complaint, coordinator, weeks=2, reason="Te laat.")


def test_art_9_5_informal_resolution_closes_the_case_and_records_the_apology(complaint, coordinator):
    in_intake(complaint, coordinator, track=Track.INFORMAL)

    workflow.resolve_informally(complaint, coordinator, how="Uitleg gegeven in een gesprek.", apology_offered=True)

    assert complaint.status == Status.CLOSED
    assert complaint.outcome == Outcome.RESOLVED_INFORMALLY
    assert complaint.apology_offered is True
    assert complaint.closed_at is not None


def test_close_after_the_satisfaction_check_and_reopen_when_the_ombudsman_intervenes(complaint, coordinator):
    in_handling(complaint, coordinator)
    workflow.waive_hearing(complaint, coordinator, reason="Kennelijk ongegrond.")
    workflow.decide(complaint, coordinator, outcome=Outcome.UNFOUNDED, findings="F", reasons="R")

    workflow.close(complaint, coordinator, satisfied=False, reason="Gewezen op de ombudsman.")
    assert complaint.status == Status.CLOSED and complaint.satisfied is False

    workflow.reopen(complaint, coordinator, reason="Interventie van de Nationale ombudsman.")
    assert complaint.status == Status.HANDLING
    assert complaint.closed_at is None


def test_withdraw_ends_an_open_case(complaint, coordinator):
    workflow.withdraw(complaint, coordinator, reason="Klager belde: probleem is opgelost.")

    assert complaint.status == Status.WITHDRAWN
    assert complaint.outcome == Outcome.WITHDRAWN
    with pytest.raises(StepNotAllowed):
        workflow.withdraw(complaint, coordinator, reason="Nog eens.")


def test_logging_a_contact_records_the_first_contact(complaint, coordinator):
    workflow.log_contact(complaint, coordinator, kind="phone", with_whom="Klager", summary="Procedure uitgelegd.")

    assert ContactMoment.objects.get().by == coordinator
    assert complaint.first_contact_at is not None


def test_lessons_learned_are_recorded_for_the_annual_report(complaint, coordinator):
    workflow.record_lessons(complaint, coordinator, lessons_learned="Terugbelnotities beter bijhouden.")

    complaint.refresh_from_db()
    assert complaint.lessons_learned == "Terugbelnotities beter bijhouden."


@pytest.mark.parametrize(
    ("step", "kwargs"),
    [
        ("waive_hearing", {"reason": ""}),
        ("withdraw", {"reason": "  "}),
        ("reopen", {"reason": ""}),
        ("record_lessons", {}),
    ],
)
def test_steps_that_need_a_reason_refuse_an_empty_one(complaint, coordinator, step, kwargs):
    if step == "waive_hearing":
        in_handling(complaint, coordinator)
    if step == "reopen":
        workflow.withdraw(complaint, coordinator, reason="Ingetrokken.")
        complaint.status = Status.CLOSED
    before = complaint.history.count()

    with pytest.raises(StepNotAllowed):
        getattr(workflow, step)(complaint, coordinator, **kwargs)

    assert complaint.history.count() == before


def test_a_first_contact_entered_in_the_minute_of_receipt_is_accepted(complaint, coordinator):
    """Staff enter minutes; a complaint received at 10:00:30 may be answered "at 10:00"."""
    complaint.received_at = RECEIVED + datetime.timedelta(seconds=30)
    complaint.save()
    kind = ComplaintKindFactory(municipality=complaint.municipality)
    unit = OrganisationUnitFactory(municipality=complaint.municipality)

    workflow.record_intake(complaint, coordinator, kind=kind, unit=unit, first_contact_at=RECEIVED, track=Track.FORMAL)

    assert complaint.status == Status.INTAKE


def test_art_9_10_the_hearing_report_waits_for_the_hearing(complaint, coordinator):
    in_handling(complaint, coordinator)
    workflow.plan_hearing(
        complaint, coordinator, planned_for=timezone.now() + datetime.timedelta(days=2), location="Stadhuis, kamer 2"
    )

    with pytest.raises(StepNotAllowed, match="na het horen"):
        workflow.record_hearing_report(complaint, coordinator, report="Beide partijen gehoord.")

    complaint.refresh_from_db()
    assert complaint.hearing_report == ""


def test_an_apology_offered_with_a_formal_decision_counts_too(complaint, coordinator):
    in_handling(complaint, coordinator)
    workflow.waive_hearing(complaint, coordinator, reason="Klager ziet af van horen")

    workflow.decide(
        complaint, coordinator, outcome=Outcome.WELL_FOUNDED, findings="F", reasons="R", apology_offered=True
    )

    complaint.refresh_from_db()
    assert complaint.apology_offered


def test_closing_when_the_complainant_could_not_be_reached_needs_how_they_were_sought(complaint, coordinator):
    in_handling(complaint, coordinator)
    workflow.waive_hearing(complaint, coordinator, reason="Klager ziet af van horen")
    workflow.decide(complaint, coordinator, outcome=Outcome.UNFOUNDED, findings="F", reasons="R")

    with pytest.raises(StepNotAllowed, match="bereiken"):
        workflow.close(complaint, coordinator, satisfied=None, reached=False)
    workflow.close(complaint, coordinator, satisfied=None, reached=False, reason="Drie keer gebeld, een mail gestuurd")

    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.satisfied is None
