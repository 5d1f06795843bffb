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
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    group.permissions.add(Permission.objects.get(codename="administer_complaints"))  # as an older version granted

    roles.ensure_roles()

    assert not group.permissions.filter(codename="administer_complaints").exists()
    assert group.permissions.filter(codename="coordinate_complaints").exists()


def test_ensure_roles_leaves_permissions_granted_by_hand_alone():
    roles.ensure_roles()
    group = Group.objects.get(name=roles.EDITOR)
    by_hand = Permission.objects.get(codename="view_ombudsmanrequest")
    group.permissions.add(by_hand)

    roles.ensure_roles()

    assert group.permissions.filter(pk=by_hand.pk).exists()
