"""The admin reads as the portal's own: its name in every tab title, no help links to wagtail.org."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_tab_titles_end_in_the_portals_name(client, site, settings):
    settings.WAGTAIL_SITE_NAME = "Klachtenportaal Proefdorp"
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    dashboard = client.get("/admin/").content.decode()
    login = client.get("/admin/login/").content.decode()

    assert "- Klachtenportaal Proefdorp</title>" in dashboard
    assert "- Wagtail</title>" not in dashboard and "- Wagtail</title>" not in login


def test_the_help_menu_links_nowhere_outside_the_portal(client, site):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    dashboard = client.get("/admin/").content.decode()

    assert "guide.wagtail.org" not in dashboard
    assert "docs.wagtail.org/en/stable/releases" not in dashboard


def test_no_admin_screen_has_wagtail_in_its_tab_title(client, site):
    import re

    from django.urls import reverse

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    screens = [
        "wagtailadmin_home",
        "wagtailadmin_explore_root",
        "wagtailimages:index",
        "wagtaildocs:index",
        "wagtailsnippets:index",
        "wagtailusers_users:index",
        "wagtailadmin_reports:site_history",
        "wagtailsnippets_klachtformulieren_mailtemplate:list",
        "wagtailsnippets_klachtformulieren_equatedholiday:list",
    ]
    for name in screens:
        html = client.get(reverse(name)).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "Wagtail" not in title, (name, title)
        assert title.strip().endswith("Klachtenportaal"), (name, title)


def test_the_help_menu_has_no_editor_guide(client, site):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    dashboard = client.get("/admin/").content.decode()

    assert "Editor Guide" not in dashboard and "Handleiding voor redacteuren" not in dashboard
    assert "guide.wagtail.org" not in dashboard


def test_wagtails_own_texts_that_editors_see_say_u(client, site):
    from django.utils import translation

    with translation.override("nl"):
        assert translation.gettext("Are you sure you want to delete this page?") == (
            "Weet u zeker dat u deze pagina wilt verwijderen?"
        )
        assert translation.gettext("The page title as you'd like it to be seen by the public") == (
            "De titel van de pagina zoals bezoekers die zien"
        )
