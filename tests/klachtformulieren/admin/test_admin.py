"""Editors and administrators can work with the intake's admin screens."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/klachtformulieren/municipality/",
        "/admin/snippets/klachtformulieren/municipality/add/",
        "/admin/klachtformulieren/complaintkind/",
        "/admin/klachtformulieren/organisationunit/create/",
        "/admin/klachtformulieren/ombudsmanrequest/",
        "/admin/klachtformulieren/ombudsmanrequest/create/",
        "/admin/klachten/zaken/",
        "/admin/klachten/zaken/new/",
        "/admin/snippets/klachtformulieren/mailtemplate/add/",
    ],
)
def test_classification_and_mail_text_screens_open(admin_client, municipality, url):
    assert admin_client.get(url).status_code == 200


def test_complaint_form_page_editor_opens_without_a_required_switch(admin_client, form_page):
    response = admin_client.get(f"/admin/pages/{form_page.pk}/edit/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "form_fields-__prefix__-required" not in html  # editors cannot make a question required


def test_editor_can_create_a_complaint_form_page(admin_client, home_page, municipality):
    response = admin_client.get(f"/admin/pages/add/klachtformulieren/complaintformpage/{home_page.pk}/")

    assert response.status_code == 200
