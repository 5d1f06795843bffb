"""The partner directory and a partner page in a real browser."""

import pytest

from partners.models import PartnerComplaintChannel
from partners.pages import PartnerIndexPage
from tests.browser.axe import assert_no_axe_violations
from tests.factories import ComplaintFormPageFactory, PartnerFactory, TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def directory(home_page, site):
    complaint_page = ComplaintFormPageFactory(parent=home_page, municipality=site.municipalitysettings.municipality)
    page = PartnerIndexPage(
        title="Organisaties", slug="organisaties", complaint_page=complaint_page, intro="<p>Intro</p>"
    )
    home_page.add_child(instance=page)
    youth = TopicFactory(name="Jeugdhulp", slug="jeugdhulp")
    partner = PartnerFactory(
        name="Jeugdteam Proefdorp", slug="jeugdteam", topics=[youth], second_line_url="https://example.org/"
    )
    PartnerComplaintChannel.objects.create(
        partner=partner, kind="phone", value="0599 123 400", opening_hours="Werkdagen"
    )
    PartnerComplaintChannel.objects.create(partner=partner, kind="post", value="Postbus 1\n1234 AB Proefdorp")
    PartnerFactory(name="Afvalbedrijf Groenrijk", slug="groenrijk")
    return page


def test_directory_filters_by_topic_with_the_keyboard_and_without_javascript(browser, live_server, directory):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    tab = context.new_page()
    tab.goto(directory.url)
    assert tab.locator("#letter-A").count() == 1  # the A-Z list
    tab.get_by_label("Taak").select_option("jeugdhulp")
    tab.get_by_role("button", name="Zoek organisaties").press("Enter")
    tab.wait_for_url("**onderwerp=jeugdhulp**")
    assert tab.get_by_role("link", name="Jeugdteam Proefdorp").is_visible()
    assert tab.get_by_role("link", name="Afvalbedrijf Groenrijk").count() == 0
    context.close()


def test_directory_page_has_no_axe_violations(page, directory):
    page.goto(directory.url)

    assert_no_axe_violations(page)


def test_partner_page_has_no_axe_violations_and_leads_to_the_prefilled_complaint_form(page, directory):
    page.goto(f"{directory.url}jeugdteam/")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Klacht over Jeugdteam Proefdorp indienen bij de gemeente").click()

    assert (
        page.get_by_label("Gaat uw klacht over een organisatie die werk doet voor de gemeente?").input_value()
        == "jeugdteam"
    )
