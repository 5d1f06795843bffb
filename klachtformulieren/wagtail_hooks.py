"""The complaints menu in the admin: cases, ombudsman requests and the classifications.

Access to cases is decided in access.py, for every view of this module: the listing shows
only the cases a user may see, and a case outside them answers 404 on every URL.
"""

import datetime
import re

from django import forms
from django.contrib.admin import SimpleListFilter, display
from django.core.paginator import InvalidPage
from django.db.models import Max, Min
from django.http import Http404
from django.templatetags.static import static
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import EditView, IndexView

from klachtformulieren import access, admin_views, dashboard, letter_views, report_hooks  # noqa: F401 (panels, hooks)
from klachtformulieren.admin_forms import handler_candidates
from klachtformulieren.models import (
    Complaint,
    ComplaintKind,
    MailTemplate,
    Municipality,
    OmbudsmanRequest,
    OrganisationUnit,
)
from klachtformulieren.models.complaint import OPEN_STATUSES
from klachtformulieren.reports import year_bounds

DUE_SOON_DAYS = 7
REFERENCE = re.compile(r"\d{4}-\d{6}")


class DeadlineFilter(SimpleListFilter):
    title = _("deadline")
    parameter_name = "termijn"

    def lookups(self, request, model_admin):
        return [
            ("verlopen", _("Overdue")),
            ("binnen7", _("Due within 7 days")),
            ("eerstecontact", _("First contact overdue")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_cases = queryset.filter(status__in=OPEN_STATUSES)
        if self.value() == "verlopen":
            return open_cases.filter(decision_due_on__lt=today)
        if self.value() == "binnen7":
            return open_cases.filter(decision_due_on__gte=today, decision_due_on__lte=today + datetime.timedelta(7))
        if self.value() == "eerstecontact":
            return open_cases.filter(first_contact_at=None, first_contact_due_on__lt=today)
        return queryset


class YearFilter(SimpleListFilter):
    title = _("year received")
    parameter_name = "jaar"

    def lookups(self, request, model_admin):
        # Two index lookups on (year, number), whatever the number of cases.
        bounds = Complaint.objects.aggregate(first=Min("year"), last=Max("year"))
        if bounds["first"] is None:
            return []
        return [(str(year), str(year)) for year in range(bounds["last"], bounds["first"] - 1, -1)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            # The local year of receipt as a range of received_at: the listing's index serves it.
            start, end = year_bounds(int(self.value()))
            return queryset.filter(received_at__gte=start, received_at__lt=end)
        return queryset


class HandlerFilter(SimpleListFilter):
    title = _("handler")
    parameter_name = "behandelaar"

    def lookups(self, request, model_admin):
        choices = [("geen", _("Not assigned"))]
        choices += [(str(user.pk), user.get_full_name() or user.get_username()) for user in handler_candidates()]
        return choices

    def queryset(self, request, queryset):
        if self.value() == "geen":
            return queryset.filter(handler=None)
        if self.value() and self.value().isdigit():
            return queryset.filter(handler_id=int(self.value()))
        return queryset


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
        if REFERENCE.fullmatch(term):
            return queryset.filter(reference=term)
        return super().get_search_results(request, queryset, search_term)

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


class ComplaintAdmin(ModelAdmin):
    model = Complaint
    menu_label = _("Cases")
    menu_icon = "folder-open-inverse"
    list_display = ("reference", "received_column", "kind", "unit", "handler", "status", "due_column", "left_column")
    list_filter = (
        "status",
        DeadlineFilter,
        "kind",
        "unit",
        "channel",
        HandlerFilter,
        YearFilter,
        "municipality",
    )
    search_fields = ("reference", "name", "organisation_name", "description")
    list_per_page = 25
    inspect_view_enabled = True
    inspect_view_class = admin_views.ComplaintInspectView
    index_view_class = ComplaintIndexView
    edit_view_class = ComplaintEditView
    history_view_enabled = False  # the case file's timeline is the history, behind the same access check
    permission_helper_class = ComplaintPermissionHelper
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
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("kind", "unit", "handler")
        return access.visible_complaints(request.user, queryset)

    def create_view(self, request):
        return admin_views.register(request)

    def delete_view(self, request, instance_pk):
        raise Http404  # cases are never deleted from the admin; retention is a separate procedure

    @display(description=_("Received"))
    def received_column(self, complaint):
        return timezone.localtime(complaint.received_at).strftime("%d-%m-%Y")

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
        if left <= DUE_SOON_DAYS:
            return format_html('<span class="kp-due-soon">{}</span>', text)
        return text


class OmbudsmanRequestForm(WagtailAdminModelForm):
    """The case is entered by its reference: a select with every case would not scale."""

    complaint_reference = forms.CharField(
        label=_("Reference of our complaint"),
        required=False,
        max_length=20,
        help_text=_("For example 2026-000123. Leave empty when there was no complaint with us first."),
    )

    class Meta:
        model = OmbudsmanRequest
        exclude = ["complaint", "created_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.complaint_id:
            self.initial.setdefault("complaint_reference", self.instance.complaint.reference)
        if "municipality" in self.fields and self.for_user is not None:
            self.fields["municipality"].queryset = access.municipalities_for_registration(self.for_user)

    def clean_complaint_reference(self):
        reference = self.cleaned_data["complaint_reference"].strip()
        if not reference:
            self.instance.complaint = None
            return reference
        complaint = access.visible_complaints(self.for_user).filter(reference=reference).first()
        if complaint is None:
            raise forms.ValidationError(_("No complaint with this reference that you may see."))
        self.instance.complaint = complaint
        return reference

    def save(self, commit=True):
        if self.instance.created_by_id is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


class OmbudsmanRequestAdmin(ModelAdmin):
    model = OmbudsmanRequest
    menu_label = _("Ombudsman requests")
    menu_icon = "help"
    list_display = ("received_on", "ombudsman", "ombudsman_reference", "complaint", "result", "closed_on")
    list_filter = ("ombudsman", "result", "municipality")
    search_fields = ("ombudsman_reference", "subject", "complaint__reference")
    edit_handler = ObjectList(
        [
            FieldPanel("municipality"),
            FieldPanel("ombudsman"),
            FieldPanel("ombudsman_reference"),
            FieldPanel("complaint_reference"),
            FieldPanel("received_on"),
            FieldPanel("subject"),
            FieldPanel("result"),
            FieldPanel("closed_on"),
            FieldPanel("notes"),
        ],
        base_form_class=OmbudsmanRequestForm,
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("complaint")
        return queryset.filter(municipality__in=access.municipalities_for_registration(request.user))


class ComplaintKindAdmin(ModelAdmin):
    model = ComplaintKind
    menu_label = _("Kinds of complaint")
    menu_icon = "tag"
    list_display = ("name", "municipality", "active")
    list_filter = ("municipality", "active")
    search_fields = ("name",)


class OrganisationUnitAdmin(ModelAdmin):
    model = OrganisationUnit
    menu_label = _("Organisation")
    menu_icon = "site"
    list_display = ("name", "level", "parent", "manager", "active")
    list_filter = ("municipality", "level", "active")
    search_fields = ("name",)


class ComplaintsGroup(ModelAdminGroup):
    menu_label = _("Complaints")
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (ComplaintAdmin, OmbudsmanRequestAdmin, ComplaintKindAdmin, OrganisationUnitAdmin)


modeladmin_register(ComplaintsGroup)
register_snippet(Municipality)
register_snippet(MailTemplate)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("klachten/bijlagen/<int:pk>/", admin_views.attachment_download, name="klachtformulieren_attachment"),
        path("klachten/<int:pk>/stap/<slug:step>/", admin_views.step, name="klachtformulieren_step"),
        path("klachten/brieven/<int:pk>/", letter_views.letter_document, name="klachtformulieren_letter"),
    ]


@hooks.register("insert_global_admin_css")
def case_screens_css():
    return format_html('<link rel="stylesheet" href="{}">', static("klachtformulieren/css/admin.css"))
