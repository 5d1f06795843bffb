"""Filing a complaint in a real browser: by keyboard only, accessible at every step."""

import re

import pytest

from klachtformulieren.models import Complaint
from tests.browser.axe import assert_no_axe_violations
from tests.factories import ComplaintFormPageFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TABS = 80


@pytest.fixture
def form_page(home_page, site):
    return ComplaintFormPageFactory(parent=home_page, municipality=site.municipalitysettings.municipality)


def tab_to(page, element_id):
    """Press Tab until the element has focus, as a keyboard user does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_empty_form_has_no_axe_violations(page, form_page):
    page.goto(form_page.url)

    assert page.locator("h1").inner_text() == "Klacht indienen"
    assert_no_axe_violations(page)


def test_form_with_errors_has_no_axe_violations_and_the_summary_leads_to_the_field(page, form_page):
    page.goto(form_page.url)
    page.get_by_role("button", name="Klacht versturen").click()

    summary = page.locator("#error-summary")
    assert "Vul uw naam in." in summary.inner_text()
    assert_no_axe_violations(page)
    summary.get_by_role("link", name="Vul uw naam in.").click()
    assert page.evaluate("document.activeElement.id") == "id_name"


def test_complaint_filed_with_the_keyboard_only_then_thank_you_and_status_pages(page, form_page):
    page.goto(form_page.url)

    tab_to(page, "id_name")
    page.keyboard.type("Fatima el Amrani")
    tab_to(page, "id_email")
    page.keyboard.type("fatima@example.org")
    tab_to(page, "id_description")
    page.keyboard.type("Ik ben drie keer niet teruggebeld over mijn aanvraag.")
    tab_to(page, "id_conduct_date")
    page.keyboard.type("2-11-2026")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/bedankt/$"))

    complaint = Complaint.objects.get()
    assert complaint.name == "Fatima el Amrani"
    assert complaint.conduct_date.isoformat() == "2026-11-02"
    assert complaint.reference in page.locator(".kp-reference").inner_text()
    assert_no_axe_violations(page)

    page.goto(page.locator(".kp-status-link a").get_attribute("href"))
    assert complaint.reference in page.locator("h1").inner_text()
    assert "Wij hebben uw klacht ontvangen" in page.content()
    assert_no_axe_violations(page)
