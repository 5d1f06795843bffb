"""The intake inbox ("Binnengekomen e-mail"): incoming mail that named no case.

The list is a wagtail-modeladmin register scoped per municipality (``admin.scoping``), read
only; one message's screen offers what a coordinator does with it: register it as a complaint
(Awb 9:2, channel e-mail, received at the mail's date, the Awb 9:4 check), add it to an
existing case, or mark it "geen klacht" with the reason. The rules are in ``intake.inbound``.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klachtformulieren.admin.scoping import ReadOnlyPermissionHelper, RegisterAdmin
from klachtformulieren.admin.views import inspect_url
from klachtformulieren.cases import access
from klachtformulieren.intake import inbound
from klachtformulieren.intake.forms import RegisterForm as StaffRegistrationForm
from klachtformulieren.intake.services import RegistrationRefused
from klachtformulieren.models import Complaint, InboundMessage


class InboxPermissionHelper(ReadOnlyPermissionHelper):
    """What arrived is kept as it arrived: nobody adds, changes or deletes a message here."""

    def user_can_list(self, user):
        return access.is_coordinator(user) or access.is_administrator(user)


class InboxAdmin(RegisterAdmin):
    model = InboundMessage
    menu_label = gettext_lazy("Incoming e-mail")
    menu_icon = "mail"
    permission_helper_class = InboxPermissionHelper
    list_display = ("message_link", "sender_address", "sent_at", "state", "kind")
    list_filter = ("state", "kind")
    search_fields = ("subject", "sender_address", "sender_name")

    def message_link(self, message):
        return format_html(
            '<a href="{}">{}</a>', reverse("klachtformulieren_inbox_message", args=[message.pk]), str(message)
        )

    message_link.short_description = gettext_lazy("subject")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality")


class AddToCaseForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference of the case"), max_length=20)


class NotAComplaintForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why this is no complaint"), widget=forms.Textarea(attrs={"rows": 3}))


def _message_for(request, pk):
    message = get_object_or_404(InboundMessage.objects.select_related("municipality", "complaint"), pk=pk)
    if not access.may_see_record(request.user, message):
        raise Http404
    if not (access.is_coordinator(request.user) or access.is_administrator(request.user)):
        raise PermissionDenied
    return message


def inbox_message(request, pk):
    """One incoming message and the three things a coordinator can do with it."""
    message = _message_for(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    register_form = StaffRegistrationForm(
        request.POST if action == "register" else None,
        municipalities=access.municipalities_for_registration(request.user).filter(pk=message.municipality_id),
        user=request.user,
        initial=inbound.prefilled_submission(message),
    )
    # Channel, received date and municipality are the mail's own (Awb 9:2): not to be chosen.
    for name in ("municipality", "channel", "received_at", "attachments"):
        register_form.fields.pop(name, None)
    case_form = AddToCaseForm(request.POST if action == "add_to_case" else None)
    not_complaint_form = NotAComplaintForm(request.POST if action == "not_a_complaint" else None)
    try:
        if action == "register" and register_form.is_valid():
            registration = inbound.register_from_message(message, request.user, register_form.submission())
            messages.success(
                request,
                _("Complaint %(reference)s registered. The complainant receives the acknowledgement.")
                % {"reference": registration.complaint.reference},
            )
            return redirect(inspect_url(registration.complaint))
        if action == "add_to_case" and case_form.is_valid():
            complaint = Complaint.objects.filter(
                reference=case_form.cleaned_data["reference"].strip(), municipality=message.municipality
            ).first()
            if complaint is None:
                case_form.add_error("reference", _("No case of this municipality has this reference."))
            else:
                inbound.add_to_existing_case(message, request.user, complaint)
                messages.success(
                    request, _("The e-mail was added to %(reference)s.") % {"reference": complaint.reference}
                )
                return redirect(inspect_url(complaint))
        if action == "not_a_complaint" and not_complaint_form.is_valid():
            inbound.mark_not_a_complaint(message, request.user, reason=not_complaint_form.cleaned_data["reason"])
            messages.success(request, _("Marked as no complaint."))
            return redirect(InboxAdmin().url_helper.index_url)
    except (RegistrationRefused, inbound.NotInInbox) as refusal:
        messages.error(request, str(refusal))
    context = {
        "message": message,
        "in_inbox": message.state == InboundMessage.State.INBOX,
        "register_form": register_form,
        "case_form": case_form,
        "not_complaint_form": not_complaint_form,
        "attachments": message.attachments.all(),
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "klachtformulieren/admin/inbox_message.html", context, status=status)
