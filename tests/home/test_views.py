"""robots.txt, security.txt, the sitemap and site search."""

import datetime
import re

import pytest
from django.contrib.staticfiles import finders

from partners.pages import PartnerIndexPage
from tests.factories import ComplaintFormPageFactory, InformationPageFactory, PartnerFactory, TopicFactory

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


def partner_directory(home_page):
    municipality = home_page.get_site().municipalitysettings.municipality
    form = ComplaintFormPageFactory(parent=home_page, municipality=municipality)
    directory = PartnerIndexPage(title="Organisaties", slug="organisaties", complaint_page=form)
    return home_page.add_child(instance=directory)


def test_search_finds_organisations_by_name_and_public_task_and_links_to_their_own_page(client, home_page):
    directory = partner_directory(home_page)
    youth = TopicFactory(name="Jeugdhulp", slug="jeugdhulp")
    PartnerFactory(name="Thuiszorg De Linde", slug="thuiszorg-de-linde", description="Zorg bij u thuis.")
    kompas = PartnerFactory(name="Het Kompas", slug="het-kompas", description="Hulp voor gezinnen.")
    kompas.topics.add(youth)
    kompas.save()  # a parental relation is written with its partner
    PartnerFactory(name="Thuiszorg Verborgen", slug="thuiszorg-verborgen", published=False)

    html = client.get("/zoeken/", {"q": "thuiszorg"}).content.decode()
    assert f'href="{directory.url}thuiszorg-de-linde/">Thuiszorg De Linde</a>' in html
    assert "Zorg bij u thuis." in html
    assert "Verborgen" not in html
    assert "1 resultaat voor" in html

    html = client.get("/zoeken/", {"q": "Jeugdhulp gezinnen"}).content.decode()
    assert f'href="{directory.url}het-kompas/">Het Kompas</a>' in html
    assert "Thuiszorg De Linde" not in html


def test_search_finds_complaint_form_pages_by_their_introduction(client, home_page):
    municipality = home_page.get_site().municipalitysettings.municipality
    intro = "<p>Ontevreden over de balie?</p>"
    form = ComplaintFormPageFactory(parent=home_page, municipality=municipality, intro=intro)

    html = client.get("/zoeken/", {"q": "balie"}).content.decode()

    assert f'href="{form.url}">Klacht indienen</a>' in html


def test_search_pages_organisations_first_then_pages(client, home_page):
    partner_directory(home_page)
    for number in range(4):
        PartnerFactory(name=f"Wijkteam {number}", slug=f"wijkteam-{number}")
    for number in range(8):
        InformationPageFactory(parent=home_page, title=f"Pagina {number}", slug=f"p-{number}", intro="wijkteam")

    first = client.get("/zoeken/", {"q": "wijkteam"}).content.decode()
    second = client.get("/zoeken/", {"q": "wijkteam", "pagina": 2}).content.decode()

    assert "12 resultaten voor" in first
    assert first.count('class="kp-search-results__item"') == 10 and second.count('class="kp-search-results__item"') == 2
    titles = re.findall(r'class="kp-search-results__item">\s*<a href="[^"]*">([^<]+)</a>', first)
    # The organisations first; the pages' order among themselves is the search backend's ranking.
    assert titles[:4] == [f"Wijkteam {number}" for number in range(4)]
    assert all(title.startswith("Pagina") for title in titles[4:])
    assert "Wijkteam" not in second
