"""The case screens' own views: the case file (inspect), one form per handling step, the
registration of a complaint received another way (Awb 9:2) and attachment downloads.

Thin: ``cases.access`` decides who may, the step registry names the form that collects the
input, ``cases.workflow`` acts. A case the
user may not see answers 404, so guessing ids reveals nothing.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtformulieren.admin import audit
from klachtformulieren.cases import access, case_file, retention, workflow
from klachtformulieren.cases.links import case_index_url, case_inspect_url
from klachtformulieren.cases.steps import STEPS, allowed_steps
from klachtformulieren.intake import services
from klachtformulieren.intake.forms import RegisterForm
from klachtformulieren.models import ComplaintAttachment

logger = logging.getLogger(__name__)


def inspect_url(complaint):
    return case_inspect_url(complaint.pk)


def visible_complaint_or_404(user, pk):
    queryset = access.visible_complaints(user).select_related(
        "municipality", "kind", "unit", "handler", "partner", "person_complained_about_user"
    )
    return get_object_or_404(queryset, pk=pk)


def step_buttons(user, complaint):
    """The steps this user may take on this case now, in the registry's order."""
    return [
        {
            "step": step.name,
            "label": step.title,
            "url": reverse("klachtformulieren_step", args=[complaint.pk, step.name]),
        }
        for step in allowed_steps(complaint)
        if access.can_take_step(user, complaint, step)
    ]


def term_row(term, today):
    left = term.days_left(today)
    return {"term": term, "state": term.state(today), "left": left, "over": -left}


class CaseFileMixin:
    """The case file: every fact, the terms, the steps to take and one timeline. Mixed into
    the case viewset's inspect view (admin/cases.py)."""

    template_name = "klachtformulieren/admin/complaint_inspect.html"

    def get_page_title(self):
        return _("Complaint %(reference)s") % {"reference": self.object.reference}

    def get_page_subtitle(self):
        return self.object.get_status_display()

    @property
    def header_more_buttons(self):
        return []  # the case file's own buttons are the steps, above the facts

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(case_file_context(self.request, self.object))
        return context


def case_file_context(request, complaint):
    """What the case file shows of one case, for the screen and for the print of a selection."""
    user = request.user
    today = timezone.localdate()
    audit.record(request, complaint, audit.VIEW_CASE)
    return {
        "complaint": complaint,
        "today": today,
        "index_url": case_index_url(),
        "terms": [term_row(term, today) for term in case_file.terms(complaint)],
        "retention": {
            "selection": (selection := retention.selection_class(complaint)),
            "until": retention.retention_until(complaint, selection),
        },
        "steps": step_buttons(user, complaint),
        "can_edit": access.can_edit_details(user, complaint),
        "edit_url": reverse("klachtformulieren_cases:edit", args=[complaint.pk]),
        "attachments": complaint.attachments.all(),
        "letters": complaint.notifications.all(),
        "contacts": complaint.contact_moments.select_related("by"),
        "ombudsman_requests": complaint.ombudsman_requests.all(),
        "timeline": case_file.timeline(
            complaint,
            letter_url=lambda notification: reverse("klachtformulieren_letter", args=[notification.pk]),
            # A file not yet checked for viruses (or removed) gets no link, only its name.
            attachment_url=lambda attachment: (
                reverse("klachtformulieren_attachment", args=[attachment.pk])
                if attachment.scan == attachment.Scan.CLEAN
                else ""
            ),
        ),
    }


# The most case files printed at once (the bulk action "Print" says so before it comes here).
PRINT_LIMIT = 100


def print_cases(request):
    """The case files of a selection (``?id=1&id=2``, the bulk action "Print"), one after the
    other, to print. Every case must be one the user may see; otherwise nothing is shown (404)."""
    ids = [value for value in request.GET.getlist("id") if value.isdigit()]
    if not ids or len(ids) > PRINT_LIMIT or not access.has_case_access(request.user):
        raise Http404
    complaints = list(
        access.visible_complaints(request.user)
        .filter(pk__in=ids)
        .select_related("municipality", "kind", "unit", "handler", "partner", "person_complained_about_user")
    )
    if len(complaints) != len(set(ids)):
        raise Http404
    cases = [case_file_context(request, complaint) for complaint in complaints]
    return TemplateResponse(
        request, "klachtformulieren/admin/case_print.html", {"cases": cases, "index_url": case_index_url()}
    )


def step(request, pk, name):
    """GET: the step's form. POST: take the step, or show why not; nothing changes on refusal."""
    complaint = visible_complaint_or_404(request.user, pk)
    step = STEPS.get(name)
    if step is None:
        raise Http404
    if not access.can_take_step(request.user, complaint, step):
        raise PermissionDenied
    if request.method == "POST":
        form = step.form(request.POST, complaint=complaint, user=request.user)
        if form.is_valid():
            try:
                workflow.take(step, complaint, request.user, form.arguments())
            except workflow.StepNotAllowed as refusal:
                # The step function ran in a transaction that was rolled back: reload the
                # case so the page shows what is stored, not the half-changed object.
                complaint.refresh_from_db()
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("%(step)s: saved.") % {"step": step.title})
                if workflow.drafts_of(complaint, step).exists():
                    # The step's letter is a draft: it goes only once it is checked (and approved).
                    messages.warning(
                        request, _("The letter is a draft and has not been sent. Check it under “Letters and mails”.")
                    )
                return redirect(inspect_url(complaint))
    else:
        if not step.allowed_for(complaint):
            messages.error(
                request,
                _("This step is not possible for a complaint that is “%(status)s”.")
                % {"status": complaint.get_status_display()},
            )
            return redirect(inspect_url(complaint))
        form = step.form(complaint=complaint, user=request.user)
    context = {"complaint": complaint, "step": step, "form": form, "inspect_url": inspect_url(complaint)}
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "klachtformulieren/admin/step_form.html", context, status=status)


def register_received(request):
    """Awb 9:2: register a complaint that came in by phone, letter, email or at the desk."""
    municipalities = access.municipalities_for_registration(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    form = RegisterForm(request.POST or None, request.FILES or None, municipalities=municipalities, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register_by_staff(
                form.submission(),
                request.user,
                municipality=data["municipality"],
                channel=data["channel"],
                received_at=data["received_at"],
            )
        except services.RegistrationRefused as refusal:
            form.add_error("received_at", str(refusal))
        else:
            messages.success(
                request,
                _("Complaint %(reference)s registered. The decision is due on %(due)s.")
                % {
                    "reference": registration.complaint.reference,
                    "due": registration.complaint.decision_due().strftime("%d-%m-%Y"),
                },
            )
            return redirect(inspect_url(registration.complaint))
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "klachtformulieren/admin/register.html",
        {"form": form, "index_url": case_index_url()},
        status=status,
    )


def attachment_download(request, pk):
    """The file, as an attachment, never rendered inline; only for who may see the case, and
    only once the virus scanner found it clean (see ``ComplaintAttachment.Scan``)."""
    attachment = get_object_or_404(ComplaintAttachment.objects.select_related("complaint"), pk=pk)
    if not access.can_view(request.user, attachment.complaint):
        raise Http404
    if attachment.scan != ComplaintAttachment.Scan.CLEAN:
        if attachment.scan == ComplaintAttachment.Scan.INFECTED:
            refusal = _("“%(name)s” contained a virus; its content was removed.")
        else:
            refusal = _(
                "“%(name)s” cannot be downloaded yet: it has not been checked for viruses. "
                "It can be downloaded as soon as the virus scanner has found it clean."
            )
        messages.error(request, refusal % {"name": attachment.name})
        return redirect(case_inspect_url(attachment.complaint_id))
    audit.record(request, attachment.complaint, audit.DOWNLOAD_ATTACHMENT, attachment=attachment.pk)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
