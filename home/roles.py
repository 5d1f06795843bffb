"""The site's own permissions on the roles: the complaint plugin creates the role groups and
grants what is its own; the host site maps its own app (``home``) onto them."""

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from klachtformulieren.cases.roles import ADMINISTRATOR, group_name


def grant_site_permissions(app_config, using="default", **kwargs):
    """Functional administrators (Beheerders) manage the site's settings per municipality."""
    # Our receiver may run before auth's for this app: make sure the permissions exist.
    create_permissions(app_config, verbosity=0, using=using)
    group, _created = Group.objects.get_or_create(name=group_name(ADMINISTRATOR))
    group.permissions.add(*Permission.objects.filter(content_type__app_label=app_config.label))
