"""The days equated with holidays by Royal Decree, as an administrator keeps them in the admin."""

from datetime import date

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from klachtformulieren.cases import deadlines, roles
from klachtformulieren.models import EquatedHoliday
from tests.factories import MunicipalityFactory, UserFactory, role_user

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_klachtformulieren_equatedholiday"


@pytest.fixture(autouse=True)
def fresh_engine():
    deadlines.forget_equated_days()
    yield
    deadlines.forget_equated_days()


def test_the_shipped_decree_days_are_listed_in_dutch(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    html = client.get(reverse(f"{URLS}:list")).content.decode()

    assert "vrijdag 15 mei 2026" in html
    assert "Besluit gelijkstelling van 2 januari 2026" in html
    assert "Gelijkgestelde feestdagen" in html


def test_a_superuser_adds_a_day_and_the_term_moves_at_once(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert deadlines.decision_due(date(2026, 1, 23)) == date(2026, 3, 6)

    response = client.post(
        reverse(f"{URLS}:add"), {"day": "2026-03-06", "decree": "Besluit gelijkstelling van 6 maart 2026"}
    )

    assert response.status_code == 302
    day = EquatedHoliday.objects.get(day=date(2026, 3, 6))
    assert deadlines.decision_due(date(2026, 1, 23)) == date(2026, 3, 9)
    assert ModelLogEntry.objects.filter(object_id=str(day.pk), action="wagtail.create").exists()


def test_a_day_twice_is_refused_in_dutch(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(reverse(f"{URLS}:add"), {"day": "2026-05-15", "decree": "Nog eens"})

    assert response.status_code == 200
    assert "bestaat al" in response.content.decode()
    assert EquatedHoliday.objects.filter(day=date(2026, 5, 15)).count() == 1


@pytest.mark.parametrize("role", [roles.COORDINATOR, roles.HANDLER, roles.EDITOR])
def test_other_roles_cannot_change_the_days(client, role):
    user = role_user(role, municipalities=[MunicipalityFactory()])
    client.force_login(user)
    day = EquatedHoliday.objects.get(day=date(2026, 5, 15))

    add = client.post(reverse(f"{URLS}:add"), {"day": "2026-03-06", "decree": "Zelfbedacht"})
    delete = client.post(reverse(f"{URLS}:delete", args=[day.pk]))

    assert add.status_code == 302 and add["Location"] == reverse("wagtailadmin_home")
    assert delete.status_code == 302 and delete["Location"] == reverse("wagtailadmin_home")
    assert not EquatedHoliday.objects.filter(day=date(2026, 3, 6)).exists()
    assert EquatedHoliday.objects.filter(pk=day.pk).exists()
