"""The route finder in a real browser: accessible at every step, usable by keyboard and without JavaScript."""

import re

import pytest

from partners.pages import PartnerIndexPage
from tests.browser.axe import assert_no_axe_violations
from tests.factories import (
    ComplaintFormPageFactory,
    PartnerFactory,
    RouteFinderPageFactory,
    TopicFactory,
    municipal_route,
)

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TABS = 60


@pytest.fixture
def finder(home_page, site):
    complaint_form = ComplaintFormPageFactory(parent=home_page, municipality=site.municipalitysettings.municipality)
    directory = home_page.add_child(
        instance=PartnerIndexPage(title="Organisaties", slug="organisaties", complaint_page=complaint_form)
    )
    youth_care = TopicFactory(name="Jeugdhulp", slug="jeugdhulp")
    PartnerFactory(name="Jeugdteam Noord", slug="jeugdteam-noord", topics=[youth_care])
    return RouteFinderPageFactory(parent=home_page, steps=municipal_route(complaint_form, directory, youth_care))


def focused(page):
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.textContent)")


def tab_to(page, predicate, what):
    """Press Tab until the focused element matches, as a keyboard user does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if predicate(page):
            return
    raise AssertionError(f"{what} cannot be reached with the Tab key")


def tab_to_id(page, element_id):
    tab_to(page, lambda p: p.evaluate("document.activeElement.id") == element_id, f"#{element_id}")


def tab_to_submit(page):
    tab_to(page, lambda p: p.evaluate("document.activeElement.type") == "submit", "the submit button")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?antwoorden=4",
        "?antwoorden=4&vraag=welke-hulp",  # Next without an answer: the error
        "?antwoorden=onzin",  # a tampered address: the notice
        "?antwoorden=1",
        "?antwoorden=2",
        "?antwoorden=3",
        "?antwoorden=4-1",
        "?antwoorden=4-2",
        "?antwoorden=5",
    ],
    ids=[
        "first-question",
        "second-question",
        "no-answer-chosen",
        "tampered-address",
        "result-complaint-form",
        "result-objection",
        "result-report-system",
        "result-partners",
        "result-complaint-form-via-second-question",
        "result-other-organisation",
    ],
)
def test_every_step_and_every_result_has_no_axe_violations(page, finder, query):
    page.goto(finder.url + query)

    assert page.locator("h1").inner_text() == "Klachtwijzer"
    assert_no_axe_violations(page)


def test_the_finder_is_completed_with_the_keyboard_only(page, finder):
    page.goto(finder.url)

    tab_to_id(page, "answer-1")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.locator("#answer-4").is_checked()
    tab_to_submit(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?antwoorden=4$"))

    assert "Om welke hulp gaat het?" in page.locator("legend").inner_text()
    tab_to_id(page, "answer-1")
    page.keyboard.press("Space")
    assert page.locator("#answer-1").is_checked()
    tab_to_submit(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?antwoorden=4-1$"))

    result = page.locator(".kp-route-finder__result")
    assert (
        result.get_by_role("link", name="Jeugdteam Noord")
        .get_attribute("href")
        .endswith("/organisaties/jeugdteam-noord/")
    )

    page.go_back()  # the browser's Back button returns to the previous question
    assert "Om welke hulp gaat het?" in page.locator("legend").inner_text()
    page.go_forward()
    tab_to(page, lambda p: p.evaluate("document.activeElement.getAttribute('href')") == finder.url, "Start again")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(finder.url) + "$"))
    assert "Waarover gaat het?" in page.locator("legend").inner_text()


def test_the_finder_works_with_javascript_switched_off(browser, live_server, finder):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="nl-NL")
    try:
        tab = context.new_page()
        tab.goto(finder.url)
        tab.get_by_label("Een andere organisatie, zoals de politie").check()
        tab.locator(".kp-route-finder button[type=submit]").click()
        tab.wait_for_url(re.compile(r"\?antwoorden=5$"))

        assert "Dan sturen wij die door naar de politie" in tab.locator(".kp-route-finder__result").inner_text()
    finally:
        context.close()
