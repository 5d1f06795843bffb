"""The complaints menu: the case list (a Wagtail ``ModelViewSet``, admin/cases.py) first, then the
smaller registers on wagtail-modeladmin, whose one-table screens render well: ombudsman
requests, kinds, the organisation and the destruction records."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdminGroup

from klachtformulieren.admin.cases import case_viewset
from klachtformulieren.admin.inbox import InboxAdmin
from klachtformulieren.admin.scoping import (
    ReadOnlyPermissionHelper,
    RegisterAdmin,
    RegisterForm,
    related_filter,
)
from klachtformulieren.cases import access
from klachtformulieren.models import (
    ComplaintKind,
    DestroyedCase,
    Municipality,
    OmbudsmanRequest,
    OrganisationUnit,
)

municipality_filter = related_filter("municipality", _("municipality"), Municipality)


class OmbudsmanRequestForm(RegisterForm):
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


class OmbudsmanRequestAdmin(RegisterAdmin):
    model = OmbudsmanRequest
    menu_label = _("Ombudsman requests")
    menu_icon = "help"
    list_display = ("received_on", "ombudsman", "ombudsman_reference", "complaint", "result", "closed_on")
    list_filter = ("ombudsman", "result", municipality_filter)
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
        return super().get_queryset(request).select_related("complaint")


class ComplaintKindAdmin(RegisterAdmin):
    model = ComplaintKind
    menu_label = _("Kinds of complaint")
    menu_icon = "tag"
    list_display = ("name", "municipality", "active")
    list_filter = (municipality_filter, "active")
    search_fields = ("name",)


class OrganisationUnitAdmin(RegisterAdmin):
    model = OrganisationUnit
    menu_label = _("Organisation")
    menu_icon = "site"
    list_display = ("name", "level", "parent", "manager", "active")
    list_filter = (municipality_filter, "level", "active")
    search_fields = ("name",)


class DestroyedCaseAdmin(RegisterAdmin):
    """The destruction records (the Archiefwet's "verklaring van vernietiging"), exportable."""

    model = DestroyedCase
    menu_label = _("Destroyed cases")
    menu_icon = "bin"
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ("reference", "municipality", "selection_class", "closed_on", "retention_until", "destroyed_at")
    list_filter = (municipality_filter, "selection_class")
    search_fields = ("reference",)
    list_export = ("reference", "municipality", "selection_class", "closed_on", "retention_until", "destroyed_at")
    export_filename = "vernietigde-klachtdossiers"


class ComplaintsGroup(ModelAdminGroup):
    menu_label = _("Complaints")
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (InboxAdmin, OmbudsmanRequestAdmin, ComplaintKindAdmin, OrganisationUnitAdmin, DestroyedCaseAdmin)

    def get_submenu_items(self):
        # The case list first: it is a Wagtail viewset, registered on its own (wagtail_hooks.py).
        return [case_viewset.get_menu_item(order=0), *super().get_submenu_items()]
