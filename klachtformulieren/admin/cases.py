"""The case screens on wagtail-modeladmin: the listing, the correction form and the case file.

Access to cases is decided in cases/access.py, for every view: the listing shows only the
cases a user may see, and a case outside them answers 404 on every URL.
"""

from django.contrib.admin import display
from django.core.paginator import InvalidPage
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import EditView, IndexView

from klachtformulieren.admin import audit
from klachtformulieren.admin import views as admin_views
from klachtformulieren.admin.filters import DeadlineFilter, HandlerFilter, YearFilter
from klachtformulieren.admin.scoping import PortalButtonHelper, RegisterForm, related_filter
from klachtformulieren.cases import access, deadlines, references
from klachtformulieren.models import (
    Complaint,
    ComplaintKind,
    Municipality,
    OrganisationUnit,
)


class ComplaintPermissionHelper(PermissionHelper):
    def user_has_any_permissions(self, user):
        return access.has_case_access(user)

    def user_can_list(self, user):
        return access.has_case_access(user)

    def user_can_create(self, user):
        return access.may_register(user)

    def user_can_inspect_obj(self, user, obj):
        return access.can_view(user, obj)

    def user_can_edit_obj(self, user, obj):
        return access.can_edit_details(user, obj)

    def user_can_delete_obj(self, user, obj):
        return False  # a case is never deleted from the admin; retention is a separate procedure


class ComplaintIndexView(IndexView):
    """The listing, counting once: at a million cases every COUNT(*) is felt.

    wagtail-modeladmin's own view builds the filtered queryset twice and counts three times
    (all cases, the filtered ones, and again in the paginator); this one builds it once and
    counts the filtered cases once, and all cases only when a filter or search is active.
    """

    def get_queryset(self, request=None):
        if getattr(self, "queryset", None) is not None:
            return self.queryset
        return super().get_queryset(request)

    def get_search_results(self, request, queryset, search_term):
        # A reference is looked up exactly, through its unique index, not by scanning every text.
        term = search_term.strip()
        if term:
            audit.record(request, request.user, audit.SEARCH_CASES, query=term[:200])
        if references.parse_reference(term):
            return queryset.filter(reference=term)
        return super().get_search_results(request, queryset, search_term)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # Every export in the audit log: who took which cases (the filters and search) out.
        audit.record(
            self.request,
            self.request.user,
            audit.EXPORT_CASES,
            format=spreadsheet_format,
            cases=queryset.count(),
            filters={key: str(value) for key, value in self.params.items()},
            query=self.query[:200],
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_context_data(self, **kwargs):
        result_count = self.queryset.count()
        filtered = bool(self.query) or bool(self.params)
        all_count = self.get_base_queryset().count() if filtered else result_count
        paginator = self.paginator_class(self.queryset, self.items_per_page)
        paginator.__dict__["count"] = result_count  # Paginator.count is a cached_property
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        context = {
            "view": self,
            "all_count": all_count,
            "result_count": result_count,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "user_can_create": self.permission_helper.user_can_create(self.request.user),
            "show_search": self.search_handler.show_search_form,
            **kwargs,
        }
        return super(IndexView, self).get_context_data(**context)


class ComplaintEditView(admin_views.VisibleCaseMixin, EditView):
    def get_page_title(self):
        return _("Correct the details of %(reference)s") % {"reference": self.instance.reference}


# The columns the listing shows and its export writes.
CASE_COLUMNS = ("reference", "received_column", "kind", "unit", "handler_column", "status", "due_column")


class ComplaintAdmin(ModelAdmin):
    model = Complaint
    menu_label = _("Cases")
    menu_icon = "folder-open-inverse"
    list_display = (*CASE_COLUMNS, "left_column")
    list_filter = (
        "status",
        DeadlineFilter,
        related_filter("kind", _("kind of complaint"), ComplaintKind),
        related_filter("unit", _("organisation unit"), OrganisationUnit),
        "channel",
        HandlerFilter,
        YearFilter,
        related_filter("municipality", _("municipality"), Municipality),
    )
    search_fields = ("reference", "name", "organisation_name", "description")
    # The export is the listing's columns: no complainant's name or text leaves through it.
    list_export = (*CASE_COLUMNS, "municipality")
    export_filename = "klachten"
    list_per_page = 25
    inspect_view_enabled = True
    inspect_view_class = admin_views.ComplaintInspectView
    index_view_class = ComplaintIndexView
    edit_view_class = ComplaintEditView
    history_view_enabled = False  # the case file's timeline is the history, behind the same access check
    permission_helper_class = ComplaintPermissionHelper
    button_helper_class = PortalButtonHelper  # the reference opens the case file
    panels = [
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
    ]

    def get_edit_handler(self):
        # The form's choices (the person complained about) are the staff of the user's municipalities.
        handler = super().get_edit_handler()
        handler.base_form_class = RegisterForm
        return handler

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("kind", "unit", "handler")
        return access.visible_complaints(request.user, queryset)

    def create_view(self, request):
        return admin_views.register_received(request)

    def delete_view(self, request, instance_pk):
        raise Http404  # cases are never deleted from the admin; retention is a separate procedure

    @display(description=_("Received"))
    def received_column(self, complaint):
        return timezone.localtime(complaint.received_at).strftime("%d-%m-%Y")

    @display(description=_("Handler"), ordering="handler__first_name")
    def handler_column(self, complaint):
        # A person by their full name, not their username.
        handler = complaint.handler
        return (handler.get_full_name() or handler.get_username()) if handler else ""

    @display(description=_("Decision due"))
    def due_column(self, complaint):
        return complaint.decision_due_on.strftime("%d-%m-%Y") if complaint.is_open() else ""

    @display(description=_("Days left"))
    def left_column(self, complaint):
        left = complaint.days_left()
        if left is None:
            return ""
        if left < 0:
            overdue = ngettext("Overdue by %(count)d day", "Overdue by %(count)d days", -left) % {"count": -left}
            return format_html('<strong class="kp-overdue">{}</strong>', overdue)
        text = ngettext("%(count)d day", "%(count)d days", left) % {"count": left}
        if left <= deadlines.DUE_SOON_DAYS:
            return format_html('<span class="kp-due-soon">{}</span>', text)
        return text
