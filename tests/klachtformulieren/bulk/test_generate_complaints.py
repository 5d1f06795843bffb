"""manage.py generate_complaints: many realistic cases for benchmarks, consistent with the rules."""

import datetime
import io
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from klachtformulieren.cases import deadlines
from klachtformulieren.cases.steps import STEPS
from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.intake.services import register_complaint
from klachtformulieren.models import (
    Complaint,
    ComplaintKind,
    OrganisationUnit,
    Outcome,
    ReferenceSequence,
    Status,
)
from tests.factories import ComplaintFactory

CASES = 200
NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
History = Complaint.history.model


def generate(municipality, count=CASES, seed=42):
    stdout, stderr = io.StringIO(), io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command(
            "generate_complaints", str(count), "--seed", str(seed), "--municipality", municipality.slug,
            stdout=stdout, stderr=stderr,
        )  # fmt: skip
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def generated(municipality):
    generate(municipality)
    return list(Complaint.objects.order_by("pk"))


@pytest.mark.django_db
def test_generates_the_cases_with_a_progress_bar(municipality):
    stdout, stderr = generate(municipality)

    assert Complaint.objects.filter(municipality=municipality).count() == CASES
    assert f"Generated {CASES:,} cases" in stdout
    assert "100%" in stderr


@pytest.mark.django_db
def test_a_municipality_without_classifications_gets_a_minimal_set(municipality, generated):
    assert ComplaintKind.objects.filter(municipality=municipality).count() >= 3
    teams = OrganisationUnit.objects.filter(municipality=municipality, level=OrganisationUnit.Level.TEAM)
    assert teams.count() >= 3
    assert all(case.unit.level == OrganisationUnit.Level.TEAM for case in generated if case.unit)


@pytest.mark.django_db
def test_references_count_up_per_year_without_gaps_and_the_sequence_is_left_at_the_last(generated):
    numbers = defaultdict(list)
    for case in generated:
        assert case.reference == f"{case.year}-{case.number:06d}"
        assert case.year == timezone.localtime(case.received_at).year
        numbers[case.year].append(case.number)
    for year, taken in numbers.items():
        assert sorted(taken) == list(range(1, len(taken) + 1))
        assert ReferenceSequence.objects.get(year=year).last_number == len(taken)


@pytest.mark.django_db
def test_references_follow_the_order_of_receipt(generated):
    by_reference = sorted(generated, key=lambda case: (case.year, case.number))
    assert by_reference == sorted(generated, key=lambda case: case.received_at)


@pytest.mark.django_db
def test_the_intake_continues_after_the_generated_numbers(municipality, generated):
    this_year = max(case.number for case in generated if case.year == NOW.year)
    submission = ComplaintSubmission(
        name="Klager", email="k@example.org", description="Niet teruggebeld.", conduct_date=NOW.date()
    )

    with time_machine.travel(NOW, tick=False):
        registration = register_complaint(submission, municipality=municipality)

    assert registration.complaint.reference == f"{NOW.year}-{this_year + 1:06d}"


@pytest.mark.django_db
def test_a_second_run_continues_the_numbers_after_existing_cases(municipality):
    ComplaintFactory(municipality=municipality, year=NOW.year, number=7, received_at=NOW)  # no sequence row

    generate(municipality, count=50)

    this_year = sorted(Complaint.objects.filter(year=NOW.year).values_list("number", flat=True))
    assert this_year == list(range(7, 7 + len(this_year)))
    assert len(set(Complaint.objects.values_list("status_token_hash", flat=True))) == Complaint.objects.count()


@pytest.mark.django_db
def test_every_case_has_its_registration_and_its_steps_in_the_history(generated):
    records = defaultdict(list)
    for record in History.objects.order_by("history_date", "history_id"):
        records[record.id].append(record)

    for case in generated:
        first, *steps = records[case.pk]
        assert first.history_type == "+"
        assert first.history_change_reason.startswith("generate_complaints")
        assert first.status == Status.RECEIVED
        assert first.history_date == case.received_at
        assert all(step.history_type == "~" and step.history_step in STEPS for step in steps)
        assert records[case.pk][-1].status == case.status
        assert records[case.pk][-1].history_date == case.updated_at


@pytest.mark.django_db
def test_every_case_is_in_a_state_the_workflow_allows(generated):
    # The database holds the valid combinations of status, outcome and dates (Complaint's
    # check constraints); the writers bypass save(), so check them on every case too.
    for case in generated:
        case.validate_constraints()
        assert case.received_at <= case.updated_at <= NOW


@pytest.mark.django_db
def test_the_stored_due_dates_are_the_deadline_engines(generated):
    for case in generated:
        received_on = timezone.localdate(case.received_at)
        assert case.first_contact_due_on == deadlines.first_contact_due(received_on)
        assert case.decision_due_on == deadlines.decision_due(
            received_on, postponed_weeks=case.postponed_weeks, committee=case.advisory_committee
        )
    assert any(case.postponed_weeks for case in generated)


@pytest.mark.django_db
def test_the_cases_spread_over_years_kinds_channels_and_states(generated):
    assert len({case.year for case in generated}) >= 3
    assert len({case.kind_id for case in generated if case.kind_id}) >= 3
    assert len({case.channel for case in generated}) >= 3
    assert len({case.status for case in generated}) >= 4
    # Most cases end informally (Awb 9:5), as in the municipalities' annual reports.
    informal = sum(case.outcome == Outcome.RESOLVED_INFORMALLY for case in generated)
    assert 0.4 < informal / len(generated) < 0.8


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_cases(municipality):
    def facts():
        fields = ("received_at", "channel", "status", "outcome", "kind_id", "unit_id", "name", "description")
        return list(Complaint.objects.order_by("-pk").values_list(*fields)[:CASES])

    generate(municipality, seed=7)
    first = facts()
    generate(municipality, seed=7)

    assert facts() == first


@pytest.mark.django_db
def test_an_unknown_municipality_is_refused():
    with pytest.raises(CommandError, match="No municipality"):
        call_command("generate_complaints", "10", "--municipality", "nergenshuizen", stdout=io.StringIO())
