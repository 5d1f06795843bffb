"""The figures of a closed year kept as computed rows: the same report, recomputed when a case changes."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from klachtformulieren.models import AnnualReportRows, Complaint, EquatedHoliday, Outcome
from klachtformulieren.reporting.annual import UNIT_DEPTHS, annual_report
from klachtformulieren.worker import jobs
from tests.factories import ComplaintKindFactory, MunicipalityFactory, at, bulk_cases, handled_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_june_2026():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        yield


def kept_rows(municipality, year):
    return AnnualReportRows.objects.get(municipality=municipality, year=year).rows


def test_the_report_of_a_closed_year_is_kept_and_equals_the_one_computed_from_the_cases(municipality):
    bulk_cases(municipality, 400, seed=4)
    other = MunicipalityFactory()
    bulk_cases(other, 100, seed=5)

    for chosen in (municipality, other, None):
        for depth in UNIT_DEPTHS:
            computed = annual_report(2025, chosen, unit_depth=depth, kept=False).as_dict()
            assert annual_report(2025, chosen, unit_depth=depth).as_dict() == computed
    assert set(AnnualReportRows.objects.values_list("year", "municipality")) == {
        (2025, municipality.pk),
        (2025, other.pk),
    }

    # Read again, the kept report does not read the cases.
    with CaptureQueriesContext(connection) as queries:
        annual_report(2025, municipality)
    assert not [query for query in queries if f'"{Complaint._meta.db_table}"' in query["sql"]]


def test_changing_a_2024_case_changes_the_kept_2024_report(municipality):
    kind = ComplaintKindFactory(municipality=municipality, name="Bejegening")
    case = handled_case(municipality, at(2024, 3, 1), outcome=Outcome.UNFOUNDED, decided=at(2024, 4, 1))
    assert annual_report(2024, municipality).by_kind == {"—": 1}
    before = kept_rows(municipality, 2024)

    case.refresh_from_db()
    case.kind = kind
    case.outcome = Outcome.WELL_FOUNDED
    with CaptureQueriesContext(connection) as queries:
        case.save()

    # The save only drops the kept year (one delete, never reading the year's cases) ...
    assert not AnnualReportRows.objects.filter(municipality=municipality, year=2024).exists()
    assert not [query for query in queries if "GROUP BY" in query["sql"]]
    # ... and the worker keeps it again, with the change.
    assert jobs.keep_closed_year_reports(timezone.now()) >= 1
    assert kept_rows(municipality, 2024) != before
    with CaptureQueriesContext(connection) as queries:
        report = annual_report(2024, municipality)
    assert not [query for query in queries if f'"{Complaint._meta.db_table}"' in query["sql"]]
    assert report.by_kind == {"Bejegening": 1}
    assert report.by_outcome[Outcome.WELL_FOUNDED] == 1
    assert report.as_dict() == annual_report(2024, municipality, kept=False).as_dict()


def test_a_case_moved_across_the_turn_of_the_year_recomputes_both_years(municipality):
    case = handled_case(municipality, at(2024, 12, 30), outcome=Outcome.UNFOUNDED, decided=at(2025, 2, 1))
    assert (annual_report(2024, municipality).received, annual_report(2025, municipality).received) == (1, 0)
    assert annual_report(2025, municipality).carried_over == 1

    case.received_at = at(2025, 1, 2)
    case.save()

    assert (annual_report(2024, municipality).received, annual_report(2025, municipality).received) == (0, 1)
    assert annual_report(2025, municipality).carried_over == 0
    assert annual_report(2024, municipality).open_at_year_end == 0


def test_a_deleted_case_leaves_the_kept_report(municipality):
    case = handled_case(municipality, at(2023, 5, 1), outcome=Outcome.UNFOUNDED, decided=at(2023, 6, 1))
    assert annual_report(2023, municipality).received == 1
    assert annual_report(2025, municipality).received_per_year[2023] == 1

    case.delete()

    assert annual_report(2023, municipality).received == 0
    assert annual_report(2025, municipality).received_per_year[2023] == 0


def test_a_change_no_figure_reads_recomputes_nothing(municipality):
    case = handled_case(municipality, at(2024, 3, 1), outcome=Outcome.UNFOUNDED, decided=at(2024, 4, 1))
    annual_report(2024, municipality)
    computed_at = AnnualReportRows.objects.get().computed_at

    case.refresh_from_db()
    case.phone = "0612345678"
    with CaptureQueriesContext(connection) as queries:
        case.save()

    assert AnnualReportRows.objects.get().computed_at == computed_at
    assert not [query for query in queries if AnnualReportRows._meta.db_table in query["sql"]]


def test_the_current_year_is_never_kept(municipality):
    handled_case(municipality, at(2026, 3, 1))

    assert annual_report(2026, municipality).received == 1
    assert not AnnualReportRows.objects.exists()


def test_an_equated_holiday_drops_the_kept_figures_around_it(municipality):
    handled_case(municipality, at(2024, 3, 1), outcome=Outcome.UNFOUNDED, decided=at(2024, 4, 1))
    for year in (2021, 2024, 2025):
        annual_report(year, municipality)

    # The due dates around the day are recomputed in bulk, past save(): the years around it go.
    EquatedHoliday.objects.create(day=datetime.date(2024, 6, 14), decree="Test")

    assert list(AnnualReportRows.objects.values_list("year", flat=True)) == [2021]
    assert annual_report(2024, municipality).received == 1


def test_the_worker_keeps_every_closed_year_with_cases_once(municipality):
    handled_case(municipality, at(2023, 5, 1), outcome=Outcome.UNFOUNDED, decided=at(2023, 6, 1))
    handled_case(municipality, at(2026, 2, 1))

    assert jobs.keep_closed_year_reports(timezone.now()) == 3  # 2023, 2024 and 2025; 2026 is open
    assert sorted(AnnualReportRows.objects.values_list("year", flat=True)) == [2023, 2024, 2025]
    assert kept_rows(municipality, 2023)["counts"]["received"] == 1
    assert jobs.keep_closed_year_reports(timezone.now()) == 0
    assert "keep_closed_year_reports" in [job.name for job in jobs.JOBS]
