"""Bulk actions on the case list: assign a handler, set the kind or unit, export or print the
selection. Each one asks the same rules as the case file: a case the user may not see makes
the whole request not found (404); a case the user may see but not change this way is listed
as refused and left alone. Changes go through the handling steps of ``cases.workflow``.
"""

from django import forms
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.bulk_action import BulkAction

from klachtformulieren.admin.filters import CaseFilterSet, search_condition
from klachtformulieren.admin.views import PRINT_LIMIT
from klachtformulieren.cases import access, workflow
from klachtformulieren.cases.forms import HandlerChoiceField
from klachtformulieren.cases.links import case_index_url
from klachtformulieren.cases.steps import STEPS
from klachtformulieren.models import Complaint, ComplaintKind, OrganisationUnit

# The most cases one bulk action changes or prints; an export takes the whole list.
MAX_SELECTION = 500


class CaseBulkAction(BulkAction):
    models = [Complaint]
    takes_the_whole_list = False
    template_name = "klachtformulieren/admin/bulk_action.html"
    step_name = ""  # the handling step this action takes on every case, if any

    def get_queryset(self, model, object_ids):
        """The selected cases, all of which the user must be able to see."""
        visible = access.visible_complaints(self.request.user).select_related("municipality", "handler")
        if object_ids == "all":
            # "Select all in this list": the list's own filters and search, over what the user
            # sees; at most one more than an action takes, so a million cases are never loaded.
            return list(self.whole_listing(visible)[: MAX_SELECTION + 1])
        ids = {value for value in object_ids if str(value).isdigit()}
        cases = list(visible.filter(pk__in=ids))
        if not ids or len(cases) != len(ids):
            raise Http404  # a case outside the user's own is not there
        return cases

    def get_all_objects_in_listing_query(self, parent_id):
        return "all"

    @property
    def whole_list_selected(self):
        return "all" in self.request.GET.getlist("id")

    def listing_query(self):
        """The list's filters and search, as the bulk action received them."""
        query = self.request.GET.copy()
        for key in ("id", "next", "childOf"):
            query.pop(key, None)
        return query

    def whole_listing(self, visible):
        query = self.listing_query()
        filters = CaseFilterSet(query, visible, request=self.request)
        if not filters.is_valid():
            return visible.none()  # as the list: a filter that is not valid selects nothing
        cases = filters.qs
        return cases.filter(search_condition(query["q"])) if query.get("q", "").strip() else cases

    def form_valid(self, form):
        cases, _refused = self.get_actionable_objects()
        if self.whole_list_selected and len(cases) > MAX_SELECTION and not self.takes_the_whole_list:
            form.add_error(
                None,
                _("Choose at most %(limit)d cases at a time; narrow the list with the filters first.")
                % {"limit": MAX_SELECTION},
            )
            return self.form_invalid(form)
        return self.act(form)

    def act(self, form):
        try:
            return super().form_valid(form)
        except workflow.StepNotAllowed as refusal:
            # The transaction was rolled back: no case changed. Say why, on the same form.
            form.add_error(None, str(refusal))
            return self.form_invalid(form)

    def check_perm(self, complaint):
        if not self.step_name:
            return access.can_view(self.request.user, complaint)
        step = STEPS[self.step_name]
        return step.allowed_for(complaint) and access.can_take_step(self.request.user, complaint, step)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if getattr(self.form_class, "takes_user", False):
            kwargs["user"] = self.request.user  # the choices are the user's own municipalities'
        return kwargs

    def form_invalid(self, form):
        return TemplateResponse(self.request, self.template_name, self.get_context_data(form=form), status=400)


class AssignHandlerForm(forms.Form):
    takes_user = True
    handler = HandlerChoiceField(
        label=_("Handler"),
        queryset=access.handler_candidates().none(),
        error_messages={"required": _("Choose a handler.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = access.handler_candidates_seen_by(user)


class AssignHandlerBulkAction(CaseBulkAction):
    display_name = _("Assign a handler")
    action_type = "assign_handler"
    aria_label = _("Assign a handler to the selected cases")
    action_priority = 10
    form_class = AssignHandlerForm
    step_name = "assign_handler"
    confirm_text = _("Give these cases to this handler (Awb 9:7).")

    def get_execution_context(self):
        return {"user": self.request.user, "handler": self.cleaned_form.cleaned_data["handler"]}

    @classmethod
    def execute_action(cls, objects, user=None, handler=None, **kwargs):
        for complaint in objects:
            workflow.assign_handler(complaint, user, handler=handler)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        handler = self.cleaned_form.cleaned_data["handler"]
        return ngettext(
            "%(count)d case assigned to %(handler)s.", "%(count)d cases assigned to %(handler)s.", num_parent_objects
        ) % {"count": num_parent_objects, "handler": get_user_display_name(handler)}


class ClassifyForm(forms.Form):
    takes_user = True
    kind = forms.ModelChoiceField(label=_("Kind of complaint"), queryset=ComplaintKind.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("Organisation unit"), queryset=OrganisationUnit.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = access.records_for(user, ComplaintKind.objects.filter(active=True))
        self.fields["unit"].queryset = access.records_for(user, OrganisationUnit.objects.filter(active=True))

    def clean(self):
        data = super().clean()
        if not data.get("kind") and not data.get("unit"):
            raise forms.ValidationError(_("Choose a kind, a unit or both."))
        return data


class ClassifyBulkAction(CaseBulkAction):
    display_name = _("Set kind or unit")
    action_type = "classify"
    aria_label = _("Set the kind or the unit of the selected cases")
    action_priority = 20
    form_class = ClassifyForm
    step_name = "classify"
    confirm_text = _("Set the kind, the unit or both of these cases. Left empty, it stays as it is.")

    def get_execution_context(self):
        data = self.cleaned_form.cleaned_data
        return {"user": self.request.user, "kind": data.get("kind"), "unit": data.get("unit")}

    @classmethod
    def execute_action(cls, objects, user=None, kind=None, unit=None, **kwargs):
        for complaint in objects:
            workflow.classify(complaint, user, kind=kind, unit=unit)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d case changed.", "%(count)d cases changed.", num_parent_objects) % {
            "count": num_parent_objects
        }


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("File type"),
        choices=[("xlsx", _("Excel (XLSX)")), ("csv", _("CSV"))],
        initial="xlsx",
        widget=forms.RadioSelect,
    )


class ExportBulkAction(CaseBulkAction):
    """The selection as a spreadsheet: the case list's own export, of these cases only, so
    the columns, the access rules and the audit record are the list's."""

    display_name = _("Export")
    action_type = "export"
    aria_label = _("Export the selected cases")
    action_priority = 30
    form_class = ExportForm
    confirm_text = _("Download these cases as a spreadsheet, with the columns of the case list.")

    takes_the_whole_list = True

    def act(self, form):
        if self.whole_list_selected:
            query = self.listing_query()  # the list's own export of the whole selection
        else:
            cases, _refused = self.get_actionable_objects()
            query = QueryDict(mutable=True)
            query["zaak"] = ",".join(str(complaint.pk) for complaint in cases)
        query["export"] = form.cleaned_data["format"]
        return redirect(f"{case_index_url()}?{query.urlencode()}")


class PrintBulkAction(CaseBulkAction):
    display_name = _("Print")
    action_type = "print"
    aria_label = _("Print the case files of the selected cases")
    action_priority = 40
    confirm_text = _("Open the case files of these cases one after the other, to print.")

    def act(self, form):
        cases, _refused = self.get_actionable_objects()
        if len(cases) > PRINT_LIMIT:
            form.add_error(
                None,
                _("Print at most %(limit)d cases at a time; choose fewer, or export them.") % {"limit": PRINT_LIMIT},
            )
            return self.form_invalid(form)
        query = "&".join(f"id={complaint.pk}" for complaint in cases)
        return redirect(f"{reverse('klachtformulieren_cases:print')}?{query}")


BULK_ACTIONS = (AssignHandlerBulkAction, ClassifyBulkAction, ExportBulkAction, PrintBulkAction)
