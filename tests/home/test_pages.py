"""The public pages as a citizen sees them."""

import pytest

from tests.factories import DocumentFactory, ImageFactory, InformationPageFactory, every_block_body

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_route_to_filing_a_complaint(client, home_page):
    target = InformationPageFactory(parent=home_page, title="Zo dient u een klacht in")
    home_page.complaint_page = target
    home_page.save()

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Een klacht indienen" in html
    assert f'href="{target.url}"' in html
    assert "Klacht indienen</a>" in html


def test_home_page_lists_its_quick_links(client, home_page):
    target = InformationPageFactory(parent=home_page, title="Wat is een klacht?")
    home_page.quick_links = [
        ("link", {"page": target, "external_url": "", "label": "", "description": "Waarover u kunt klagen"})
    ]
    home_page.save()

    html = client.get("/").content.decode()

    assert "Wat is een klacht?</a>" in html
    assert "Waarover u kunt klagen" in html


def test_information_page_renders_every_block_type(client, home_page):
    target = InformationPageFactory(parent=home_page, title="Formulier")
    page = InformationPageFactory(
        parent=home_page,
        body=every_block_body(link_page=target, image=ImageFactory(), document=DocumentFactory()),
    )

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 class="kp-heading-2">Waarover u kunt klagen</h2>' in html
    assert '<h3 class="kp-heading-3">Een voorbeeld</h3>' in html
    assert "<b>onvriendelijk</b>" in html
    assert '<details class="kp-faq">' in html and "Kost het geld?</summary>" in html
    assert '<ol class="kp-steps__list">' in html and "Wij bellen u" in html
    assert f'href="{target.url}">Naar het formulier</a>' in html
    # The contact block falls back to the municipality's site settings.
    assert 'href="tel:140123"' in html and "klachten@proefdorp.example" in html
    assert "kp-notice--warning" in html and "Bezwaar is iets anders." in html
    assert "De klachtenregeling" in html and "(PDF" in html
    assert 'alt="Een medewerker aan de balie"' in html and "<figcaption" in html


def test_public_pages_are_dutch_whatever_the_browser_asks(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Direct naar de inhoud" in html
    assert "Skip to main content" not in html


def test_main_menu_lists_live_pages_shown_in_menus(client, home_page):
    shown = InformationPageFactory(parent=home_page, title="Zo gaat het", show_in_menus=True)
    InformationPageFactory(parent=home_page, title="Privacyverklaring", show_in_menus=False)
    InformationPageFactory(parent=home_page, title="Concept", show_in_menus=True, live=False)

    html = client.get(shown.url).content.decode()
    menu = html.split('aria-label="Hoofdmenu"')[1].split("</nav>")[0]

    assert "Zo gaat het" in menu
    assert 'aria-current="page"' in menu
    assert "Privacyverklaring" not in menu
    assert "Concept" not in menu


def test_breadcrumbs_lead_from_home_to_the_current_page(client, home_page):
    parent = InformationPageFactory(parent=home_page, title="Over klachten")
    child = InformationPageFactory(parent=parent, title="Bezwaar of klacht?")

    html = client.get(child.url).content.decode()
    trail = html.split('aria-label="Kruimelpad"')[1].split("</nav>")[0]

    assert trail.index(home_page.title) < trail.index("Over klachten") < trail.index("Bezwaar of klacht?")
    assert '<span aria-current="page">Bezwaar of klacht?</span>' in trail


def test_footer_links_to_the_statements_from_site_settings(client, site, home_page):
    privacy = InformationPageFactory(parent=home_page, title="Privacyverklaring", show_in_menus=False)
    settings = site.municipalitysettings
    settings.privacy_page = privacy
    settings.save()

    html = client.get("/").content.decode()

    assert f'href="{privacy.url}">Privacyverklaring</a>' in html
    assert "Toegankelijkheidsverklaring</a>" not in html


def test_unknown_page_gets_the_dutch_not_found_page(client, home_page):
    response = client.get("/bestaat-niet/")

    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_server_error_page_is_dutch_and_needs_no_context():
    from django.template import loader

    html = loader.get_template("500.html").render()

    assert "Er ging iets mis" in html
    assert '<html lang="nl">' in html


def test_public_pages_send_a_content_security_policy_without_third_parties(client, home_page):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy


def test_on_a_small_screen_the_main_menu_sits_behind_a_menu_link_that_works_without_javascript(client, home_page):
    InformationPageFactory(parent=home_page, title="Zo gaat het", show_in_menus=True)

    html = client.get("/").content.decode()
    menu = html.split('<nav class="kp-nav" id="main-menu"')[1].split("</nav>")[0]

    # Without JavaScript the link opens the menu by its address (CSS :target); menu.js makes it a button.
    assert '<a class="kp-nav__toggle" href="#main-menu" data-kp-menu-toggle="main-menu-list">Menu</a>' in menu
    assert '<ul class="kp-container kp-nav__list" id="main-menu-list">' in menu
    assert '<script src="/static/js/menu.js" defer></script>' in html
