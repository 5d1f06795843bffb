"""The four roles as Django groups, with their permissions.

``ensure_roles()`` creates or updates the groups; it runs from ``manage.py setup_roles`` (never
on ``migrate``: a host decides when the plugin's groups appear), so a changed definition here
reaches existing installs when the command runs again. The group names are the host's to choose
(``KLACHTFORMULIEREN_ROLE_NAMES``); the constants below are the roles' keys. It adds what is
missing and removes only what ``ROLE_REVOKED`` names: other permissions an administrator granted
a group by hand are left alone.

What a role may do with cases is decided in ``cases.access``; the permissions below are its keys.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from klachtformulieren import conf

COORDINATOR = "coordinator"
HANDLER = "handler"
EDITOR = "editor"
ADMINISTRATOR = "administrator"

ROLES = (COORDINATOR, HANDLER, EDITOR, ADMINISTRATOR)


def group_name(role):
    """The name of a role's group: the host's choice (KLACHTFORMULIEREN_ROLE_NAMES), or the default."""
    names = {**conf.SETTINGS["ROLE_NAMES"].default, **conf.setting("ROLE_NAMES")}
    return names[role]


def group_of(role):
    """The role's group, or None before ``setup_roles`` ran."""
    return Group.objects.filter(name=group_name(role)).first()


ADMIN_ACCESS = ["wagtailadmin.access_admin"]

# Model permissions per role, as "app_label.codename" (a trailing ".*" means every
# permission of that model: add, change, delete, view and the custom ones).
ROLE_PERMISSIONS = {
    COORDINATOR: [
        *ADMIN_ACCESS,
        "klachtformulieren.view_complaint",
        "klachtformulieren.add_complaint",
        "klachtformulieren.change_complaint",
        "klachtformulieren.coordinate_complaints",
        "klachtformulieren.view_complaintattachment",
        "klachtformulieren.view_contactmoment",
        "klachtformulieren.view_notification",
        "klachtformulieren.ombudsmanrequest.*",
        "klachtformulieren.complaintkind.*",
        "klachtformulieren.organisationunit.*",
        "klachtformulieren.view_municipality",
        "klachtformulieren.view_destroyedcase",
        "klachtformulieren.view_inboundmessage",
        "partners.view_partner",
    ],
    HANDLER: [
        *ADMIN_ACCESS,
        "klachtformulieren.view_complaint",
        "klachtformulieren.handle_assigned_complaints",
        "klachtformulieren.view_complaintattachment",
    ],
    EDITOR: [
        *ADMIN_ACCESS,
        "klachtformulieren.mailtemplate.*",
        "partners.partner.*",
        "partners.topic.*",
        "wagtailimages.image.*",
        "wagtaildocs.document.*",
        "wagtailcore.view_site",
    ],
    ADMINISTRATOR: [
        *ADMIN_ACCESS,
        # Every permission of the plugin but seeing every municipality's cases: a Beheerder
        # works for their own municipalities, like a coordinator (see ROLE_REVOKED).
        "klachtformulieren.complaint.*",
        "klachtformulieren.coordinate_complaints",
        "klachtformulieren.handle_assigned_complaints",
        "klachtformulieren.complaintattachment.*",
        "klachtformulieren.contactmoment.*",
        "klachtformulieren.notification.*",
        "klachtformulieren.ombudsmanrequest.*",
        "klachtformulieren.complaintkind.*",
        "klachtformulieren.organisationunit.*",
        "klachtformulieren.municipality.*",
        "klachtformulieren.mailtemplate.*",
        "klachtformulieren.inboundmailbox.*",
        "klachtformulieren.view_inboundmessage",
        "klachtformulieren.view_destroyedcase",
        "klachtformulieren.view_destructionrecord",
        # The days a Royal Decree equates with holidays hold for every municipality of the
        # install: a Beheerder sees them; the install's own administrator (a superuser) keeps them.
        "klachtformulieren.view_equatedholiday",
        "partners.*",
        # Users, within the administrator's own powers (the host's user screens enforce that);
        # groups are not theirs to change: a group's permissions are what a role is.
        "auth.user.*",
        "auth.view_group",
        "wagtailcore.site.*",
        "wagtailimages.image.*",
        "wagtaildocs.document.*",
        "wagtailredirects.redirect.*",
        "wagtailadmin.admin.*",
    ],
}

# Permissions an earlier version granted a role and this one no longer does: removed from the
# group by ``ensure_roles``, so an upgraded install does not keep them.
ROLE_REVOKED = {
    # Every municipality's cases is for a superuser, or for whom an administrator grants it by hand.
    ADMINISTRATOR: ["klachtformulieren.administer_complaints"],
}

# Page permissions on the whole tree, and collection permissions (images, documents).
PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page", "publish_page"],
    ADMINISTRATOR: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    EDITOR: ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"],
    ADMINISTRATOR: ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"],
}


def _permissions(spec):
    """The Permission rows a spec line names (missing apps or models are skipped)."""
    parts = spec.split(".")
    if len(parts) == 2 and parts[1] == "*":
        return Permission.objects.filter(content_type__app_label=parts[0])
    if len(parts) == 3 and parts[2] == "*":
        return Permission.objects.filter(content_type__app_label=parts[0], content_type__model=parts[1])
    app_label, codename = parts
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_roles():
    """Create the role groups and give them at least their permissions; returns the groups."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    groups = {}
    for name in ROLES:
        group, _created = Group.objects.get_or_create(name=group_name(name))
        for spec in ROLE_PERMISSIONS[name]:
            group.permissions.add(*_permissions(spec))
        for spec in ROLE_REVOKED.get(name, ()):
            group.permissions.remove(*_permissions(spec))
        groups[name] = group

    root_page = Page.get_first_root_node()
    if root_page is not None:
        for name, codenames in PAGE_PERMISSIONS.items():
            for permission in Permission.objects.filter(
                content_type=ContentType.objects.get_for_model(Page), codename__in=codenames
            ):
                GroupPagePermission.objects.get_or_create(group=groups[name], page=root_page, permission=permission)

    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for name, codenames in COLLECTION_PERMISSIONS.items():
            for permission in Permission.objects.filter(
                content_type__app_label__in=["wagtailimages", "wagtaildocs"], codename__in=codenames
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name], collection=root_collection, permission=permission
                )
    return groups
