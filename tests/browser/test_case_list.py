"""The case list on an ordinary laptop screen, as a coordinator uses it every day.

At 1280 by 800 and 1366 by 768 pixels: every column heading is on screen, covered by nothing, and no
heading word breaks across lines; the work queues' counts match the rows they open; three
cases get a handler in one bulk action; axe-core finds no WCAG 2.1 AA violations on the list
and on the case file.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klachtformulieren.cases.roles import COORDINATOR, HANDLER
from klachtformulieren.models import Complaint, Status
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_case_handling import log_in
from tests.factories import (
    ComplaintFactory,
    ComplaintKindFactory,
    MunicipalityFactory,
    OrganisationUnitFactory,
    role_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOPS = [(1280, 800), (1366, 768)]
LIST = "/admin/klachten/zaken/"


@pytest.fixture
def office():
    municipality = MunicipalityFactory(name="Gemeente Lindenhaven")
    kind = ComplaintKindFactory(municipality=municipality, name="Bejegening door een medewerker")
    unit = OrganisationUnitFactory(municipality=municipality, name="Team Vergunningen en Handhaving")
    coordinator = role_user(COORDINATOR, municipalities=[municipality], first_name="Carla", last_name="Coördinator")
    handler = role_user(HANDLER, municipalities=[municipality], first_name="Hendrika", last_name="van der Berg-Smit")
    now = timezone.now()
    cases = []
    for days_ago in (2, 5, 9, 20, 30, 41, 45, 50):
        cases.append(
            ComplaintFactory(
                municipality=municipality,
                kind=kind,
                unit=unit,
                status=Status.INTAKE,
                received_at=now - datetime.timedelta(days=days_ago),
            )
        )
    ComplaintFactory(municipality=municipality, received_at=now)  # newly received
    return {"coordinator": coordinator, "handler": handler, "cases": cases, "municipality": municipality}


HEADINGS_CHECK = """
() => Array.from(
  document.querySelectorAll('table.listing thead th, table.listing tbody tr:nth-child(-n+3) td')
).map(th => {
  const box = th.getBoundingClientRect();
  const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
  const hit = document.elementFromPoint(cx, cy);
  // A word broken over two lines has two boxes.
  const broken = [];
  const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects()).map(rect => Math.round(rect.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return {
    text: th.innerText.trim(),
    left: box.left, right: box.right, top: box.top, bottom: box.bottom,
    covered: !(hit && th.contains(hit)),
    broken,
  };
})
"""


@pytest.mark.parametrize(("width", "height"), LAPTOPS, ids=lambda value: str(value))
def test_every_column_of_the_case_list_fits_a_laptop_screen(page, office, width, height):
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, office["coordinator"])
    page.goto(LIST)
    expect(page.locator("table.listing tbody tr")).to_have_count(9)

    cells = page.evaluate(HEADINGS_CHECK)  # the headings and the first rows' cells
    headings = cells[: page.locator("table.listing thead th").count()]
    texts = [heading["text"] for heading in headings]
    for expected in ("Kenmerk", "Ontvangen", "Soort", "Afdeling", "Behandelaar", "Status", "Beslissing uiterlijk"):
        assert any(expected in text for text in texts), (expected, " | ".join(texts))
    assert any("Resterende dagen" in text for text in texts), " | ".join(texts)
    for heading in headings:
        assert heading["bottom"] <= height, heading
        assert not heading["covered"], heading
    for cell in cells:
        assert cell["left"] >= 0 and cell["right"] <= width, cell
        assert cell["broken"] == [], cell  # "Ontvang-en" is not how a word reads
    # The last column's cells are on screen too, and the reference opens the case file.
    last_cell = page.locator("table.listing tbody tr").first.locator("td").last.bounding_box()
    assert last_cell["x"] + last_cell["width"] <= width
    reference = page.locator("table.listing tbody tr").first.locator("a").first
    assert "/inspect/" in reference.get_attribute("href")


def test_a_work_queue_count_matches_its_rows(page, office):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, office["coordinator"])
    page.goto(LIST)
    for slug, expected in (("nieuw", 1), ("verlopen", 2)):  # received 45 and 50 days ago
        queue = page.locator(f'a.kp-queue[href$="wachtrij={slug}"]')
        count = int(queue.locator(".kp-queue-count").inner_text())
        assert count == expected
        queue.click()
        page.wait_for_url(re.compile(rf".*wachtrij={slug}$"))
        expect(page.locator("table.listing tbody tr")).to_have_count(count)


def test_three_cases_get_a_handler_in_one_bulk_action(page, office):
    page.set_viewport_size({"width": 1366, "height": 768})
    chosen = office["cases"][:3]
    log_in(page, office["coordinator"])
    page.goto(LIST)
    for complaint in chosen:
        row = page.locator("table.listing tbody tr").filter(has_text=complaint.reference)
        row.locator("input[type=checkbox]").check()
    page.locator("[data-bulk-action-button]").filter(has_text="Behandelaar toewijzen").click()
    page.wait_for_url(re.compile(r".*/bulk/.*assign_handler.*"))
    page.locator("select[name=handler]").select_option(str(office["handler"].pk))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(re.compile(r".*/admin/klachten/zaken/.*"))
    expect(page.locator(".messages .success")).to_contain_text("3 zaken")

    for complaint in Complaint.objects.filter(pk__in=[case.pk for case in chosen]):
        assert complaint.handler == office["handler"]
        assert complaint.status == Status.HANDLING
    others = Complaint.objects.exclude(pk__in=[case.pk for case in chosen])
    assert not others.filter(handler=office["handler"]).exists()


def test_the_case_list_and_the_case_file_pass_axe(page, office):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, office["coordinator"])
    page.goto(LIST)
    expect(page.locator("table.listing")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"/admin/klachten/zaken/inspect/{office['cases'][0].pk}/")
    expect(page.locator("main")).to_contain_text(office["cases"][0].reference)
    assert_no_axe_violations(page)
