"""The share of complainants satisfied (from the survey after closing): annual report and figures page."""

import datetime

import pytest

from klachtformulieren.models import Outcome, SatisfactionSurvey
from klachtformulieren.reporting import satisfaction
from klachtformulieren.reporting.annual import annual_report
from klachtformulieren.reporting.exports import report_tables
from tests.factories import AnnualFiguresPageFactory, ComplaintKindFactory, handled_case

pytestmark = pytest.mark.django_db

RECEIVED = datetime.datetime(2025, 3, 3, 10, tzinfo=datetime.UTC)


@pytest.fixture
def answered(municipality):
    behaviour = ComplaintKindFactory(municipality=municipality, name="Bejegening")
    waiting = ComplaintKindFactory(municipality=municipality, name="Wachttijd")
    answers = [(behaviour, True)] * 4 + [(behaviour, False)] * 2 + [(waiting, True)]
    for number, (kind, satisfied) in enumerate(answers):
        complaint = handled_case(
            municipality,
            RECEIVED,
            outcome=Outcome.UNFOUNDED,
            decided=RECEIVED + datetime.timedelta(days=20),
            settled=RECEIVED + datetime.timedelta(days=21),
            kind=kind,
        )
        SatisfactionSurvey.objects.create(complaint=complaint, token_hash=f"{number:064d}", satisfied=satisfied)
    # Not answered: not counted.
    complaint = handled_case(municipality, RECEIVED, outcome=Outcome.UNFOUNDED, decided=RECEIVED, settled=RECEIVED)
    SatisfactionSurvey.objects.create(complaint=complaint, token_hash="f" * 64)


def test_the_annual_report_has_the_share_satisfied_overall_and_per_kind(answered, municipality):
    figures = satisfaction.satisfaction(2025, municipality)

    assert (figures.overall.count, figures.overall.base) == (5, 7)
    assert {kind: (share.count, share.base) for kind, share in figures.by_kind.items()} == {
        "Bejegening": (4, 6),
        "Wachttijd": (1, 1),
    }
    assert satisfaction.satisfaction(2024, municipality).overall.base == 0


def test_the_report_screen_and_its_exports_carry_the_satisfaction_table(answered, municipality):
    (table,) = [table for table in report_tables(annual_report(2025, municipality)) if table.key == "satisfaction"]
    assert table.body == [["Bejegening", 4, 6, 66.7], ["Wachttijd", 1, 1, 100.0]]
    assert table.totals[1:] == [5, 7, 71.4]


def test_the_figures_page_hides_small_satisfaction_counts_as_it_does_others(answered, municipality, home_page, client):
    for threshold in (2, 3):
        public = satisfaction.public_table(2025, municipality, threshold=threshold)
        shown = [cell.value for row in public.table.rows for cell in row.cells if not cell.hidden]
        # One satisfied of a kind, two not satisfied in all: no such small number is published.
        assert all(value == 0 or value >= threshold for value in shown), (threshold, shown)
        assert public.table.has_hidden or public.table.totals_only

    page = AnnualFiguresPageFactory(parent=home_page, municipality=municipality, year=2025)
    response = client.get(page.url)
    assert "Tevreden over hoe wij de klacht behandelden" in response.content.decode()
