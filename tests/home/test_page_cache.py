"""The page cache for anonymous visitors (issue 19): shared, invalidated, never for a login."""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, RequestFactory
from wagtail.models import Page

from home import page_cache
from tests.factories import (
    ComplaintFormPageFactory,
    ImageFactory,
    InformationPageFactory,
    MunicipalityFactory,
    UserFactory,
)

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


def test_a_page_that_is_never_stored_skips_the_cache_on_its_next_visit(client, site, home_page, page_reads):
    municipality = site.municipalitysettings.municipality
    complaint_form_page = ComplaintFormPageFactory(parent=home_page, municipality=municipality)
    client.get(complaint_form_page.url)
    client.get(complaint_form_page.url)
    client.get(home_page.url)
    client.get(home_page.url)
    # The form page asked the cache once (then it was known never to be stored); the home page each time.
    # (The menu's own read of the generation alone does not count: it looks up no page.)
    assert len(page_reads) == 3


@pytest.fixture
def page_reads(monkeypatch):
    """Every look for a stored page: the generation and a page's key in one get_many (the menu
    reads the generation alone)."""
    reads = []
    real_get_many = cache.get_many

    def counting_get_many(keys, *args, **kwargs):
        if page_cache.GENERATION_KEY in keys and len(keys) == 2:
            reads.append(keys)
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counting_get_many)
    return reads


def test_a_stored_page_may_be_kept_by_a_proxy_for_a_short_while(client, home_page):
    page = InformationPageFactory(parent=home_page)

    for response in (client.get(page.url), client.get(page.url)):
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert directives == {"public", "max-age=60"}
        assert "Cookie" in response["Vary"]


def test_a_page_with_a_form_is_private_and_never_stored(client, site, home_page):
    municipality = site.municipalitysettings.municipality
    form_page = ComplaintFormPageFactory(parent=home_page, municipality=municipality)

    response = client.get(form_page.url)

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= directives
    assert "public" not in directives
    assert cache.get(page_cache._key(RequestFactory().get(form_page.url))) is None
    assert "X-Page-Cache" not in Client().get(form_page.url)


def test_two_visitors_of_a_form_page_each_get_their_own_csrf_token(site, home_page):
    municipality = site.municipalitysettings.municipality
    form_page = ComplaintFormPageFactory(parent=home_page, municipality=municipality)
    token = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

    first, second = Client().get(form_page.url), Client().get(form_page.url)

    assert token.search(first.content) and token.search(second.content)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert token.search(first.content).group(1) != token.search(second.content).group(1)


def test_a_page_a_logged_in_user_saw_is_not_what_an_anonymous_visitor_gets(client, home_page):
    page = InformationPageFactory(parent=home_page, title="Voor iedereen")
    user = UserFactory()
    client.force_login(user)
    logged_in = client.get(page.url)
    client.logout()

    anonymous = client.get(page.url)

    assert "X-Page-Cache" not in logged_in
    assert {"private", "no-cache"} <= {part.strip() for part in logged_in["Cache-Control"].split(",")}
    assert anonymous["X-Page-Cache"] == "miss"


def test_only_wagtail_pages_look_in_the_cache(client, home_page, page_reads):
    client.get("/robots.txt")
    client.get("/sitemap.xml")
    client.get("/zoeken/", {"q": "klacht"})
    client.post(home_page.url)
    client.get(home_page.url)

    assert len(page_reads) == 1


def test_an_address_with_a_query_string_is_rendered_afresh_and_not_stored(client, home_page, page_reads):
    first = client.get(home_page.url, {"utm_source": "nieuwsbrief"})
    second = client.get(home_page.url, {"utm_source": "nieuwsbrief"})

    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second
    assert page_reads == []
    assert client.get(home_page.url)["X-Page-Cache"] == "miss"


def test_publishing_a_revision_of_a_menu_page_refreshes_every_page(client, home_page):
    menu_page = InformationPageFactory(parent=home_page, title="Oude menunaam", show_in_menus=True)
    other = InformationPageFactory(parent=home_page, title="Andere pagina")
    client.get(home_page.url)
    client.get(other.url)

    menu_page.title = "Nieuwe menunaam"
    menu_page.save_revision().publish()

    for url in (home_page.url, other.url):
        html = client.get(url).content.decode()
        assert "Nieuwe menunaam" in html
        assert "Oude menunaam" not in html


def test_a_changed_title_of_a_page_of_any_type_in_the_menu_refreshes_the_pages(client, site, home_page):
    municipality = site.municipalitysettings.municipality
    form_page = ComplaintFormPageFactory(
        parent=home_page, municipality=municipality, title="Klacht doorgeven", show_in_menus=True
    )
    assert "Klacht doorgeven" in client.get(home_page.url).content.decode()

    form_page.title = "Klacht indienen bij de gemeente"
    form_page.save()  # a ComplaintFormPage row: not an app the page cache knew by its label

    assert "Klacht indienen bij de gemeente" in client.get(home_page.url).content.decode()


def test_a_change_to_the_site_settings_refreshes_the_pages(client, site, home_page):
    client.get(home_page.url)
    settings = site.municipalitysettings
    settings.municipality = MunicipalityFactory(name="Gemeente Nieuwdorp")
    settings.save()

    assert "Gemeente Nieuwdorp" in client.get(home_page.url).content.decode()


def test_a_change_to_the_municipality_snippet_refreshes_the_pages(client, site, home_page):
    page = InformationPageFactory(parent=home_page)
    client.get(page.url)
    municipality = site.municipalitysettings.municipality
    municipality.phone = "0800 1234567"
    municipality.save()

    assert "0800 1234567" in client.get(page.url).content.decode()


def test_a_page_stored_before_the_cache_lost_its_generation_is_never_served(client, home_page):
    page = InformationPageFactory(parent=home_page, title="Voor het wissen")
    client.get(page.url)
    # A change whose bump got lost along with the counter (evicted, culled from the table).
    Page.objects.filter(pk=page.pk).update(title="Na het wissen")
    cache.delete(page_cache.GENERATION_KEY)

    response = client.get(page.url)

    assert response["X-Page-Cache"] == "miss"
    assert "Na het wissen" in response.content.decode()


def test_a_change_bumps_the_generation_again_when_its_transaction_commits(
    home_page, django_capture_on_commit_callbacks
):
    Client().get(home_page.url)  # sets the generation
    before = cache.get(page_cache.GENERATION_KEY)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        InformationPageFactory(parent=home_page)
        during = cache.get(page_cache.GENERATION_KEY)

    assert during > before
    assert cache.get(page_cache.GENERATION_KEY) > during


def test_the_rendition_a_first_visit_makes_does_not_make_that_page_stale(client, site, home_page):
    settings = site.municipalitysettings
    settings.logo = ImageFactory()
    settings.save()

    first = client.get(home_page.url)  # makes the logo's rendition
    second = client.get(home_page.url)

    assert b"<img" in first.content
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"


@pytest.fixture
def inner_looks(monkeypatch):
    """Every request that reached the innermost middleware's look at the resolved view."""
    calls = []
    real_process_view = page_cache.AnonymousPageCacheMiddleware.process_view

    def counting_process_view(self, request, *args, **kwargs):
        calls.append(request.path)
        return real_process_view(self, request, *args, **kwargs)

    monkeypatch.setattr(page_cache.AnonymousPageCacheMiddleware, "process_view", counting_process_view)
    return calls


def test_a_stored_page_is_served_before_sessions_urls_and_the_page_view_run(client, home_page, inner_looks):
    page = InformationPageFactory(parent=home_page)
    client.get(page.url)  # stored, and this process now knows the address serves a stored page

    response = client.get(page.url)

    assert response["X-Page-Cache"] == "hit"
    assert inner_looks == [page.url]  # the first visit only
    assert "sessionid" not in client.cookies


def test_a_page_served_early_has_every_header_of_the_page_it_stored(client, home_page):
    page = InformationPageFactory(parent=home_page)
    miss = client.get(page.url)

    hit = client.get(page.url)

    assert hit["X-Page-Cache"] == "hit"
    # The middlewares inside the early one (CSP, X-Frame-Options) are stored with the page; those
    # outside it (the security headers) add theirs to every response.
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Content-Type-Options",
        "Cache-Control",
        "Vary",
        "Content-Type",
    ):
        assert hit[header] == miss[header], header
    assert hit.content == miss.content


def test_the_early_look_never_serves_a_page_stale_after_publishing(client, home_page, inner_looks):
    page = InformationPageFactory(parent=home_page, title="Eerste versie")
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"

    page.title = "Tweede versie"
    page.save_revision().publish()
    response = client.get(page.url)

    assert response["X-Page-Cache"] == "miss"
    assert "Tweede versie" in response.content.decode()
    assert client.get(page.url)["X-Page-Cache"] == "hit"


def test_a_visitor_with_a_session_is_served_by_the_innermost_middleware(client, site, home_page, inner_looks):
    page = InformationPageFactory(parent=home_page)
    Client().get(page.url)  # stored by another visitor
    session = client.session
    session["klacht"] = "ingediend"  # an anonymous visitor who filed a complaint
    session.save()
    client.cookies["sessionid"] = session.session_key

    response = client.get(page.url)

    assert response["X-Page-Cache"] == "hit"
    assert inner_looks == [page.url, page.url]  # the other visitor's, then this one's
    assert not response.cookies


def test_a_page_whose_response_sets_a_cookie_on_the_way_out_is_not_stored(client, home_page):
    page = InformationPageFactory(parent=home_page)
    # A session that no longer exists: SessionMiddleware deletes its cookie in the response.
    client.cookies["sessionid"] = "verlopen-sessie"

    first = client.get(page.url)

    assert first.cookies["sessionid"].value == ""
    assert cache.get(page_cache._key(RequestFactory().get(page.url))) is None
    assert Client().get(page.url)["X-Page-Cache"] == "miss"


def test_a_logged_in_user_at_an_address_known_to_be_stored_gets_a_fresh_page(client, home_page, inner_looks):
    page = InformationPageFactory(parent=home_page, title="Voor iedereen")
    Client().get(page.url)
    Client().get(page.url)
    client.force_login(UserFactory())

    response = client.get(page.url)

    assert "X-Page-Cache" not in response
    assert {"private", "no-cache"} <= {part.strip() for part in response["Cache-Control"].split(",")}
