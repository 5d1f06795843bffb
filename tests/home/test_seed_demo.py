"""The demo portal that `make run` serves."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from home.models import HomePage, InformationPage, MunicipalitySettings

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("url_path", "title", "live")),
        "revisions": Revision.objects.count(),
        "settings": list(MunicipalitySettings.objects.values()),
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "sites": list(Site.objects.values()),
    }


@pytest.fixture
def editors_group(db):
    return Group.objects.get_or_create(name="Editors")[0]


def test_seed_demo_builds_a_dutch_portal_with_every_promised_page(client, root_page, editors_group):
    call_command("seed_demo", stdout=io.StringIO())

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    slugs = set(InformationPage.objects.live().values_list("slug", flat=True))
    assert {"wat-is-een-klacht", "zo-gaat-het", "niet-tevreden", "privacy", "toegankelijkheid"} <= slugs
    settings = MunicipalitySettings.for_site(site)
    assert settings.privacy_page.slug == "privacy"
    assert settings.accessibility_page.slug == "toegankelijkheid"
    procedure = client.get("/zo-gaat-het/").content.decode()
    assert "5 werkdagen" in procedure and "6 weken" in procedure and "4 weken" in procedure
    assert "ombudsman" in client.get("/niet-tevreden/").content.decode()
    assert client.get("/").status_code == 200


def test_seed_demo_twice_changes_nothing(root_page, editors_group, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    first = snapshot()

    call_command("seed_demo", stdout=io.StringIO())

    assert snapshot() == first


def test_demo_staff_accounts_only_with_debug(root_page, editors_group, settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo")
    assert not get_user_model().objects.exists()
    assert "demo-beheerder" not in capsys.readouterr().out

    settings.DEBUG = True
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "beheerder / demo-beheerder-2026" in output
    editor = get_user_model().objects.get(username="redacteur")
    assert editor.check_password("demo-redacteur-2026")
    assert list(editor.groups.values_list("name", flat=True)) == ["Redacteuren"]
    assert not editor.is_superuser
    assert not editor.complaint_municipalities.exists()  # editors see no cases
    coordinator = get_user_model().objects.get(username="coordinator")
    assert list(coordinator.groups.values_list("name", flat=True)) == ["Klachtcoördinatoren"]
    assert coordinator.complaint_municipalities.get().slug == "lindenhaven"
    handler = get_user_model().objects.get(username="behandelaar")
    assert handler.handled_complaints.exists()


def test_the_demo_figures_page_lets_nobody_work_out_a_hidden_count(client, root_page, editors_group):
    from tests.klachtformulieren.reporting.test_disclosure import audit_figures_json

    call_command("seed_demo", stdout=io.StringIO())
    body = client.get("/api/v3/klachtformulieren/jaarcijfers/").json()

    assert body["received"] > 0
    audit_figures_json(body)


def test_the_sitemap_names_the_configured_host_not_localhost(client, root_page, editors_group, settings):
    settings.PUBLIC_SITE_URL = "https://klachten.lindenhaven.example"
    call_command("seed_demo", stdout=io.StringIO())

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("klachten.lindenhaven.example", 443)
    body = client.get("/sitemap.xml", HTTP_HOST="klachten.lindenhaven.example").content.decode()
    assert "<loc>https://klachten.lindenhaven.example/zo-gaat-het/</loc>" in body
    assert "localhost" not in body


def test_seed_demo_keeps_a_site_address_set_in_the_admin(root_page, editors_group, settings):
    call_command("seed_demo", stdout=io.StringIO())
    Site.objects.filter(is_default_site=True).update(hostname="klachten.gemeente.example", port=443)
    settings.PUBLIC_SITE_URL = "http://127.0.0.1:8000"

    call_command("seed_demo", stdout=io.StringIO())

    assert Site.objects.get(is_default_site=True).root_url == "https://klachten.gemeente.example"
