"""The case screens on Wagtail's own admin building blocks: a ``ModelViewSet`` with the case
list (filter drawer, sortable columns, CSV and XLSX export, work queues, bulk actions), the
case file as its inspect view, the correction form as its edit view and the registration of a
complaint received another way as its add view.

Access to cases is decided in cases/access.py, for every view: the list shows only the cases a
user may see, and a case outside them answers 404 on every URL (``CasePermissionPolicy`` and
``VisibleCaseMixin``).
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from klachtformulieren.admin import audit, saved_filters
from klachtformulieren.admin import views as admin_views
from klachtformulieren.admin.filters import QUEUE_PARAMETER, CaseFilterSet, queue_counts, search_condition
from klachtformulieren.admin.scoping import EDIT_LABEL, VIEW_LABEL, RegisterForm
from klachtformulieren.cases import access, deadlines, links
from klachtformulieren.models import Complaint


class CasePermissionPolicy(ModelPermissionPolicy):
    """Who may do what with cases: the rules of ``cases.access``, not the model permissions.
    A case is never deleted from the admin; retention is a separate procedure."""

    def user_has_permission(self, user, action):
        if action == "add":
            return access.may_register(user)
        if action in ("view", "change"):
            return access.has_case_access(user)
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return access.can_view(user, instance)
        if action == "change":
            return access.can_edit_details(user, instance)
        return False

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        if action in ("view", "change"):
            return access.visible_complaints(user)
        return Complaint.objects.none()

    def instances_user_has_any_permission_for(self, user, actions):
        return access.visible_complaints(user) if {"view", "change"} & set(actions) else Complaint.objects.none()


# --- The columns: shown in the list and written to its export, declared once ----------------


def received_on(complaint):
    return timezone.localtime(complaint.received_at).date()


def handler_name(complaint):
    # A person by their full name, not their username.
    handler = complaint.handler
    return get_user_display_name(handler) if handler else ""


def decision_due(complaint):
    return complaint.decision_due_on if complaint.is_open() else None


def days_left_text(complaint):
    left = complaint.days_left()
    if left is None:
        return ""
    if left < 0:
        return ngettext("Overdue by %(count)d day", "Overdue by %(count)d days", -left) % {"count": -left}
    return ngettext("%(count)d day", "%(count)d days", left) % {"count": left}


def days_left_html(complaint):
    left, text = complaint.days_left(), days_left_text(complaint)
    if left is not None and left < 0:
        return format_html('<strong class="kp-overdue">{}</strong>', text)
    if left is not None and left <= deadlines.DUE_SOON_DAYS:
        return format_html('<span class="kp-due-soon">{}</span>', text)
    return text


def short_date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


# (name, heading, value for the export, sort key): the list shows these, the export writes
# them. No complainant's name or text leaves through the export.
CASE_COLUMNS = (
    ("reference", _("Reference"), lambda complaint: complaint.reference, "reference"),
    ("received", _("Received"), received_on, "received_at"),
    ("kind", _("Kind"), lambda complaint: str(complaint.kind or ""), "kind__name"),
    ("unit", _("Unit"), lambda complaint: str(complaint.unit or ""), "unit__name"),
    ("handler", _("Handler"), handler_name, "handler__first_name"),
    ("status", _("Status"), lambda complaint: complaint.get_status_display(), "status"),
    ("due", _("Decision due"), decision_due, "decision_due_on"),
)
EXPORT_COLUMNS = (
    *CASE_COLUMNS,
    ("municipality", _("Municipality"), lambda complaint: str(complaint.municipality), None),
)


# How long the total of a whole, unfiltered case list may be a count from earlier: at a million
# cases counting them all takes about 0.1 s, every time the list opens. Filtered lists, the work
# queues and searches are always counted exactly.
WHOLE_LIST_COUNT_SECONDS = 60


# Below this many cases the whole list is always counted exactly: it takes no time.
WHOLE_LIST_COUNT_KEPT_FROM = 10_000


class WholeListPaginator(Paginator):
    """A paginator whose total of a long whole list is counted at most once a minute per set of
    visible cases. The rows of a page are always read as they are now."""

    def __init__(self, *args, cache_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.cache_key = cache_key

    @cached_property
    def count(self):
        total = cache.get(self.cache_key)
        if total is None or total < WHOLE_LIST_COUNT_KEPT_FROM:
            total = super().count
            cache.set(self.cache_key, total, WHOLE_LIST_COUNT_SECONDS)
        return total

    def page(self, number):
        # Not cut off at the kept total: a case registered since shows at once.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


class CaseIndexView(generic.IndexView):
    template_name = "klachtformulieren/admin/case_index.html"
    default_ordering = "-received_at"
    is_searchable = True
    list_export = [name for name, _heading, _value, _sort in EXPORT_COLUMNS]
    export_headings = {name: heading for name, heading, _value, _sort in EXPORT_COLUMNS}
    page_title = _("Cases")

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("kind", "unit", "handler", "municipality")
        return access.visible_complaints(self.request.user, queryset)

    def filter_queryset(self, queryset):
        # A filter that is not valid (a hand-made link, ?zaak=abc) selects nothing: never the
        # whole list, least of all for an export.
        if self.filters and not self.filters.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        audit.record(self.request, self.request.user, audit.SEARCH_CASES, query=self.search_query[:200])
        return queryset.filter(search_condition(self.search_query))

    @cached_property
    def columns(self):
        values = {name: value for name, _heading, value, _sort in CASE_COLUMNS}
        title = self._get_title_column_class(TitleColumn)(
            "reference",
            label=_("Reference"),
            get_url=self.get_inspect_url,  # the reference opens the case file
            get_title_id=lambda complaint: f"case_{complaint.pk}_title",
            sort_key="reference",
            classname="kp-nowrap",  # a reference or a date is one word: never "2026-" and "000123"
        )
        columns = [BulkActionsCheckboxColumn("bulk_actions", obj_type="case"), title]
        for name, heading, value, sort_key in CASE_COLUMNS[1:]:
            classname = ""
            if value in (received_on, decision_due):
                accessor = lambda complaint, value=value: short_date(value(complaint))  # noqa: E731
                classname = "kp-nowrap"
            else:
                accessor = values[name]
            columns.append(Column(name, label=heading, accessor=accessor, sort_key=sort_key, classname=classname))
        columns.append(Column("left", label=_("Days left"), accessor=days_left_html))
        return columns

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        if self.is_filtering or self.is_searching or set(self.request.GET) - {"p", "ordering"}:
            return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)
        return WholeListPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            cache_key=f"klachtformulieren:case-list-total:{access.visibility_key(self.request.user)}",
        )

    def get_valid_orderings(self):
        return [*super().get_valid_orderings(), "-received_at"]

    def order_queryset(self, queryset):
        # A stable order, so a page never shows a case twice or skips one.
        ordering = [*(self.ordering if isinstance(self.ordering, (list, tuple)) else (self.ordering,)), "-pk"]
        if self.is_searching:
            # The few cases a search finds come from the search indexes and are then sorted;
            # ordering by the bare column would let PostgreSQL walk the whole list in order
            # instead, looking for matches (seconds for a rare e-mail address at a million).
            ordering = [
                Coalesce(F(name.lstrip("-")), F(name.lstrip("-"))).desc()
                if name.startswith("-")
                else Coalesce(F(name), F(name)).asc()
                for name in ordering
            ]
        return queryset.order_by(*ordering)

    add_item_label = _("Register a complaint")

    def get_list_more_buttons(self, instance):
        # In the row's menu, so a row stays one line high; the reference itself opens the case file.
        buttons = []
        if inspect_url := self.get_inspect_url(instance):
            buttons.append(Button(VIEW_LABEL, url=inspect_url, icon_name="view", priority=10))
        if access.can_edit_details(self.request.user, instance) and self.edit_url_name:
            buttons.append(
                Button(EDIT_LABEL, url=reverse(self.edit_url_name, args=[instance.pk]), icon_name="edit", priority=20)
            )
        return buttons

    def to_row_dict(self, item):
        return {name: value(item) for name, _heading, value, _sort in EXPORT_COLUMNS}

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # Every export in the audit log: who took which cases (the filters and search) out.
        audit.record(
            self.request,
            self.request.user,
            audit.EXPORT_CASES,
            format=spreadsheet_format,
            cases=queryset.count(),
            filters={key: value for key, value in self.request.GET.items() if key not in ("export", "q")},
            query=(self.search_query or "")[:200],
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.results_only:
            active = self.request.GET.get(QUEUE_PARAMETER, "")
            context["queues"] = [
                {
                    "queue": queue,
                    "count": count,
                    "url": f"{self.index_url}?{QUEUE_PARAMETER}={queue.slug}",
                    "active": queue.slug == active,
                }
                for queue, count in queue_counts(self.request.user)
            ]
            context["saved_filters"] = saved_filters.filters_of(self.request.user)
            context["save_filter_form"] = saved_filters.SaveFilterForm(initial={"query": self.request.GET.urlencode()})
            context["save_filter_url"] = reverse("klachtformulieren_saved_filter_add")
            context["filtered"] = bool(self.request.GET.urlencode())
        return context


class VisibleCaseMixin:
    """A case the user may not see is not found (404), on every screen of one case."""

    def get_object(self, queryset=None):
        complaint = super().get_object()
        if not access.can_view(self.request.user, complaint):
            raise Http404
        return complaint

    def dispatch(self, request, *args, **kwargs):
        # Not found before "not allowed": a stranger learns nothing. (The inspect view loaded
        # the case in setup already; the edit view loads it here, once.)
        if getattr(self, "object", None) is None:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class CaseEditView(VisibleCaseMixin, generic.EditView):
    def get_object(self, queryset=None):
        complaint = super().get_object(queryset)
        # Never the person complained about (Awb 9:7), never a destroyed case, never a handler.
        if not access.can_edit_details(self.request.user, complaint):
            raise PermissionDenied
        return complaint

    def get_page_title(self):
        return _("Correct the details of %(reference)s") % {"reference": self.object.reference}

    def get_success_url(self):
        return links.case_inspect_url(self.object.pk)

    def get_success_message(self, instance=None):
        return _("The details of %(reference)s are corrected.") % {"reference": self.object.reference}


class CaseInspectView(VisibleCaseMixin, admin_views.CaseFileMixin, generic.InspectView):
    pass


def not_found(request, *args, **kwargs):
    raise Http404


class CaseViewSet(ModelViewSet):
    model = Complaint
    icon = "folder-open-inverse"
    menu_label = _("Cases")
    url_prefix = "klachten/zaken"
    url_namespace = "klachtformulieren_cases"
    add_to_admin_menu = False  # its menu item is the first of the complaints menu (registers.py)
    index_view_class = CaseIndexView
    edit_view_class = CaseEditView
    inspect_view_class = CaseInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CaseFilterSet
    list_per_page = 25
    export_filename = "klachten"  # the columns are the index view's own (EXPORT_COLUMNS)
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("organisation_name"),
                    FieldPanel("postal_address"),
                    FieldPanel("email"),
                    FieldPanel("phone"),
                    FieldPanel("representative_name"),
                    FieldPanel("representative_relation"),
                ],
                heading=_("Complainant"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("description"),
                    FieldPanel("conduct_date"),
                    FieldPanel("conduct_date_end"),
                    FieldPanel("conduct_involved"),
                    FieldPanel("desired_outcome"),
                    FieldPanel("partner"),
                ],
                heading=_("The conduct"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("person_complained_about"),
                    FieldPanel("person_complained_about_user"),
                    FieldPanel("advisory_committee"),
                ],
                heading=_("Handling"),
            ),
            MultiFieldPanel([FieldPanel("retention_hold")], heading=_("Retention")),
        ],
        # The form's choices (the person complained about) are the staff of the user's municipalities.
        base_form_class=RegisterForm,
    )

    @cached_property
    def permission_policy(self):
        return CasePermissionPolicy(self.model)

    def register_permissions(self):
        # The case permissions are the roles' (cases/roles.py); every Wagtail screen that asks the
        # registry about a case (the generic views, bulk actions, the admin URL finder) gets the
        # rules of cases.access through this policy.
        register_permission_policy(self.model, self.permission_policy)

    def get_common_view_kwargs(self, **kwargs):
        # No delete, history, usage or copy screens: a case is never deleted from the admin
        # (retention is a separate procedure) and its timeline in the case file is its history,
        # behind the same access check.
        return {
            **super().get_common_view_kwargs(**kwargs),
            "delete_url_name": None,
            "history_url_name": None,
            "usage_url_name": None,
            "copy_url_name": None,
        }

    @property
    def add_view(self):
        return admin_views.register_received

    delete_view = history_view = history_results_view = usage_view = property(lambda self: not_found)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("afdrukken/", admin_views.print_cases, name="print"),
        ]


case_viewset = CaseViewSet("cases")
