"""The menu and the breadcrumbs, kept per process for one generation of the page cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ImageFactory, InformationPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached_pages(settings):
    """Every page rendered afresh, so what is measured is the tags, not the page cache."""
    settings.PAGE_CACHE = False


def test_a_page_rendered_afresh_takes_menu_and_breadcrumbs_from_the_kept_copy(client, home_page):
    parent = InformationPageFactory(parent=home_page, title="Over klachten", show_in_menus=True)
    page = InformationPageFactory(parent=parent, title="Zo gaat het")
    client.get(page.url)  # keeps the menu and the breadcrumbs

    with CaptureQueriesContext(connection) as captured:
        html = client.get(page.url).content.decode()

    assert f'href="{parent.url}"' in html  # in the menu and in the breadcrumbs
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    # Neither the menu's nor the breadcrumbs' query (both read only these columns).
    assert '"wagtailcore_page"."title", "wagtailcore_page"."url_path" FROM' not in statements
    assert "wagtail_site_root_paths" not in statements  # no addresses worked out again


def test_the_kept_menu_follows_a_new_page(client, home_page):
    page = InformationPageFactory(parent=home_page, title="Eerste", show_in_menus=True)
    client.get(page.url)

    InformationPageFactory(parent=home_page, title="Net gepubliceerd", show_in_menus=True)

    assert "Net gepubliceerd" in client.get(page.url).content.decode()


def test_the_kept_breadcrumbs_follow_a_renamed_parent(client, home_page):
    parent = InformationPageFactory(parent=home_page, title="Oude naam")
    page = InformationPageFactory(parent=parent, title="Kind")
    client.get(page.url)

    parent.title = "Nieuwe naam"
    parent.save_revision().publish()
    html = client.get(page.url).content.decode()

    assert "Nieuwe naam" in html
    assert "Oude naam" not in html


def test_the_kept_footer_follows_a_change_to_the_municipality(client, site, home_page):
    page = InformationPageFactory(parent=home_page)
    client.get(page.url)  # keeps the header's name and the footer
    municipality = site.municipalitysettings.municipality
    municipality.name = "Gemeente Nieuwdorp"
    municipality.phone = "0800 1234567"
    municipality.save()

    html = client.get(page.url).content.decode()

    assert html.count("Gemeente Nieuwdorp") >= 2  # the header and the footer (and the title)
    assert "0800 1234567" in html


def test_the_kept_footer_and_header_cost_no_address_or_rendition_lookup(client, site, home_page):
    settings = site.municipalitysettings
    settings.logo = ImageFactory()
    settings.privacy_page = InformationPageFactory(parent=home_page, title="Privacyverklaring")
    settings.save()
    page = InformationPageFactory(parent=home_page)
    first = client.get(page.url).content.decode()

    with CaptureQueriesContext(connection) as captured:
        second = client.get(page.url).content.decode()

    assert second == first
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    assert "wagtail_site_root_paths" not in statements  # the footer's link to the privacy statement
    assert "wagtailimages_rendition" not in statements
