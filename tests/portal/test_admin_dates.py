"""Dates in the admin as Dutch writes them: "27-10-2026" or "27 oktober 2026", never "27 Okt 2026"."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from klachtformulieren.cases import case_file, roles
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.intake import services
from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.models import Channel
from tests.factories import ComplaintFactory, MunicipalityFactory, role_user

pytestmark = pytest.mark.django_db

CAPITALISED_MONTH = re.compile(r"\b\d{1,2} (Jan|Feb|Mrt|Apr|Mei|Jun|Jul|Aug|Sep|Okt|Nov|Dec)\b")


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(datetime.datetime(2026, 10, 28, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def coordinator(client):
    municipality = MunicipalityFactory()
    user = role_user(roles.COORDINATOR, municipalities=[municipality])
    client.force_login(user)
    return user


def test_the_dashboard_and_the_case_file_write_dates_in_dutch(client, coordinator, site):
    municipality = coordinator.complaint_municipalities.get()
    complaint = ComplaintFactory(
        municipality=municipality, received_at=datetime.datetime(2026, 10, 27, 9, tzinfo=datetime.UTC)
    )

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    case = client.get(case_inspect_url(complaint.pk)).content.decode()

    assert "27-10-2026" in dashboard
    assert "27 oktober 2026" in case
    for html in (dashboard, case):
        assert not CAPITALISED_MONTH.search(html), CAPITALISED_MONTH.search(html).group(0)


def test_the_timeline_names_the_channel_in_dutch(coordinator):
    registration = services.register_by_staff(
        ComplaintSubmission(
            name="Meneer Beller", description="Doorverbonden", conduct_date=datetime.date(2026, 10, 26)
        ),
        coordinator,
        municipality=coordinator.complaint_municipalities.get(),
        channel=Channel.PHONE,
        received_at=datetime.datetime(2026, 10, 27, 9, tzinfo=datetime.UTC),
    )

    titles = [entry.title for entry in case_file.timeline(registration.complaint)]

    assert "Klacht geregistreerd (telefoon)" in titles
    assert not any("phone" in str(title) for title in titles)
