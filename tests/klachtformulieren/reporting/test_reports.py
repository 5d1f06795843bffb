"""The annual report's queries: exact figures, tables that add up, a fixed number of queries."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klachtformulieren.cases import workflow
from klachtformulieren.models import Channel, OmbudsmanRequest, Outcome, Status
from klachtformulieren.reporting import annual as reports
from klachtformulieren.reporting.annual import OPEN, OUTCOME_CODES, annual_report
from tests.factories import (
    ComplaintKindFactory,
    MunicipalityFactory,
    OrganisationUnitFactory,
    PartnerFactory,
    UserFactory,
    at,
    bulk_cases,
    handled_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(municipality):
    theme = OrganisationUnitFactory(municipality=municipality, name="Stad", level="theme")
    domain = OrganisationUnitFactory(municipality=municipality, name="Ruimte", level="domain", parent=theme)
    team = OrganisationUnitFactory(municipality=municipality, name="Wegen", level="team", parent=domain)
    return {"theme": theme, "domain": domain, "team": team}


def assert_adds_up(table):
    body, totals = table.matrix()
    assert sum(row[-1] for row in body) == totals[-1] == table.total
    assert sum(totals[:-1]) == table.total
    for column_index, _column in enumerate(table.columns):
        assert sum(row[1 + column_index] for row in body) == totals[column_index]


def test_headline_figures_of_a_year(municipality, tree):
    kind = ComplaintKindFactory(municipality=municipality, name="Bejegening")
    # Received the year before, settled in the year: carried over.
    handled_case(municipality, at(2025, 12, 20), outcome=Outcome.UNFOUNDED, decided=at(2026, 1, 10))
    # Received the year before, settled then: not carried over.
    handled_case(municipality, at(2025, 11, 1), outcome=Outcome.UNFOUNDED, decided=at(2025, 12, 1))
    # Received in the year: one informal with apology, two decided (one late), one still open.
    handled_case(
        municipality,
        at(2026, 3, 2),
        outcome=Outcome.RESOLVED_INFORMALLY,
        settled=at(2026, 3, 10),
        apology_offered=True,
        kind=kind,
        unit=tree["team"],
        first_contact_at=at(2026, 3, 4),
    )
    handled_case(municipality, at(2026, 4, 1), outcome=Outcome.WELL_FOUNDED, decided=at(2026, 5, 1), kind=kind)
    handled_case(municipality, at(2026, 5, 4), outcome=Outcome.UNFOUNDED, decided=at(2026, 8, 1), postponed_weeks=2)
    handled_case(municipality, at(2026, 12, 1), first_contact_at=at(2026, 12, 20))
    # Another municipality's case never counts.
    handled_case(MunicipalityFactory(), at(2026, 6, 1), outcome=Outcome.UNFOUNDED, decided=at(2026, 6, 2))

    report = annual_report(2026, municipality)

    assert report.received == 4
    assert report.carried_over == 1
    assert report.open_at_year_end == 1
    assert report.by_outcome[OPEN] == 1
    assert report.by_outcome[Outcome.RESOLVED_INFORMALLY] == 1
    assert (report.informal.count, report.informal.base) == (1, 4)
    # Within the term: informal (8 days) and well founded (30 days) yes; unfounded after 89 days no.
    assert (report.within_term.count, report.within_term.base) == (2, 3)
    # First contact: 2 days after receipt yes; 19 days no; the two without a recorded contact are late.
    assert (report.first_contact_in_time.count, report.first_contact_in_time.base) == (1, 4)
    assert report.postponed == 1
    assert report.apologies == 1
    assert report.handling_days_median == 30
    assert report.handling_days_mean == round((8 + 30 + 89) / 3, 1)
    assert report.by_kind == {"Bejegening": 2, reports.NOT_CLASSIFIED: 2}
    assert report.by_unit == {"Ruimte": 1, reports.NOT_CLASSIFIED: 3}


def test_a_case_closed_in_january_does_not_change_last_years_report(municipality):
    open_case = handled_case(municipality, at(2026, 12, 10))
    before = annual_report(2026, municipality).as_dict()

    open_case.outcome = Outcome.WELL_FOUNDED
    open_case.decided_at = at(2027, 1, 8)
    open_case.closed_at = at(2027, 1, 20)
    open_case.status = Status.CLOSED
    open_case.save()

    assert annual_report(2026, municipality).as_dict() == before
    assert annual_report(2027, municipality).carried_over == 1


def test_a_decision_in_december_counts_even_when_the_satisfaction_check_is_in_january(municipality):
    handled_case(
        municipality,
        at(2026, 11, 2),
        outcome=Outcome.PARTLY_WELL_FOUNDED,
        decided=at(2026, 12, 4),
        settled=at(2027, 1, 6),
    )

    report = annual_report(2026, municipality)

    assert report.by_outcome[Outcome.PARTLY_WELL_FOUNDED] == 1
    assert report.open_at_year_end == 0


def test_unit_depth_theme_domain_team(municipality, tree):
    handled_case(municipality, at(2026, 2, 2), unit=tree["team"])
    handled_case(municipality, at(2026, 2, 3), unit=tree["domain"])

    assert annual_report(2026, municipality, unit_depth="team").by_unit == {"Wegen": 1, "Ruimte": 1}
    assert annual_report(2026, municipality, unit_depth="domain").by_unit == {"Ruimte": 2}
    assert annual_report(2026, municipality, unit_depth="theme").by_unit == {"Stad": 2}


def test_not_handled_by_ground_channel_partner_and_ombudsman(municipality):
    partner = PartnerFactory(name="Thuiszorg Noord")
    handled_case(
        municipality, at(2026, 1, 5), outcome=Outcome.NOT_HANDLED, settled=at(2026, 1, 20), not_handled_reason="b"
    )
    handled_case(municipality, at(2026, 1, 6), channel=Channel.PHONE, partner=partner)
    complaint = handled_case(
        municipality, at(2026, 2, 6), outcome=Outcome.UNFOUNDED, decided=at(2026, 3, 1), partner=partner
    )
    for received, result, closed in [
        (datetime.date(2026, 3, 1), "intervention", datetime.date(2026, 4, 1)),
        (datetime.date(2026, 6, 1), "recommendation", datetime.date(2027, 2, 1)),  # closed after the year
        (datetime.date(2026, 7, 1), "open", None),
        (datetime.date(2025, 7, 1), "report_letter", datetime.date(2025, 9, 1)),  # another year
    ]:
        OmbudsmanRequest.objects.create(
            municipality=municipality,
            complaint=complaint,
            received_on=received,
            subject="x",
            result=result,
            closed_on=closed,
        )

    report = annual_report(2026, municipality)

    assert report.not_handled_by_reason["b"] == 1
    assert sum(report.not_handled_by_reason.values()) == 1
    assert report.by_channel == {Channel.WEB_FORM: 2, Channel.PHONE: 1}
    assert report.partner_outcome.as_dict()["Thuiszorg Noord"][OPEN] == 1
    assert report.partner_outcome.as_dict()["Thuiszorg Noord"][Outcome.UNFOUNDED] == 1
    assert report.ombudsman_requests == 3
    assert report.ombudsman["intervention"] == 1
    assert report.ombudsman["open"] == 2
    assert report.ombudsman["recommendation"] == 0


def test_lessons_learned_are_listed(municipality):
    coordinator = UserFactory()
    complaint = handled_case(municipality, at(2026, 4, 1))
    workflow.record_lessons(complaint, coordinator, lessons_learned="Sneller terugbellen", improvements="Belschema")

    report = annual_report(2026, municipality)

    assert report.lessons == [
        {
            "reference": complaint.reference,
            "kind": "",
            "lessons_learned": "Sneller terugbellen",
            "improvements": "Belschema",
        }
    ]


def test_every_table_adds_up_to_its_totals(municipality):
    bulk_cases(municipality, 400, seed=1)

    report = annual_report(2026, municipality)

    for table in (report.kind_outcome, report.kind_unit, report.unit_outcome, report.channel_outcome):
        assert_adds_up(table)
        assert table.total == report.received
    assert sum(report.by_outcome.values()) == report.received
    assert sum(report.by_kind.values()) == sum(report.by_unit.values()) == sum(report.by_channel.values())
    assert report.received_per_year[2026] == report.received


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(municipality):
    def queries():
        with CaptureQueriesContext(connection) as context:
            annual_report(2026, municipality)
        return len(context)

    bulk_cases(municipality, 10, seed=2)
    with_10 = queries()
    bulk_cases(municipality, 990, seed=3)
    with_1000 = queries()

    assert with_10 == with_1000 <= 12


def test_complaint_report_command_json_has_the_promised_keys(municipality, tree):
    kind = ComplaintKindFactory(municipality=municipality, name="Bereikbaarheid")
    handled_case(
        municipality, at(2026, 3, 2), outcome=Outcome.UNFOUNDED, decided=at(2026, 3, 20), kind=kind, unit=tree["team"]
    )
    output = io.StringIO()

    call_command(
        "complaint_report", "--year", "2026", "--municipality", municipality.slug, "--format", "json", stdout=output
    )

    data = json.loads(output.getvalue())
    for key in (
        "year",
        "received",
        "by_outcome",
        "by_kind",
        "by_kind_outcome",
        "by_unit",
        "by_unit_outcome",
        "by_channel",
        "within_term",
        "informal_share",
    ):
        assert key in data
    assert data["received"] == 1
    assert set(data["by_outcome"]) == set(OUTCOME_CODES)
    assert data["by_kind_outcome"]["Bereikbaarheid"]["unfounded"] == 1
    assert data["by_unit_outcome"] == {"Ruimte": {code: int(code == "unfounded") for code in OUTCOME_CODES}}
    assert data["within_term"] == {"count": 1, "base": 1, "share": 1.0}


def test_complaint_report_csv_neutralises_formulas_and_xlsx_writes_a_file(municipality, tmp_path):
    kind = ComplaintKindFactory(municipality=municipality, name='=HYPERLINK("http://evil")')
    handled_case(municipality, at(2026, 3, 2), kind=kind)
    output = io.StringIO()

    call_command("complaint_report", "--year", "2026", "--format", "csv", stdout=output)
    call_command("complaint_report", "--year", "2026", "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"))

    assert "'=HYPERLINK" in output.getvalue()
    workbook = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert len(workbook.sheetnames) >= 8
    cells = [cell for row in workbook.worksheets[2].iter_rows(values_only=True) for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells


def test_complaint_report_refuses_an_unknown_municipality_and_a_future_year(municipality):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("complaint_report", "--year", "2026", "--municipality", "nergens")
    with pytest.raises(CommandError, match="year"):
        call_command("complaint_report", "--year", "2999")
