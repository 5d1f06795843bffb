"""Requests from the ombudsman (the second line), registered by coordinators."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klachtformulieren.cases import roles
from klachtformulieren.models import OmbudsmanRequest
from tests.factories import ComplaintFactory, MunicipalityFactory, role_user

pytestmark = pytest.mark.django_db

CREATE = "klachtformulieren_ombudsmanrequest_modeladmin_create"
INDEX = "klachtformulieren_ombudsmanrequest_modeladmin_index"


@pytest.fixture
def coordinator(municipality):
    return role_user(roles.COORDINATOR, municipalities=[municipality])


def form_data(municipality, **overrides):
    return {
        "municipality": municipality.pk,
        "ombudsman": "national",
        "ombudsman_reference": "NO-2026-0042",
        "complaint_reference": "",
        "received_on": "2026-10-01",
        "subject": "Klager vindt dat de gemeente niet reageerde.",
        "result": "open",
        "closed_on": "",
        "notes": "",
        **overrides,
    }


def test_a_coordinator_registers_a_request_linked_to_a_case_by_its_reference(client, coordinator, municipality):
    complaint = ComplaintFactory(municipality=municipality)
    client.force_login(coordinator)

    response = client.post(reverse(CREATE), form_data(municipality, complaint_reference=complaint.reference))

    request = OmbudsmanRequest.objects.get()
    assert response.status_code == 302
    assert request.complaint == complaint
    assert request.created_by == coordinator
    assert request.history.first().history_user == coordinator


def test_a_reference_of_a_case_the_coordinator_may_not_see_is_refused(client, coordinator, municipality):
    elsewhere = ComplaintFactory(municipality=MunicipalityFactory())
    client.force_login(coordinator)

    response = client.post(reverse(CREATE), form_data(municipality, complaint_reference=elsewhere.reference))

    assert response.status_code == 200
    assert not OmbudsmanRequest.objects.exists()


def test_a_closed_request_needs_its_closing_date_and_an_open_one_has_none(municipality):
    closed = OmbudsmanRequest(
        municipality=municipality,
        received_on=datetime.date(2026, 3, 1),
        subject="x",
        result=OmbudsmanRequest.Result.INTERVENTION,
    )
    open_with_date = OmbudsmanRequest(
        municipality=municipality,
        received_on=datetime.date(2026, 3, 1),
        subject="x",
        closed_on=datetime.date(2026, 4, 1),
    )
    too_early = OmbudsmanRequest(
        municipality=municipality,
        received_on=datetime.date(2026, 3, 1),
        subject="x",
        result=OmbudsmanRequest.Result.REPORT_LETTER,
        closed_on=datetime.date(2026, 2, 1),
    )

    for request in (closed, open_with_date, too_early):
        with pytest.raises(ValidationError) as error:
            request.full_clean()
        assert "closed_on" in error.value.message_dict


def test_the_listing_shows_only_the_coordinators_municipalities(client, coordinator, municipality):
    own = OmbudsmanRequest.objects.create(
        municipality=municipality, received_on=datetime.date(2026, 5, 1), subject="x", ombudsman_reference="EIGEN-1"
    )
    other = OmbudsmanRequest.objects.create(
        municipality=MunicipalityFactory(),
        received_on=datetime.date(2026, 5, 1),
        subject="y",
        ombudsman_reference="ANDER-2",
    )
    client.force_login(coordinator)

    html = client.get(reverse(INDEX)).content.decode()

    assert own.ombudsman_reference in html
    assert other.ombudsman_reference not in html


def test_a_handler_cannot_reach_ombudsman_requests(client, municipality):
    client.force_login(role_user(roles.HANDLER))

    response = client.get(reverse(INDEX))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
