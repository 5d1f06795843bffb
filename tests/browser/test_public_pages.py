"""The home page and an information page in a real browser: accessible and keyboard-usable."""

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.factories import DocumentFactory, ImageFactory, InformationPageFactory, every_block_body

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def information_page(home_page):
    form_page = InformationPageFactory(parent=home_page, title="Klacht indienen")
    home_page.complaint_page = form_page
    link = {"page": form_page, "external_url": "", "label": "", "description": "Begin hier"}
    home_page.quick_links = [("link", link)]
    home_page.save()
    return InformationPageFactory(
        parent=home_page,
        title="Zo gaat het",
        body=every_block_body(link_page=form_page, image=ImageFactory(), document=DocumentFactory()),
    )


def test_home_page_has_no_axe_violations(page, information_page):
    page.goto("/")

    assert page.locator("h1").inner_text() == "Klachten over de gemeente"
    assert_no_axe_violations(page)


def test_information_page_with_every_block_type_has_no_axe_violations(page, information_page):
    page.goto(information_page.url)
    page.locator("summary", has_text="Kost het geld?").click()  # an open <details> is checked too

    assert page.locator("figure img").get_attribute("alt") == "Een medewerker aan de balie"
    assert_no_axe_violations(page)


def test_skip_link_moves_focus_to_the_main_content(page, information_page):
    page.goto(information_page.url)

    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    assert skip_link.inner_text() == "Direct naar de inhoud"
    assert skip_link.is_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    # The next stop is inside the main content, not back in the header.
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_search_works_from_the_keyboard_without_javascript(browser, live_server, information_page):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    tab = context.new_page()
    tab.goto("/")
    tab.get_by_label("Zoeken op deze website").fill("werkdagen")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/zoeken/?q=werkdagen")

    assert tab.get_by_role("link", name="Zo gaat het").first.is_visible()
    context.close()


def test_not_found_page_has_no_axe_violations(page, information_page):
    response = page.goto("/bestaat-niet/")

    assert response.status == 404
    assert_no_axe_violations(page)


@pytest.fixture
def menu_pages(home_page):
    return [
        InformationPageFactory(parent=home_page, title=title, show_in_menus=True)
        for title in ("Wat is een klacht?", "Zo gaat het", "Niet tevreden over de afhandeling?")
    ]


def test_on_a_phone_without_javascript_the_menu_link_opens_the_menu(browser, live_server, menu_pages):
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    tab = context.new_page()
    tab.goto("/")
    menu_item = tab.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zo gaat het")
    assert not menu_item.is_visible()

    tab.get_by_role("link", name="Menu").click()

    assert menu_item.is_visible()
    context.close()


def test_on_a_phone_with_javascript_the_menu_button_opens_and_closes_the_menu(page, menu_pages):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    button = page.get_by_role("button", name="Menu")
    menu_item = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zo gaat het")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu_item.is_visible()

    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert menu_item.is_visible()
    assert_no_axe_violations(page)

    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu_item.is_visible()


def test_on_a_laptop_the_menu_shows_without_a_button(page, menu_pages):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")

    assert page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zo gaat het").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
