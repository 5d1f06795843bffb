"""Wagtail's user screens with the limits a functional administrator (Beheerder) works within.

Only a superuser makes, changes or sees the "administrator" (superuser) box; a Beheerder
cannot edit a superuser's account at all, and can put users only in groups whose every
permission the Beheerder has, so nobody hands out more than they hold. Installed through
``home.apps.PortalUsersConfig`` in place of ``wagtail.users``.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from wagtail.users import forms as wagtail_forms
from wagtail.users.views import users as wagtail_users


def groups_within(user):
    """The groups every permission of which ``user`` has."""
    if user.is_superuser:
        return Group.objects.all()
    held = user.get_all_permissions()
    allowed = [
        group.pk
        for group in Group.objects.prefetch_related("permissions__content_type")
        if all(f"{perm.content_type.app_label}.{perm.codename}" in held for perm in group.permissions.all())
    ]
    return Group.objects.filter(pk__in=allowed)


class WithinEditorsPowers:
    """Takes ``editor`` (the signed-in user) and hides what they may not hand out."""

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editor is not None and not editor.is_superuser:
            self.fields.pop("is_superuser", None)
            if "groups" in self.fields:
                self.fields["groups"].queryset = groups_within(editor)


class UserCreationForm(WithinEditorsPowers, wagtail_forms.UserCreationForm):
    pass


class UserEditForm(WithinEditorsPowers, wagtail_forms.UserEditForm):
    pass


class EditorFormMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "editor": self.request.user}


class CreateView(EditorFormMixin, wagtail_users.CreateView):
    pass


class EditView(EditorFormMixin, wagtail_users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.object.is_superuser and not request.user.is_superuser:
            raise PermissionDenied


class UserViewSet(wagtail_users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
