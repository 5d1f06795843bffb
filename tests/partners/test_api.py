"""The partner directory in the API: /api/v3/partners/ and /api/v3/partners/<slug>/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import PartnerComplaintChannel
from tests.factories import (
    ImageFactory,
    PartnerAnnualFiguresFactory,
    PartnerContractFactory,
    PartnerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v3/partners/"


def detail(slug):
    return f"/api/v3/partners/{slug}/"


def test_list_shows_published_partners_a_to_z_with_their_public_facts(client, directory):
    youth = TopicFactory(name="Jeugdhulp", slug="jeugdhulp")
    PartnerFactory(name="Thuiszorg De Linde", slug="de-linde", topics=[youth], website="https://linde.example")
    PartnerFactory(name="Afvalbedrijf Groenrijk", slug="groenrijk", kind="joint_arrangement")
    PartnerFactory(name="Verborgen BV", published=False)

    body = client.get(LIST).json()

    assert body["count"] == 2
    assert [partner["name"] for partner in body["items"]] == ["Afvalbedrijf Groenrijk", "Thuiszorg De Linde"]
    linde = body["items"][1]
    assert linde == {
        "name": "Thuiszorg De Linde",
        "slug": "de-linde",
        "kind": "contracted",
        "kind_label": "Gecontracteerde aanbieder",
        "topics": [{"name": "Jeugdhulp", "slug": "jeugdhulp"}],
        "description": "Helpt inwoners thuis.",
        "website": "https://linde.example",
        "logo_url": None,
        "url": f"http://testserver{directory.url}de-linde/",
    }


def test_list_filters_by_topic_kind_and_text(client, directory):
    youth = TopicFactory(slug="jeugdhulp")
    PartnerFactory(name="Jeugdteam Oost", topics=[youth], description="Hulp voor gezinnen")
    PartnerFactory(name="Groenrijk", kind="joint_arrangement", description="Haalt afval op")

    def names(**params):
        return [partner["name"] for partner in client.get(LIST, params).json()["items"]]

    assert names(topic="jeugdhulp") == ["Jeugdteam Oost"]
    assert names(topic="bestaat-niet") == []
    assert names(kind="joint_arrangement") == ["Groenrijk"]
    assert names(q="AFVAL") == ["Groenrijk"]
    assert names(q="gezinnen", kind="contracted") == ["Jeugdteam Oost"]


def test_list_pages_with_limit_and_offset_within_bounds(client, directory):
    for name in "ABCDE":
        PartnerFactory(name=f"{name} Zorg")

    body = client.get(LIST, {"limit": 2, "offset": 2}).json()

    assert body["count"] == 5
    assert [partner["name"] for partner in body["items"]] == ["C Zorg", "D Zorg"]
    assert client.get(LIST, {"limit": 21}).status_code == 400
    assert client.get(LIST, {"limit": 0}).status_code == 422
    assert client.get(LIST, {"offset": 10_001}).status_code == 422
    assert client.get(LIST, {"q": "x" * 101}).status_code == 422
    assert client.get(LIST, {"kind": "geheim"}).status_code == 422
    assert client.get(LIST, {"topic": "<script>"}).status_code == 422


def test_detail_shows_channels_in_order_procedure_second_line_and_escalation_routes(client, directory):
    partner = PartnerFactory(
        name="Thuiszorg De Linde",
        slug="de-linde",
        regulation_url="https://linde.example/klachtenregeling",
        second_line="disputes_committee",
        second_line_name="Geschillencommissie Zorg",
        second_line_url="https://geschillencommissie.example",
    )
    PartnerComplaintChannel.objects.create(partner=partner, kind="email", value="klacht@linde.example", sort_order=1)
    PartnerComplaintChannel.objects.create(
        partner=partner,
        kind="phone",
        value="0599 222 333",
        opening_hours="Werkdagen",
        note="Vraag naar Ans",
        sort_order=0,
    )

    response = client.get(detail("de-linde"))

    assert response.status_code == 200
    body = response.json()
    assert body["channels"] == [
        {
            "kind": "phone",
            "kind_label": "Telefoon",
            "value": "0599 222 333",
            "href": "tel:0599222333",
            "opening_hours": "Werkdagen",
            "note": "Vraag naar Ans",
        },
        {
            "kind": "email",
            "kind_label": "E-mail",
            "value": "klacht@linde.example",
            "href": "mailto:klacht@linde.example",
            "opening_hours": "",
            "note": "",
        },
    ]
    assert body["procedure"] == "Bel ons; binnen een week hoort u van ons."
    assert body["regulation_url"] == "https://linde.example/klachtenregeling"
    assert body["second_line"] == {
        "kind": "disputes_committee",
        "kind_label": "Een geschillencommissie",
        "name": "Geschillencommissie Zorg",
        "url": "https://geschillencommissie.example",
    }
    complaint_form = f"http://testserver{directory.complaint_page.url}?partner=de-linde"
    routes = {route["kind"]: route for route in body["escalation_routes"]}
    assert list(routes) == ["not_heard", "organisations_do_not_cooperate", "second_line"]
    assert routes["not_heard"]["url"] == complaint_form
    assert routes["organisations_do_not_cooperate"]["url"] == complaint_form
    assert routes["organisations_do_not_cooperate"]["title"] == "Organisaties werken niet goed samen"
    assert "Geschillencommissie Zorg" in routes["second_line"]["text"]
    assert routes["second_line"]["url"] == "https://geschillencommissie.example"


def test_detail_without_second_line_or_directory_page_still_answers(client, site):
    PartnerFactory(slug="kaal", second_line="", procedure="")

    body = client.get(detail("kaal")).json()

    assert body["second_line"] is None
    assert body["url"] is None
    assert [route["kind"] for route in body["escalation_routes"]] == ["not_heard", "organisations_do_not_cooperate"]
    assert all(route["url"] is None for route in body["escalation_routes"])


def test_logo_is_served_as_a_small_rendition(client, directory):
    PartnerFactory(slug="met-logo", logo=ImageFactory())

    logo_url = client.get(detail("met-logo")).json()["logo_url"]

    assert logo_url.startswith("http://testserver/media/images/")
    assert ".max-200x80." in logo_url


@pytest.mark.parametrize("slug", ["verborgen", "bestaat-niet", "%00", "..", "a" * 300])
def test_unpublished_unknown_or_odd_partner_is_not_found_in_dutch_and_english(client, directory, slug):
    PartnerFactory(slug="verborgen", published=False)

    response = client.get(detail(slug))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["detail"] == "There is no published partner with this web address name."
    assert body["detail_nl"] == "Er is geen gepubliceerde organisatie met deze naam in het webadres."


def test_contract_facts_and_figures_never_appear_in_any_api_response(client, directory):
    partner = PartnerFactory(slug="met-contract")
    PartnerContractFactory(partner=partner, contract_manager="Gerrit Geheimhouder-Contractbeheer")
    PartnerAnnualFiguresFactory(partner=partner, year=2025, handling_notes="Interne notitie over afhandeling")

    pages = client.get("/api/v3/pages/", {"limit": 20}).json()["items"]
    responses = [
        client.get(LIST),
        client.get(LIST, {"q": "Gerrit"}),
        client.get(detail("met-contract")),
        client.get("/api/v3/openapi.json"),
        *(client.get(f"/api/v3/pages/{page['id']}/") for page in pages),
    ]

    assert client.get(LIST, {"q": "Gerrit"}).json()["count"] == 0
    for response in responses:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in ("Gerrit Geheimhouder", "contractbeheer-geheim@gemeente.example", "Interne notitie"):
            assert secret not in text
        assert "contract_manager" not in text
        assert "has_complaint_arrangement" not in text


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_and_detail_take_a_bounded_number_of_queries(client, directory):
    topics = [TopicFactory() for _ in range(3)]
    measured = PartnerFactory(name="A gemeten", slug="gemeten", topics=topics, logo=ImageFactory())
    PartnerComplaintChannel.objects.create(partner=measured, kind="email", value="k@p.example")
    few_list, few_detail = queries_for(client, LIST), queries_for(client, detail("gemeten"))

    for partner in PartnerFactory.create_batch(40, topics=topics[:2], logo=ImageFactory()):
        PartnerComplaintChannel.objects.create(partner=partner, kind="phone", value="0599 1")
    many_list, many_detail = queries_for(client, LIST), queries_for(client, detail("gemeten"))

    assert many_list == few_list <= 10
    assert many_detail == few_detail <= 10
