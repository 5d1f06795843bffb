"""The page cache for anonymous visitors (issue 19): shared, invalidated, never for a login."""

import pytest
from django.core.cache import cache

from home import page_cache
from tests.factories import ComplaintFormPageFactory, InformationPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_gets_the_second_visit_from_the_cache(client, home_page):
    page = InformationPageFactory(parent=home_page, title="Wat is een klacht?")

    first = client.get(page.url)
    second = client.get(page.url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]


def test_publishing_a_page_makes_the_cached_copy_stale_at_once(client, home_page):
    page = InformationPageFactory(parent=home_page, title="Oude titel")
    client.get(page.url)

    page.title = "Nieuwe titel"
    page.save_revision().publish()
    html = client.get(page.url).content.decode()

    assert "Nieuwe titel" in html
    assert "Oude titel" not in html


def test_unpublishing_a_page_is_not_served_from_the_cache(client, home_page):
    page = InformationPageFactory(parent=home_page, title="Tijdelijk")
    url = page.url
    client.get(url)

    page.unpublish()

    assert client.get(url).status_code == 404


def test_a_new_page_in_the_menu_empties_the_cache_of_other_pages(client, home_page):
    client.get("/")
    InformationPageFactory(parent=home_page, title="Nieuw in het menu", show_in_menus=True)

    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_logged_in_user_never_gets_or_fills_the_cache(client, home_page):
    page = InformationPageFactory(parent=home_page, title="Voor iedereen")
    client.get(page.url)  # stored for anonymous visitors
    client.force_login(UserFactory())

    response = client.get(page.url)

    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_a_page_with_a_form_keeps_its_fresh_csrf_token(client, site, home_page):
    municipality = site.municipalitysettings.municipality
    complaint_form_page = ComplaintFormPageFactory(parent=home_page, municipality=municipality)
    first = client.get(complaint_form_page.url)
    second = client.get(complaint_form_page.url)

    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second


def test_a_page_that_is_never_stored_skips_the_cache_on_its_next_visit(client, site, home_page, monkeypatch):

    municipality = site.municipalitysettings.municipality
    complaint_form_page = ComplaintFormPageFactory(parent=home_page, municipality=municipality)
    reads = []
    real_get_many = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda keys, *args, **kwargs: reads.append(keys) or real_get_many(keys, *args, **kwargs)
    )
    client.get(complaint_form_page.url)
    client.get(complaint_form_page.url)
    client.get(home_page.url)
    client.get(home_page.url)
    # The form page asked the cache once (then it was known never to be stored); the home page each time.
    page_reads = [keys for keys in reads if page_cache.GENERATION_KEY in keys]
    assert len(page_reads) == 3
