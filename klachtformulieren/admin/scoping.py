"""Each municipality's registers its own, on every admin screen that shows one.

The rule is ``cases.access`` (``records_for``, ``may_see_record``, ``may_change_record``,
``staff_choices``); this module applies it to wagtail-modeladmin and to snippet screens:
the listing, its filters and export, every screen of one record (edit, delete, inspect,
history, usage, copy), and the choices in the forms. Another municipality's record answers
404, as if it were not there; a shared record (no municipality) can be seen, and only an
administrator changes it (403 for anyone else).
"""

from django.contrib.admin import SimpleListFilter
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import HistoryView

from klachtformulieren.cases import access
from klachtformulieren.models import Municipality

# With a context of their own: a host listing Wagtail before the plugin would otherwise show
# Wagtail's translation of the same words.
VIEW_LABEL = pgettext_lazy("row button", "View")
EDIT_LABEL = pgettext_lazy("row button", "Edit")


def scoped_choices(field, user):
    """Limit a form field's choices to what ``user`` may pick: their municipalities, their
    municipalities' records, and the staff of their municipalities."""
    queryset = getattr(field, "queryset", None)
    if queryset is None:
        return
    model = queryset.model
    if model is get_user_model():
        field.queryset = queryset.filter(pk__in=access.staff_choices(user).values("pk"))
    elif model is Municipality or any(f.name == "municipality" for f in model._meta.get_fields()):
        field.queryset = access.records_for(user, queryset)


class RegisterForm(WagtailAdminModelForm):
    """A register's form: its choices scoped to the user; outside an administrator, always one
    of the user's own municipalities (only an administrator makes a record the install shares)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        for field in self.fields.values():
            scoped_choices(field, self.for_user)
        if "municipality" in self.fields and not access.is_administrator(self.for_user):
            self.fields["municipality"].required = True
            self.fields["municipality"].empty_label = None


def related_filter(field_name, title, model):
    """A list filter on ``field_name`` whose choices are the rows of ``model`` the user sees.
    Keeps Django's parameter name, so existing links keep working."""

    class ScopedRelatedFilter(SimpleListFilter):
        parameter_name = f"{field_name}__id__exact"

        def lookups(self, request, model_admin):
            rows = access.records_for(request.user, model._default_manager.all())
            return [(str(row.pk), str(row)) for row in rows]

        def queryset(self, request, queryset):
            if self.value() and self.value().isdigit():
                return queryset.filter(**{f"{field_name}_id": int(self.value())})
            return queryset

    ScopedRelatedFilter.title = title
    return ScopedRelatedFilter


class RegisterPermissionHelper(PermissionHelper):
    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and access.may_see_record(user, obj)

    def user_can_edit_obj(self, user, obj):
        return super().user_can_edit_obj(user, obj) and access.may_change_record(user, obj)

    def user_can_delete_obj(self, user, obj):
        return super().user_can_delete_obj(user, obj) and access.may_change_record(user, obj)


class ReadOnlyPermissionHelper(RegisterPermissionHelper):
    """A record of what was done: nobody adds, changes or deletes it in the admin."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class PortalButtonHelper(ButtonHelper):
    """The listing's buttons as a coordinator would name them ("Bekijken", "Bewerken"), and a
    row's first column opening the record to read (the case file) before the form to change it."""

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        return {**super().inspect_button(pk, classnames_add, classnames_exclude), "label": VIEW_LABEL}

    def edit_button(self, pk, classnames_add=None, classnames_exclude=None):
        return {**super().edit_button(pk, classnames_add, classnames_exclude), "label": EDIT_LABEL}

    def get_primary_button(self, obj):
        pk = getattr(obj, self.opts.pk.attname)
        if self.permission_helper.user_can_inspect_obj(self.request.user, obj):
            return self.inspect_button(pk)
        return super().get_primary_button(obj)


class RegisterHistoryView(HistoryView):
    """wagtail-modeladmin's history screen checks no permission at all: here it is the inspect rule."""

    def check_action_permitted(self, user):
        return access.may_see_record(user, self.instance) and self.permission_helper.user_has_any_permissions(user)


class RegisterAdmin(ModelAdmin):
    """A modeladmin register scoped to the user's municipalities."""

    permission_helper_class = RegisterPermissionHelper
    button_helper_class = PortalButtonHelper
    history_view_class = RegisterHistoryView

    def get_queryset(self, request):
        return access.records_for(request.user, super().get_queryset(request))

    def get_edit_handler(self):
        handler = super().get_edit_handler()
        if handler.base_form_class is None:
            handler.base_form_class = RegisterForm
        return handler


class ScopedObjectMixin:
    """For the snippet screens of one record: another municipality's record is not found; a
    record the user may see but not change is refused on the screens that change it."""

    changes = False

    def get_object(self, *args, **kwargs):
        record = super().get_object(*args, **kwargs)
        if not access.may_see_record(self.request.user, record):
            raise Http404
        if self.changes and not access.may_change_record(self.request.user, record):
            raise PermissionDenied
        return record


def scoped(view_class, *, changes=False):
    return type(view_class.__name__, (ScopedObjectMixin, view_class), {"changes": changes})


class RegisterSnippetViewSet(SnippetViewSet):
    """A snippet register scoped to the user's municipalities, screen by screen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_view_class = scoped(self.edit_view_class, changes=True)
        self.delete_view_class = scoped(self.delete_view_class, changes=True)
        self.copy_view_class = scoped(self.copy_view_class)
        self.inspect_view_class = scoped(self.inspect_view_class)
        self.history_view_class = scoped(self.history_view_class)
        self.usage_view_class = scoped(self.usage_view_class)

    def get_queryset(self, request):
        return access.records_for(request.user, self.model._default_manager.all())

    def get_edit_handler(self):
        return ObjectList(self.model.panels, base_form_class=RegisterForm).bind_to_model(self.model)


class RegisterPermissionPolicy(ModelPermissionPolicy):
    """The model permissions, and for one record the municipality rule: used by the snippet
    screens' own instance checks and their bulk actions (delete several at once)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not super().user_has_permission_for_instance(user, action, instance):
            return False
        if action in ("change", "delete"):
            return access.may_change_record(user, instance)
        return access.may_see_record(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        instances = super().instances_user_has_permission_for(user, action)
        return access.records_for(user, instances)


def register_scoped_snippet(model, viewset=None):
    """Register ``model`` as a snippet register scoped per municipality, with ``viewset`` (a
    ``RegisterSnippetViewSet``) when its screens do more than the plain register's."""
    register_permission_policy(model, RegisterPermissionPolicy(model))
    if viewset is None:
        viewset = type(f"{model.__name__}ViewSet", (RegisterSnippetViewSet,), {"model": model})
    register_snippet(viewset)
