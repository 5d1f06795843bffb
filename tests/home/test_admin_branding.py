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
