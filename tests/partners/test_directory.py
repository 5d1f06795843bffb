"""The public partner directory: search, topic filter, A-Z, a page per partner."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import PartnerComplaintChannel
from tests.factories import PartnerAnnualFiguresFactory, PartnerContractFactory, PartnerFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_directory_lists_published_partners_a_to_z(client, directory):
    PartnerFactory(name="Thuiszorg De Linde")
    PartnerFactory(name="Afvalbedrijf Groenrijk")
    PartnerFactory(name="Verborgen BV", published=False)

    html = client.get(directory.url).content.decode()

    assert html.index("Afvalbedrijf Groenrijk") < html.index("Thuiszorg De Linde")
    assert "Verborgen BV" not in html
    assert 'href="#letter-A"' in html and 'id="letter-T"' in html
    assert "2 organisaties" in html


def test_directory_search_finds_by_name_and_description(client, directory):
    PartnerFactory(name="Thuiszorg De Linde", description="Hulp bij het huishouden")
    PartnerFactory(name="Afvalbedrijf Groenrijk", description="Haalt afval op")

    by_name = client.get(directory.url, {"q": "linde"}).content.decode()
    by_description = client.get(directory.url, {"q": "AFVAL"}).content.decode()

    assert "Thuiszorg De Linde" in by_name and "Groenrijk" not in by_name
    assert "Groenrijk" in by_description and "Thuiszorg" not in by_description


def test_directory_filters_by_topic(client, directory):
    youth = TopicFactory(name="Jeugdhulp", slug="jeugdhulp")
    waste = TopicFactory(name="Afval", slug="afval")
    PartnerFactory(name="Jeugdteam", topics=[youth])
    PartnerFactory(name="Groenrijk", topics=[waste])

    html = client.get(directory.url, {"onderwerp": "jeugdhulp"}).content.decode()

    assert "Jeugdteam" in html and "Groenrijk" not in html
    assert '<option value="jeugdhulp" selected>' in html


def test_directory_survives_odd_input(client, directory):
    PartnerFactory(name="Jeugdteam")
    for params in ({"q": "x" * 5000}, {"onderwerp": "bestaat-niet"}, {"q": "<script>", "onderwerp": ""}):
        response = client.get(directory.url, params)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()


def test_nothing_found_points_to_the_municipality(client, directory):
    html = client.get(directory.url, {"q": "bestaat niet"}).content.decode()

    assert "Geen organisatie gevonden" in html or "Geen organisatie past" in html
    assert directory.complaint_page.url in html


def test_partner_page_shows_where_to_complain_escalation_and_second_line(client, directory):
    partner = PartnerFactory(
        name="Thuiszorg De Linde", slug="thuiszorg-de-linde", second_line_name="Geschillencommissie Zorg"
    )
    PartnerComplaintChannel.objects.create(
        partner=partner, kind="phone", value="0599 222 333", opening_hours="Werkdagen"
    )

    response = client.get(f"{directory.url}thuiszorg-de-linde/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:0599222333"' in html and "Werkdagen" in html
    assert f'href="{directory.complaint_page.url}?partner=thuiszorg-de-linde"' in html  # not heard: to us
    assert "Organisaties werken niet goed samen" in html  # organisations do not cooperate: to us
    assert "Geschillencommissie Zorg" in html  # the second line


def test_unpublished_or_unknown_partner_page_is_not_found(client, directory):
    PartnerFactory(slug="verborgen", published=False)

    assert client.get(f"{directory.url}verborgen/").status_code == 404
    assert client.get(f"{directory.url}bestaat-niet/").status_code == 404


def test_contract_facts_never_appear_on_a_public_page(client, directory):
    partner = PartnerFactory(slug="met-contract")
    PartnerContractFactory(partner=partner, has_complaint_arrangement=False)
    PartnerAnnualFiguresFactory(partner=partner, year=2025, handling_notes="Interne notitie over afhandeling")

    pages = [
        client.get(directory.url),
        client.get(f"{directory.url}met-contract/"),
        client.get("/zoeken/", {"q": "Geheime"}),
    ]

    for response in pages:
        html = response.content.decode()
        assert "Geheime Contractbeheerder" not in html
        assert "contractbeheer-geheim@gemeente.example" not in html
        assert "Interne notitie" not in html
        assert "klachtenregeling" not in html.lower() or "contract" not in html.lower()


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_directory_and_partner_page_take_a_bounded_number_of_queries_with_500_partners(client, directory):
    topics = [TopicFactory() for _ in range(5)]
    PartnerFactory(slug="gemeten", topics=topics[:2])
    few_index, few_page = queries_for(client, directory.url), queries_for(client, f"{directory.url}gemeten/")

    partners = PartnerFactory.create_batch(499, topics=topics[:1])
    for partner in partners[:50]:
        PartnerComplaintChannel.objects.create(partner=partner, kind="email", value="k@p.example")
    many_index, many_page = queries_for(client, directory.url), queries_for(client, f"{directory.url}gemeten/")

    assert many_index == few_index <= 15
    assert many_page == few_page <= 15


def test_the_directory_gives_the_sitemap_each_published_partners_page(directory):
    PartnerFactory(slug="thuiszorg-noord", published=True)
    PartnerFactory(slug="nog-niet-klaar", published=False)

    locations = [entry["location"] for entry in directory.get_sitemap_urls()]

    assert locations == [directory.get_full_url(), f"{directory.get_full_url()}thuiszorg-noord/"]


@pytest.mark.reference_portal
def test_the_sitemap_lists_the_directory_and_each_published_partners_page(client, directory):
    PartnerFactory(slug="thuiszorg-noord", published=True)
    PartnerFactory(slug="nog-niet-klaar", published=False)

    body = client.get("/sitemap.xml").content.decode()

    assert f"{directory.url}thuiszorg-noord/</loc>" in body
    assert f"{directory.url}</loc>" in body
    assert "nog-niet-klaar" not in body


def test_a_partner_page_tells_the_hosts_breadcrumbs_where_they_end(client, directory):
    PartnerFactory(name="Thuiszorg De Linde", slug="thuiszorg-de-linde")

    response = client.get(f"{directory.url}thuiszorg-de-linde/")

    assert response.context["breadcrumb_current"] == "Thuiszorg De Linde"


@pytest.mark.reference_portal
def test_a_partner_pages_breadcrumbs_end_at_the_partner(client, directory):
    PartnerFactory(name="Thuiszorg De Linde", slug="thuiszorg-de-linde")

    html = client.get(f"{directory.url}thuiszorg-de-linde/").content.decode()
    trail = html.split('aria-label="Kruimelpad"')[1].split("</nav>")[0]

    assert f'<a href="{directory.url}">Organisaties</a>' in trail
    assert '<span aria-current="page">Thuiszorg De Linde</span>' in trail
