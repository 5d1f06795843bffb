"""The annual report in the admin, in a real browser: charts, tables, axe-core and both downloads.

A coordinator logs in, opens the report from Wagtail's Reports menu URL and downloads the
exports as a browser does. Labels are being translated; the test uses markup and data.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klachtformulieren.cases.roles import COORDINATOR
from klachtformulieren.models import Outcome, Status
from tests.browser.axe import assert_no_axe_violations
from tests.factories import ComplaintFactory, ComplaintKindFactory, MunicipalityFactory, role_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # the UserFactory's password
LAST_YEAR = timezone.localdate().year - 1
REPORT_PATH = "/admin/klachten/rapportage/"


@pytest.fixture
def coordinator():
    municipality = MunicipalityFactory(name="Gemeente Lindenhaven", slug="lindenhaven")
    kinds = [
        ComplaintKindFactory(municipality=municipality, name="Bejegening"),
        ComplaintKindFactory(municipality=municipality, name="=HYPERLINK(1)"),
    ]
    outcomes = [Outcome.UNFOUNDED, Outcome.WELL_FOUNDED, Outcome.RESOLVED_INFORMALLY]
    for number in range(6):
        received = datetime.datetime(LAST_YEAR, 2 + number, 3, 10, tzinfo=timezone.get_default_timezone())
        ComplaintFactory(
            municipality=municipality,
            year=LAST_YEAR,
            received_at=received,
            kind=kinds[number % 2],
            outcome=outcomes[number % 3],
            status=Status.DECIDED,
            decided_at=received + datetime.timedelta(days=25),
        )
    return role_user(COORDINATOR, municipalities=[municipality])


def log_in(page, user):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r".*/admin/$"))


def test_coordinator_reads_the_report_with_charts_and_downloads_its_exports(page, coordinator):
    log_in(page, coordinator)
    response = page.goto(REPORT_PATH)
    assert response.status == 200

    # The charts: images with a name and a description, drawn with their values.
    charts = page.locator("svg.kp-chart[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 4
    for index in range(charts.count()):
        chart = charts.nth(index)
        expect(chart).to_be_visible()
        assert chart.locator("title").text_content().strip()
        assert chart.locator("desc").text_content().strip()
        box = chart.bounding_box()
        assert box["width"] > 200 and box["height"] > 20
    expect(page.locator("#kp-chart-received-per-year")).to_contain_text(str(LAST_YEAR))

    # The tables: the kinds by outcome add up to the six cases.
    kinds = page.locator("#kp-table-kind_outcome")
    expect(kinds).to_be_visible()
    expect(kinds.locator("tbody tr")).to_have_count(2)
    expect(kinds.locator("tfoot td").last).to_have_text("6")
    expect(page.locator("#kp-table-received_per_year tbody tr")).to_have_count(5)

    assert_no_axe_violations(page)

    # One table as CSV: the formula is neutralised.
    with page.expect_download() as download_info:
        page.locator('a[href*="export=csv"][href*="tabel=kind_outcome"]').click()
    download = download_info.value
    assert download.suggested_filename == f"klachtenrapportage-{LAST_YEAR}-lindenhaven-kind-outcome.csv"
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert {row[0] for row in rows[1:-1]} == {"Bejegening", "'=HYPERLINK(1)"}
    assert rows[-1][-1] == "6"

    # Every table as XLSX: one worksheet per table.
    with page.expect_download() as download_info:
        page.locator('.kp-exports a[href$="export=xlsx"]').first.click()
    download = download_info.value
    assert download.suggested_filename == f"klachtenrapportage-{LAST_YEAR}-lindenhaven.xlsx"
    with open(download.path(), "rb") as file:
        workbook = openpyxl.load_workbook(io.BytesIO(file.read()))
    assert len(workbook.sheetnames) == len(page.locator(".kp-report__section").all())
    kinds_sheet = workbook.worksheets[2]
    values = [list(row) for row in kinds_sheet.values]
    assert values[-1][-1] == 6
    assert "'=HYPERLINK(1)" in [row[0] for row in values]


def test_print_layout_hides_the_admin_chrome_and_the_selectors(page, coordinator):
    log_in(page, coordinator)
    page.goto(REPORT_PATH)

    page.emulate_media(media="print")

    for selector in ("#wagtail-sidebar", ".kp-report__form", ".kp-exports >> nth=0"):
        expect(page.locator(selector)).to_be_hidden()
    expect(page.locator("#kp-table-kind_outcome")).to_be_visible()
    expect(page.locator("svg.kp-chart").first).to_be_visible()
