"""The annual report in the admin: who sees which municipality, the choices, the charts, the exports.

Strings shown to users are being translated; these tests look at data, markup and headers.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klachtformulieren.cases import roles
from klachtformulieren.models import Outcome, Status
from tests.factories import (
    ComplaintFactory,
    ComplaintKindFactory,
    MunicipalityFactory,
    bulk_cases,
    install_administrator,
    role_user,
)

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
TABLE_KEYS = [
    "summary",
    "received_per_year",
    "kind_outcome",
    "kind_unit",
    "unit_outcome",
    "channel_outcome",
    "not_handled",
    "ombudsman",
    "partner_outcome",
    "partner_figures",
    "lessons",
    "satisfaction",
]


def report_url():
    return reverse("klachtformulieren_annual_report")


def received_in(municipality, year, *, kind=None, outcome=Outcome.UNFOUNDED):
    received = datetime.datetime(year, 3, 2, 12, tzinfo=timezone.get_default_timezone())
    return ComplaintFactory(
        municipality=municipality,
        year=year,
        received_at=received,
        kind=kind,
        outcome=outcome,
        status=Status.DECIDED,
        decided_at=received + datetime.timedelta(days=20),
    )


@pytest.fixture
def lindenhaven(db):
    return MunicipalityFactory(name="Gemeente Lindenhaven", slug="lindenhaven")


@pytest.fixture
def elders(db):
    return MunicipalityFactory(name="Gemeente Elders", slug="elders")


@pytest.fixture
def cases(lindenhaven, elders):
    """Last year: two cases in Lindenhaven, three in Elders, each municipality with its own kind."""
    own_kind = ComplaintKindFactory(municipality=lindenhaven, name="Bejegening Lindenhaven")
    other_kind = ComplaintKindFactory(municipality=elders, name="Bereikbaarheid Elders")
    for _ in range(2):
        received_in(lindenhaven, LAST_YEAR, kind=own_kind)
    for _ in range(3):
        received_in(elders, LAST_YEAR, kind=other_kind)


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(client, lindenhaven):
    return logged_in(client, role_user(roles.COORDINATOR, municipalities=[lindenhaven]))


@pytest.fixture
def administrator_client(client):
    return logged_in(client, install_administrator())


def received_figure(response):
    return response.context["report"].received


def test_coordinator_sees_their_own_municipality_by_default(coordinator_client, cases):
    response = coordinator_client.get(report_url())

    assert response.status_code == 200
    assert response.context["selection"].year == LAST_YEAR
    assert response.context["selection"].municipality.slug == "lindenhaven"
    assert received_figure(response) == 2
    html = response.content.decode()
    assert "Bejegening Lindenhaven" in html
    assert "Bereikbaarheid Elders" not in html
    # Only their own municipality can be chosen, and not "all municipalities".
    assert [value for value, _label in response.context["form"].fields["gemeente"].choices] == ["lindenhaven"]


def test_coordinator_cannot_pick_another_municipality(coordinator_client, cases):
    response = coordinator_client.get(report_url(), {"gemeente": "elders"})

    assert response.status_code == 200
    assert response.context["selection"].municipality.slug == "lindenhaven"
    assert received_figure(response) == 2
    assert "Bereikbaarheid Elders" not in response.content.decode()
    assert len(list(response.context["messages"])) == 1


def test_coordinator_cannot_pick_all_municipalities(coordinator_client, cases):
    response = coordinator_client.get(report_url(), {"gemeente": ""})

    assert response.context["selection"].municipality.slug == "lindenhaven"
    assert received_figure(response) == 2


def test_coordinator_cannot_export_another_municipality(coordinator_client, cases):
    response = coordinator_client.get(report_url(), {"gemeente": "elders", "export": "csv"})

    # Back to the page, which says why; never a file of a municipality they may not see.
    assert response.status_code == 302
    assert "export" not in response.url
    assert "Bereikbaarheid Elders" not in coordinator_client.get(response.url).content.decode()


def test_administrator_sees_all_municipalities_and_can_pick_each(administrator_client, cases):
    everything = administrator_client.get(report_url())
    elders_only = administrator_client.get(report_url(), {"gemeente": "elders", "jaar": LAST_YEAR})

    assert everything.context["selection"].municipality is None
    assert received_figure(everything) == 5
    choices = [value for value, _label in everything.context["form"].fields["gemeente"].choices]
    assert choices == ["", "elders", "lindenhaven"]
    assert received_figure(elders_only) == 3
    assert "Bereikbaarheid Elders" in elders_only.content.decode()


@pytest.mark.parametrize("role", [roles.HANDLER, roles.EDITOR])
def test_handlers_and_editors_are_sent_back_to_the_dashboard(client, lindenhaven, role):
    client.force_login(role_user(role, municipalities=[lindenhaven]))

    for query in ({}, {"export": "csv"}):
        response = client.get(report_url(), query)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")


def test_anonymous_visitor_goes_to_the_login_page(client):
    response = client.get(report_url(), {"export": "csv"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_coordinator_without_a_municipality_has_no_report(client):
    client.force_login(role_user(roles.COORDINATOR))

    response = client.get(report_url())

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_reports_menu_shows_the_report_to_coordinators_only(client, lindenhaven):
    from wagtail.admin.menu import reports_menu

    from klachtformulieren.admin.reports import AnnualReportMenuItem

    def shown(user):
        request = type("Request", (), {"user": user})()
        return any(isinstance(item, AnnualReportMenuItem) for item in reports_menu.menu_items_for_request(request))

    assert shown(role_user(roles.COORDINATOR, municipalities=[lindenhaven]))
    assert shown(role_user(roles.ADMINISTRATOR))
    assert not shown(role_user(roles.HANDLER))
    assert not shown(role_user(roles.EDITOR))


@pytest.mark.parametrize("year", ["1999", "next", "", str(LAST_YEAR + 5)])
def test_a_year_outside_the_range_shows_a_message_and_the_last_complete_year(coordinator_client, cases, year):
    response = coordinator_client.get(report_url(), {"jaar": year})

    assert response.status_code == 200
    assert response.context["selection"].year == LAST_YEAR
    assert received_figure(response) == 2
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1
    assert str(LAST_YEAR) in messages[0]


def test_the_years_reach_back_to_the_first_case(coordinator_client, lindenhaven):
    received_in(lindenhaven, LAST_YEAR - 9)

    years = [value for value, _label in coordinator_client.get(report_url()).context["form"].fields["jaar"].choices]

    assert years[0] == str(LAST_YEAR + 1)
    assert years[-1] == str(LAST_YEAR - 9)


def test_an_unknown_unit_depth_falls_back_to_domain(coordinator_client, cases):
    response = coordinator_client.get(report_url(), {"diepte": "afdeling"})

    assert response.status_code == 200
    assert response.context["selection"].unit_depth == "domain"
    assert len(list(response.context["messages"])) == 1


def test_the_page_shows_every_table_accessibly(coordinator_client, cases):
    html = coordinator_client.get(report_url()).content.decode()

    for key in ("summary", "received_per_year", "kind_outcome", "channel_outcome"):
        assert f'id="kp-table-{key}"' in html
        assert f"tabel={key}" in html
    assert html.count("<caption") >= 4
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "<tfoot>" in html
    for name in ("jaar", "gemeente", "diepte"):
        assert re.search(rf'<label for="id_{name}">', html)


def test_the_page_has_accessible_svg_charts(coordinator_client, cases):
    html = coordinator_client.get(report_url()).content.decode()

    charts = re.findall(r'<svg[^>]*class="kp-chart".*?</svg>', html, flags=re.DOTALL)
    assert len(charts) >= 4
    for chart in charts:
        opening = chart[: chart.index(">")]
        assert 'role="img"' in opening
        title_id = re.search(r'aria-labelledby="([^"]+)"', opening).group(1)
        desc_id = re.search(r'aria-describedby="([^"]+)"', opening).group(1)
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', chart)
        assert re.search(rf'<desc id="{desc_id}">[^<]+</desc>', chart)
        assert 'viewBox="' in opening
    # The values are written in the chart, not told by colour alone.
    per_year = next(chart for chart in charts if "kp-chart-received-per-year" in chart)
    assert f">{LAST_YEAR}</text>" in per_year
    assert ">2</text>" in per_year


def test_chart_labels_are_escaped(coordinator_client, lindenhaven):
    received_in(lindenhaven, LAST_YEAR, kind=ComplaintKindFactory(municipality=lindenhaven, name="<script>x</script>"))

    html = coordinator_client.get(report_url()).content.decode()

    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_csv_export_of_one_table_neutralises_formulas(coordinator_client, lindenhaven):
    received_in(lindenhaven, LAST_YEAR, kind=ComplaintKindFactory(municipality=lindenhaven, name="=1+1"))

    response = coordinator_client.get(report_url(), {"export": "csv", "tabel": "kind_outcome"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="klachtenrapportage-{LAST_YEAR}-lindenhaven-kind-outcome.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "'=1+1"
    assert rows[1][-1] == "1"
    assert "'=1+1" in response.content.decode("utf-8-sig")


def test_csv_export_of_all_tables(coordinator_client, lindenhaven):
    received_in(lindenhaven, LAST_YEAR, kind=ComplaintKindFactory(municipality=lindenhaven, name="@SUM(A1)"))

    response = coordinator_client.get(report_url(), {"export": "csv", "jaar": LAST_YEAR, "gemeente": "lindenhaven"})

    assert response["Content-Disposition"] == f'attachment; filename="klachtenrapportage-{LAST_YEAR}-lindenhaven.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'@SUM(A1)" in text
    assert "\n@SUM" not in text and ";@SUM" not in text
    # Every table, each under its title and followed by an empty line.
    assert text.count("\r\n\r\n") == len(TABLE_KEYS)


def test_xlsx_export_of_all_tables_has_a_sheet_per_table(administrator_client, cases):
    response = administrator_client.get(report_url(), {"export": "xlsx"})

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        f'attachment; filename="klachtenrapportage-{LAST_YEAR}-alle-gemeenten.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == len(TABLE_KEYS)
    per_year = workbook.worksheets[1]
    assert [per_year.cell(row=6, column=1).value, per_year.cell(row=6, column=2).value] == [str(LAST_YEAR), 5]


def test_xlsx_export_of_one_table(coordinator_client, cases):
    response = coordinator_client.get(report_url(), {"export": "xlsx", "tabel": "kind_outcome"})

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 1
    rows = list(workbook.active.values)
    assert rows[1][0] == "Bejegening Lindenhaven"
    assert rows[1][-1] == 2


def test_export_of_an_unknown_table_is_not_found(coordinator_client, cases):
    response = coordinator_client.get(report_url(), {"export": "csv", "tabel": "geheim"})

    assert response.status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(coordinator_client, lindenhaven):
    def queries():
        with CaptureQueriesContext(connection) as context:
            response = coordinator_client.get(report_url(), {"jaar": "2026"})
        assert response.status_code == 200
        return len(context)

    bulk_cases(lindenhaven, 10, seed=11)
    coordinator_client.get(report_url())  # sessions, permissions and the like settle on the first request
    with_10 = queries()
    bulk_cases(lindenhaven, 90, seed=12)
    with_100 = queries()

    assert with_10 == with_100
