"""robots.txt, security.txt, the sitemap and site search."""

import datetime

import pytest
from django.contrib.staticfiles import finders

from tests.factories import InformationPageFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, home_page):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_security_txt_gives_contact_and_expiry_from_site_settings(client, site):
    settings = site.municipalitysettings
    settings.security_contact = "mailto:security@proefdorp.example"
    settings.security_expires = datetime.date(2027, 6, 30)
    settings.security_policy_url = "https://proefdorp.example/cvd"
    settings.save()

    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert "Contact: mailto:security@proefdorp.example" in lines
    assert "Expires: 2027-06-30T23:59:59Z" in lines
    assert "Policy: https://proefdorp.example/cvd" in lines
    assert "Canonical: http://testserver/.well-known/security.txt" in lines


def test_security_txt_falls_back_to_the_contact_email(client, site):
    response = client.get("/.well-known/security.txt")

    assert "Contact: mailto:klachten@proefdorp.example" in response.content.decode()


def test_security_txt_is_absent_without_any_contact(client, site):
    municipality = site.municipalitysettings.municipality
    municipality.contact_email = ""
    municipality.save()

    assert client.get("/.well-known/security.txt").status_code == 404


def test_security_contact_must_be_a_uri():
    from django.core.exceptions import ValidationError

    from home.models.site_settings import validate_security_contact

    with pytest.raises(ValidationError):
        validate_security_contact("security@proefdorp.example")
    validate_security_contact("mailto:security@proefdorp.example")


def test_sitemap_lists_live_pages(client, home_page):
    live = InformationPageFactory(parent=home_page, slug="zo-gaat-het")
    InformationPageFactory(parent=home_page, slug="concept", live=False)

    body = client.get("/sitemap.xml").content.decode()

    assert f"http://localhost{live.url}" in body or live.url in body
    assert "/concept/" not in body


def test_search_finds_live_pages_by_their_content(client, home_page):
    InformationPageFactory(parent=home_page, title="Bezwaar maken", intro="Niet eens met een besluit van de gemeente")
    InformationPageFactory(parent=home_page, title="Verborgen", intro="besluit", live=False)

    html = client.get("/zoeken/", {"q": "besluit"}).content.decode()

    assert "Bezwaar maken</a>" in html
    assert "Verborgen" not in html
    assert "1 resultaat voor" in html


def test_search_without_a_query_shows_just_the_form(client, home_page):
    response = client.get("/zoeken/")

    assert response.status_code == 200
    assert "resultaten voor" not in response.content.decode()


def test_search_survives_odd_input(client, home_page):
    for query in ["", "   ", "<script>alert(1)</script>", "a" * 5000, "'; DROP TABLE wagtailcore_page; --"]:
        response = client.get("/zoeken/", {"q": query, "pagina": "abc"})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_every_page_declares_a_favicon_and_favicon_ico_finds_it(client, home_page):
    html = client.get(home_page.url).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html

    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.ico")
    assert finders.find("img/favicon.ico") and finders.find("img/favicon.svg")
