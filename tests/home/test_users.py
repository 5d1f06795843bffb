"""A functional administrator (Beheerder) manages users within their own powers."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from klachtformulieren.cases import roles
from klachtformulieren.cases.roles import ROLE_PERMISSIONS
from tests.factories import UserFactory, role_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(client):
    user = role_user(roles.ADMINISTRATOR, username="beheerder")
    client.force_login(user)
    return user


def edit_url(user):
    return reverse("wagtailusers_users:edit", args=[user.pk])


def form_data(user, **changes):
    return {
        "username": user.username,
        "email": user.email or f"{user.username}@gemeente.example",
        "first_name": "Voor",
        "last_name": "Naam",
        "is_active": "on",
        **changes,
    }


def test_a_beheerder_is_not_offered_the_superuser_box_and_cannot_make_anyone_superuser(client, beheerder):
    colleague = UserFactory(username="collega")

    page = client.get(edit_url(colleague))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()

    client.post(edit_url(colleague), form_data(colleague, is_superuser="on"))

    colleague.refresh_from_db()
    assert not colleague.is_superuser


def test_a_beheerder_cannot_change_a_superusers_account(client, beheerder):
    superuser = UserFactory(username="root", is_superuser=True, email="root@gemeente.example")

    response = client.post(edit_url(superuser), form_data(superuser, email="aanvaller@example.org"))

    assert response.status_code in (302, 403)
    superuser.refresh_from_db()
    assert superuser.email == "root@gemeente.example"


def test_a_beheerder_hands_out_only_groups_within_their_own_permissions(client, beheerder):
    colleague = UserFactory(username="collega")
    mighty = Group.objects.create(name="Alles mag")
    mighty.permissions.add(Permission.objects.get(codename="delete_group"))
    coordinators = Group.objects.get(name=roles.group_name(roles.COORDINATOR))

    page = client.get(edit_url(colleague)).content.decode()
    assert "Alles mag" not in page and roles.group_name(roles.COORDINATOR) in page

    client.post(edit_url(colleague), form_data(colleague, groups=[mighty.pk]))
    assert not colleague.groups.filter(pk=mighty.pk).exists()
    client.post(edit_url(colleague), form_data(colleague, groups=[coordinators.pk]))
    assert colleague.groups.filter(pk=coordinators.pk).exists()


def test_a_superuser_still_sees_the_superuser_box(client):
    client.force_login(UserFactory(is_superuser=True))

    assert 'name="is_superuser"' in client.get(edit_url(UserFactory())).content.decode()


def test_the_plugin_grants_nothing_on_apps_it_does_not_own():
    foreign = [perm for perms in ROLE_PERMISSIONS.values() for perm in perms if perm.startswith("home.")]

    assert foreign == []


def test_the_site_grants_its_own_permissions_to_the_beheerders():
    group = Group.objects.get(name=roles.group_name(roles.ADMINISTRATOR))

    assert group.permissions.filter(content_type__app_label="home").exists()
