"""The role groups: what each may do, and what an upgrade takes away."""

import pytest
from django.contrib.auth.models import Group, Permission

from klachtformulieren.cases import access, roles
from tests.factories import MunicipalityFactory, role_user

pytestmark = pytest.mark.django_db


def test_a_beheerder_works_for_their_own_municipalities_not_for_every_one():
    own, other = MunicipalityFactory(), MunicipalityFactory()
    beheerder = role_user(roles.ADMINISTRATOR, municipalities=[own])

    assert not access.is_administrator(beheerder)
    assert set(access.municipalities_of(beheerder)) == {own}
    assert access.works_for(beheerder, own.pk) and not access.works_for(beheerder, other.pk)


def test_ensure_roles_takes_every_municipality_away_from_beheerders_of_an_older_install():
    roles.ensure_roles()
    group = Group.objects.get(name=roles.group_name(roles.ADMINISTRATOR))
    group.permissions.add(Permission.objects.get(codename="administer_complaints"))  # as an older version granted

    roles.ensure_roles()

    assert not group.permissions.filter(codename="administer_complaints").exists()
    assert group.permissions.filter(codename="coordinate_complaints").exists()


def test_ensure_roles_leaves_permissions_granted_by_hand_alone():
    roles.ensure_roles()
    group = Group.objects.get(name=roles.group_name(roles.EDITOR))
    by_hand = Permission.objects.get(codename="view_ombudsmanrequest")
    group.permissions.add(by_hand)

    roles.ensure_roles()

    assert group.permissions.filter(pk=by_hand.pk).exists()


def test_migrate_creates_no_groups_setup_roles_does_with_the_hosts_names(settings):
    from django.core.management import call_command
    from django.core.management.sql import emit_post_migrate_signal

    Group.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what every migrate ends with
    plugin_only = [roles.COORDINATOR, roles.HANDLER, roles.EDITOR]  # the reference portal's home adds Beheerders
    assert not Group.objects.filter(name__in=[roles.group_name(role) for role in plugin_only]).exists()

    settings.KLACHTFORMULIEREN_ROLE_NAMES = {"coordinator": "Complaint coordinators"}
    call_command("setup_roles", verbosity=0)

    assert Group.objects.filter(name="Complaint coordinators").exists()
    assert Group.objects.filter(name="Klachtbehandelaars").exists()


def test_the_roles_name_permissions_of_the_plugin_wagtail_and_django_only():
    owned = {"klachtformulieren", "partners", "auth"}
    labels = {spec.split(".")[0] for specs in roles.ROLE_PERMISSIONS.values() for spec in specs}

    assert {label for label in labels if label not in owned and not label.startswith("wagtail")} == set()
