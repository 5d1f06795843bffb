"""Wagtail's user screens with the limits a functional administrator (Beheerder) works within.

Only a superuser makes, changes or sees the "administrator" (superuser) box; a Beheerder
cannot edit a superuser's account at all, and can put users only in groups whose every
permission the Beheerder has, so nobody hands out more than they hold. A Beheerder sees and
manages the accounts of their own municipalities' staff and accounts that work for no
municipality yet (``access.shares_a_municipality``); another municipality's staff are not
found. Installed through ``home.apps.PortalUsersConfig`` in place of ``wagtail.users``.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.users import forms as wagtail_forms
from wagtail.users.views import users as wagtail_users

from klachtformulieren.cases import access
from portal import security


def manageable_users(user, users):
    """The accounts ``user`` lists: every one for a superuser, else ``access.colleagues`` but
    the superusers (``security.may_manage_access`` decides per account what they may change)."""
    if user.is_superuser:
        return users
    return users.filter(pk__in=access.colleagues(user).values("pk")).exclude(is_superuser=True)


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


class ManageableObjectMixin:
    """Another municipality's account is not found; a superuser's is refused to a non-superuser."""

    def get_object(self, *args, **kwargs):
        target = super().get_object(*args, **kwargs)
        editor = self.request.user
        if editor.is_superuser:
            return target
        if not access.shares_a_municipality(editor, target):
            raise Http404
        if not security.may_manage_access(editor, target):
            raise PermissionDenied  # a superuser, or an account that can do more than the editor
        return target


class IndexView(wagtail_users.IndexView):
    def get_base_queryset(self):
        return manageable_users(self.request.user, super().get_base_queryset())


class CreateView(EditorFormMixin, wagtail_users.CreateView):
    pass


class EditView(ManageableObjectMixin, EditorFormMixin, wagtail_users.EditView):
    pass


class DeleteView(ManageableObjectMixin, wagtail_users.DeleteView):
    pass


class HistoryView(ManageableObjectMixin, wagtail_users.HistoryView):
    pass


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The screens Wagtail's users viewset inherits without naming them: the same rule.
        self.usage_view_class = type("UsageView", (ManageableObjectMixin, self.usage_view_class), {})
        self.copy_view_class = type("CopyView", (ManageableObjectMixin, self.copy_view_class), {})

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
