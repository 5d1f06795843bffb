"""The editors' Forms menu lists form submissions; a complaint form has none (its complaints are
cases), so it is not listed there, and its old submissions URL leads to the case list."""

import pytest
from django.urls import reverse

from klachtformulieren.cases.links import case_index_url
from tests.factories import ComplaintFormPageFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_complaint_form_is_not_in_the_forms_listing(client, home_page):
    page = ComplaintFormPageFactory(parent=home_page, municipality=MunicipalityFactory(), title="Klacht indienen")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    listing = client.get(reverse("wagtailforms:index"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    assert page.title not in listing.content.decode()
    assert reverse("wagtailforms:index") not in dashboard  # no other forms: no Forms menu item


def test_the_submissions_url_of_a_complaint_form_leads_to_the_case_list(client, home_page):
    page = ComplaintFormPageFactory(parent=home_page, municipality=MunicipalityFactory())
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("wagtailforms:list_submissions", args=[page.pk]))

    assert response.status_code == 302
    assert response["Location"] == case_index_url()
