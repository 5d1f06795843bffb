"""Wagtail's v3 API at /api/v3/: docs for developers only, no anonymous writes, no private data."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision, Site

from klachtformulieren.intake.status import new_status_token
from klachtformulieren.models import Complaint, Municipality
from tests.factories import (
    ComplaintFactory,
    ComplaintFormPageFactory,
    DocumentFactory,
    ImageFactory,
    PartnerContractFactory,
    UserFactory,
)
from tests.portal.test_settings import PRODUCTION_ENV, SETUP, run_python

pytestmark = pytest.mark.django_db

# Routes that are meant for anonymous callers; every other route in the schema needs a token.
PUBLIC_PREFIXES = ("/api/v3/partners/", "/api/v3/klachtformulieren/")


def test_openapi_schema_and_docs_are_served_in_development_and_tests(client):
    schema = client.get("/api/v3/openapi.json")
    docs = client.get("/api/v3/docs/")

    assert schema.status_code == 200
    assert {"/api/v3/pages/", "/api/v3/partners/", "/api/v3/partners/{slug}/"} <= set(schema.json()["paths"])
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_docs_page_loads_swagger_ui_from_our_own_static_files_not_a_cdn(client):
    html = client.get("/api/v3/docs/").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not in our static files"
    assert "cdn" not in html.lower()


@override_settings(WAGTAILAPI_DOCS_ENABLED=False)
def test_openapi_schema_and_docs_are_not_found_when_switched_off(client, site):
    assert client.get("/api/v3/openapi.json").status_code == 404
    assert client.get("/api/v3/docs/").status_code == 404
    assert client.get("/api/v3/partners/").status_code == 200  # the API itself stays


def test_production_switches_the_docs_off_whatever_the_environment_says():
    result = run_python(
        SETUP + "print(settings.WAGTAILAPI_DOCS_ENABLED)", **PRODUCTION_ENV, DJANGO_API_DOCS_ENABLED="true"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_api_is_mounted_before_the_wagtail_page_tree(client, home_page):
    response = client.get("/api/v3/pages/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert home_page.pk in [page["id"] for page in response.json()["items"]]


@pytest.fixture
def content(site, home_page):
    """One of everything an anonymous caller might try to change through the API."""
    form_page = ComplaintFormPageFactory(parent=home_page, municipality=site.municipalitysettings.municipality)
    form_page.save_revision().publish()
    return {
        "page_id": form_page.pk,
        "revision_id": form_page.latest_revision_id,
        "site_id": site.pk,
        "redirect_id": Redirect.objects.create(old_path="/oud", redirect_link="/nieuw").pk,
        "document_id": DocumentFactory().pk,
        "image_id": ImageFactory().pk,
        "type": "klachtformulieren.municipality",
        "type_name": "klachtformulieren.municipality",
        "pk": site.municipalitysettings.municipality.pk,
    }


def database_state():
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "slug", "path", "live", "locked")),
        "revisions": Revision.objects.count(),
        "sites": list(Site.objects.order_by("pk").values_list("pk", "hostname", "root_page_id")),
        "redirects": list(Redirect.objects.values_list("pk", "old_path")),
        "municipalities": list(Municipality.objects.values_list("pk", "name")),
    }


# A request body that would succeed with a token, so only the missing authentication stops it.
BODIES = {
    "pages_create": lambda ids: {
        "meta": {"type": "home.InformationPage", "parent_id": ids["page_id"], "action": "publish"},
        "title": "Gehackt",
        "slug": "gehackt",
    },
    "pages_update": lambda ids: {"title": "Gehackt", "meta": {"action": "publish"}},
    "pages_actions_move": lambda ids: {"destination_id": ids["page_id"]},
    "pages_actions_revert": lambda ids: {"revision_id": ids["revision_id"]},
    "pages_actions_copy_for_translation": lambda ids: {"locale": "en"},
    "sites_create": lambda ids: {"hostname": "gehackt.example", "root_page": ids["page_id"]},
}


def operations_needing_a_token(client):
    schema = client.get("/api/v3/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            public_read = method == "get" and {"AllowAnonymous": []} in operation.get("security", [])
            if not public_read and not path.startswith(PUBLIC_PREFIXES):
                yield method, path, operation["operationId"]


def call(client, method, path, operation_id, ids):
    url = re.sub(r"{(\w+)}", lambda match: str(ids.get(match.group(1), 1)), path)
    if method == "get":
        return client.get(url)
    body = BODIES.get(operation_id, lambda ids: {})(ids)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_every_route_but_public_reads_needs_a_token(client, content):
    operations = list(operations_needing_a_token(client))
    before = database_state()

    answers = {
        (method, path): call(client, method, path, operation_id, content) for method, path, operation_id in operations
    }

    assert {operation_id for _, _, operation_id in operations} >= {
        "pages_create",
        "pages_update",
        "pages_delete",
        "pages_actions_publish",
        "pages_actions_unpublish",
        "pages_actions_copy",
        "pages_actions_move",
        "pages_actions_delete",
        "pages_actions_revert",
        "pages_actions_convert_alias",
        "pages_actions_create_alias",
        "pages_actions_copy_for_translation",
        "pages_revisions_list",
        "pages_revisions_detail",
        "sites_create",
    }
    refused = {route: response.status_code for route, response in answers.items() if response.status_code != 401}
    assert refused == {}
    assert database_state() == before


def test_methods_the_api_does_not_offer_are_refused(client, content):
    before = database_state()
    refused = [("put", f"/api/v3/pages/{content['page_id']}/")] + [
        (method, route)
        for method in ("post", "put", "patch", "delete")
        for route in ("/api/v3/partners/", "/api/v3/partners/iemand/")
    ]

    for method, route in refused:
        response = getattr(client, method)(route, data="{}", content_type="application/json")
        assert response.status_code == 405, (method, route, response.status_code)
    assert database_state() == before


def test_an_editors_browser_session_does_not_count_as_api_authentication(client, content):
    """The v3 API only trusts bearer tokens, so a page that tricks a logged-in editor's browser into
    posting to it (cross-site request forgery) changes nothing."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    before = database_state()

    for method, path, operation_id in operations_needing_a_token(client):
        if method != "get":
            assert call(client, method, path, operation_id, content).status_code == 401, (method, path)
    assert database_state() == before


SECRETS = ("Henk Vertrouwelijk", "henk.vertrouwelijk@example.org", "Mijn buurman", "Gerrit Geheimhouder")


def test_anonymous_callers_reach_no_complaint_and_no_contract_facts(client, content):
    complaint = ComplaintFactory(
        name="Henk Vertrouwelijk",
        email="henk.vertrouwelijk@example.org",
        description="Mijn buurman heeft ...",
    )
    PartnerContractFactory(contract_manager="Gerrit Geheimhouder")
    pages = client.get("/api/v3/pages/", {"limit": 20}).json()["items"]
    public_reads = [
        "/api/v3/pages/",
        "/api/v3/images/",
        "/api/v3/documents/",
        "/api/v3/partners/",
        "/api/v3/klachtformulieren/formulieren/",
        f"/api/v3/klachtformulieren/formulieren/{content['page_id']}/",
        *(f"/api/v3/pages/{page['id']}/" for page in pages),
        *(f"/api/v3/partners/{partner['slug']}/" for partner in client.get("/api/v3/partners/").json()["items"]),
    ]
    case_like = [
        "/api/v3/complaints/",
        f"/api/v3/complaints/{complaint.pk}/",
        f"/api/v3/complaints/{complaint.reference}/",
        f"/api/v3/klachtformulieren/complaints/{complaint.pk}/",
        f"/api/v3/klachtformulieren/klachten/{complaint.pk}/",
        f"/api/v3/klachtformulieren/{complaint.reference}/",
        f"/api/v3/klachtformulieren/status/{complaint.reference}/",
        f"/api/v3/klachtformulieren/status/{complaint.pk}/",
        "/api/v3/snippets/klachtformulieren.complaint/",
        f"/api/v3/snippets/klachtformulieren.complaint/{complaint.pk}/",
    ]

    for url in public_reads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not any(secret in response.content.decode() for secret in SECRETS), url
    for url in case_like:
        response = client.get(url)
        assert response.status_code in (401, 404), (url, response.status_code)
        assert not any(secret in response.content.decode() for secret in SECRETS), url
    assert Complaint.objects.get().name == "Henk Vertrouwelijk"


def test_a_status_lookup_with_any_other_token_reaches_no_case(client, site):
    token, token_hash = new_status_token()
    complaint = ComplaintFactory(
        municipality=site.municipalitysettings.municipality,
        status_token_hash=token_hash,
        name="Henk Vertrouwelijk",
        description="Mijn buurman heeft ...",
    )
    almost = token[:-1] + ("A" if token[-1] != "A" else "B")
    wrong_tokens = [new_status_token()[0], almost, token_hash, complaint.reference, str(complaint.pk), "x" * 200]

    for wrong in wrong_tokens:
        response = client.get(f"/api/v3/klachtformulieren/status/{wrong}/")
        assert response.status_code == 404, wrong
        assert complaint.reference not in response.content.decode()
        assert not any(secret in response.content.decode() for secret in SECRETS)
    assert client.get(f"/api/v3/klachtformulieren/status/{token}/").json()["reference"] == complaint.reference
