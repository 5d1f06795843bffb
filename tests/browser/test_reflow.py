"""Every public page of the demo portal on a small phone, a phone and a laptop (WCAG 2.1 1.4.10 reflow).

One sweep over the seeded demo portal: every address in sitemap.xml, the search results, the
complaint form (empty, with errors, filed), the thank-you and status pages, every step of the
route finder, the survey and a request to look again, and "Mijn klachten". At 320, 390 and 1280
CSS px each page must be no wider than the screen and have no axe-core violations. One browser,
one context per width; the failures of all pages are reported together, each with page and width.
"""

import io
import re
import urllib.parse

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from home import demo_cases
from klachtformulieren.cases import references
from klachtformulieren.correspondence import survey as surveys
from klachtformulieren.models import Complaint, Municipality, Notification
from tests.browser.axe import axe_violations
from tests.browser.conftest import guarded_context
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 390, 1280)
HEIGHT = 844
MAX_ROUTE_FINDER_STEPS = 40


@pytest.fixture
def demo_portal(root_page, settings, monkeypatch):
    # Enough cases for every table of the figures page, few enough to seed in seconds.
    monkeypatch.setattr(demo_cases, "DEMO_CASE_COUNT", 30)
    call_command("seed_demo", stdout=io.StringIO())
    # The sweep files a complaint and asks for links at every width, quicker than a person would.
    settings.KLACHTFORMULIEREN_MINIMUM_FILL_SECONDS = 0
    settings.KLACHTFORMULIEREN_SUBMIT_RATE = "1000/h"
    settings.KLACHTFORMULIEREN_STATUS_RATE = "1000/h"
    settings.KLACHTFORMULIEREN_MY_COMPLAINTS_RATE = "1000/h"


class Sweep:
    """Checks each page it is shown and keeps every failure, named by width and page."""

    def __init__(self, page):
        self.page = page
        self.failures = []
        self.checked = 0

    @property
    def width(self):
        return self.page.viewport_size["width"]

    def check(self, what):
        self.checked += 1
        scroll_width = self.page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > self.width:
            self.failures.append(f"{self.width} px, {what} ({self.page.url}): {scroll_width} px wide")
        violations, report = axe_violations(self.page)
        if violations:
            self.failures.append(f"{self.width} px, {what} ({self.page.url}): axe-core:\n{report}")

    def visit(self, path, what=None):
        self.page.goto(path)
        self.check(what or path)


def sitemap_paths(page):
    xml = page.request.get("/sitemap.xml").text()
    return [urllib.parse.urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", xml)]


def mailed_path(kind, pattern):
    body = Notification.objects.filter(kind=kind).latest("pk").body
    return re.search(pattern, body).group(1)


def sweep_complaint_form(sweep, form_path):
    page = sweep.page
    page.goto(form_path)
    page.get_by_role("button", name="Klacht versturen").click()
    page.locator("#error-summary").wait_for()
    sweep.check("the complaint form with errors")

    page.fill("#id_name", "Fatima el Amrani")
    page.fill("#id_email", f"fatima-{sweep.width}@example.org")
    page.fill("#id_description", "Ik ben drie keer niet teruggebeld over mijn aanvraag.")
    page.fill("#id_conduct_date", "2-11-2026")
    page.get_by_role("button", name="Klacht versturen").click()
    page.wait_for_url(re.compile(r".*/bedankt/$"))
    sweep.check("the thank-you page")

    sweep.visit(page.locator(".kp-status-link a").get_attribute("href"), "the status page")
    sweep.visit("/klachten/status/", "the status look-up")
    sweep.visit("/klachten/status/bestaat-niet/", "a mistyped status link")


def sweep_route_finder(sweep, finder_path):
    """Every question and result of the route finder, reached by each answer of each question."""
    page = sweep.page
    to_visit, seen = [finder_path], set()
    while to_visit:
        path = to_visit.pop(0)
        if path in seen:
            continue
        seen.add(path)
        assert len(seen) <= MAX_ROUTE_FINDER_STEPS, "the route finder has more steps than this sweep expects"
        sweep.visit(path, f"route finder step {path}")
        form = page.locator("form.kp-route-finder")
        if form.count() == 0:
            continue  # a result
        # The address each answer leads to, as the form would send it (GET), and the one without an answer.
        to_visit += form.evaluate(
            """form => {
                const address = data => new URL(form.action).pathname + "?" + new URLSearchParams(data);
                const answers = [...form.querySelectorAll("input[type=radio]")].map(radio => {
                    const data = new FormData(form);
                    data.set(radio.name, radio.value);
                    return address(data);
                });
                return [address(new FormData(form)), ...answers];
            }"""
        )
    return len(seen)


def sweep_survey(sweep, municipality):
    page = sweep.page
    with transaction.atomic():  # the reference sequence is locked for its next number (PostgreSQL)
        reference = references.allocate(timezone.now())
    complaint = ComplaintFactory(municipality=municipality, email=f"survey-{sweep.width}@example.org", **reference)
    surveys.invite(complaint)
    path = mailed_path(Notification.Kind.SURVEY_INVITATION, r"https?://[^/\s]+(/klachten/tevredenheid/[^/\s]+/)")

    sweep.visit(path, "the survey")
    page.locator("main form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    sweep.check("the survey with errors")
    page.check("input[name=satisfied][value=nee]")
    page.fill("#id_could_be_better", "Sneller antwoorden.")
    page.check("#id_look_again")  # "ik wil dat de gemeente er opnieuw naar kijkt": a reopen request
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "opnieuw" in page.locator("h1 + p").inner_text()
    sweep.check("the reopen request sent")
    sweep.visit(path, "a survey already answered")
    sweep.visit("/klachten/tevredenheid/bestaat-niet/", "an expired survey link")


def sweep_my_complaints(sweep):
    page = sweep.page
    sweep.visit("/klachten/mijn-klachten/", '"Mijn klachten"')
    page.fill("#id_email", "geen adres")
    page.locator("main form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    sweep.check('"Mijn klachten" with errors')
    page.fill("#id_email", f"fatima-{sweep.width}@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    sweep.check('"Mijn klachten": link sent')
    path = mailed_path(Notification.Kind.MY_COMPLAINTS_LINK, r"https?://[^/\s]+(/klachten/mijn-klachten/[^/\s]+/)")
    sweep.visit(path, '"Mijn klachten": the overview')
    assert Complaint.objects.get(email=f"fatima-{sweep.width}@example.org").reference in page.content()
    page.context.clear_cookies()
    sweep.visit(path, '"Mijn klachten": a used link')


def test_every_public_page_reflows_at_320_390_and_1280_px_without_axe_violations(
    browser, live_server, third_party_requests, demo_portal
):
    municipality = Municipality.objects.get()
    failures, checked = [], 0
    for width in WIDTHS:
        context = guarded_context(browser, live_server, third_party_requests)
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": HEIGHT})
        sweep = Sweep(page)

        paths = sitemap_paths(page)
        for path in paths:
            sweep.visit(path)
        sweep.visit("/zoeken/?q=klacht", "the search results")
        sweep_complaint_form(sweep, "/klacht-indienen/")
        route_finder_steps = sweep_route_finder(sweep, "/klachtwijzer/")
        sweep_survey(sweep, municipality)
        sweep_my_complaints(sweep)

        context.close()
        failures += sweep.failures
        checked += sweep.checked

    assert len(paths) >= 15 and route_finder_steps >= 5  # the sweep saw the whole demo portal
    assert third_party_requests == [], f"requests left this machine: {third_party_requests}"
    assert failures == [], f"{len(failures)} of {checked} page views fail:\n" + "\n".join(failures)


def test_an_editors_radio_question_is_announced_as_a_group_with_its_question(page, demo_portal):
    page.goto("/klacht-indienen/")
    question = page.locator("fieldset.kp-form-choice legend").first.inner_text()
    question_text = question.split(" (")[0]

    # In the accessibility tree: a group named by its legend, holding the radio buttons.
    group = page.get_by_role("group", name=re.compile(re.escape(question_text)))
    assert group.count() == 1
    assert group.get_by_role("radio").count() >= 2
    snapshot = group.aria_snapshot()
    assert snapshot.startswith(f'- group "{question_text}') and "- radio " in snapshot
