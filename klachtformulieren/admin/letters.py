"""The letters on a case: the draft to edit and preview, its approval, sending it off, the
printed letter and its PDF, and marking a letter by post as posted.

Thin: ``correspondence.letters`` decides who may (``refusal``) and acts; these views show and
ask. Only for who may see the case (``cases.access``); anyone else gets 404, so guessing ids
reveals nothing.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klachtformulieren.admin import audit
from klachtformulieren.cases import access
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.correspondence import letters, outbox, pdf
from klachtformulieren.models import Notification

logger = logging.getLogger(__name__)

# Personal data: nothing loaded from elsewhere (the logo is embedded), nothing run.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


class LetterForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=255,
        error_messages={
            "required": gettext_lazy("Give the letter a subject."),
            "max_length": gettext_lazy("Keep the subject under 255 characters."),
        },
    )
    body = forms.CharField(
        label=gettext_lazy("Text of the letter"),
        widget=forms.Textarea(attrs={"rows": 24}),
        strip=True,
        error_messages={"required": gettext_lazy("The letter has no text. Write the letter, or keep the text it had.")},
        help_text=gettext_lazy("Saving keeps the draft; a changed text that was approved must be approved again."),
    )

    # The text this edit started from (``letters.text_version``): a colleague's change in the
    # meantime is not overwritten unseen.
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class PostedForm(forms.Form):
    posted_on = forms.DateField(
        label=gettext_lazy("Posted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": gettext_lazy("Enter the posting date as day-month-year, for example 3-12-2026.")},
        help_text=gettext_lazy("Leave empty for today."),
    )


def _visible_notification(request, pk):
    """The mail or letter, if this user may see its case; else 404, so guessing ids reveals nothing."""
    notification = (
        Notification.objects.select_related("complaint__municipality", "created_by", "approved_by")
        .filter(pk=pk, complaint__isnull=False)
        .first()
    )
    if (
        notification is None
        or not request.user.is_authenticated
        or not access.can_view(request.user, notification.complaint)
    ):
        raise Http404
    return notification


def _case_letters_url(notification):
    return f"{case_inspect_url(notification.complaint_id)}#brieven"


def draft_url(notification):
    return reverse("klachtformulieren_letter_draft", args=[notification.pk])


def _after_action(notification):
    if notification.state == Notification.State.DRAFT:
        return redirect(draft_url(notification))
    return redirect(_case_letters_url(notification))


@require_POST
def send_again(request, pk):
    """ "Send again" for a mail that was not sent (a refused address fixed, a mail server back)."""
    notification = _visible_notification(request, pk)
    if not letters.writes_letters_of(request.user, notification):
        raise PermissionDenied  # the letter rule: never the person complained about (Awb 9:7)
    if outbox.send_again(notification, request.user):
        messages.success(request, _("The mail is being sent again. The timeline shows when it has gone."))
    else:
        messages.warning(request, _("This mail was not waiting to be sent again."))
    return redirect(f"{case_inspect_url(notification.complaint_id)}#tijdlijn")


@require_POST
def send_by_post(request, pk):
    """ "Posted": the letter was printed and posted on the date given (empty: today), and counts
    as sent from then. Opens the letter to print."""
    notification = _visible_notification(request, pk)
    form = PostedForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("posted_on", []):
            messages.error(request, error)
        return redirect(_case_letters_url(notification))
    try:
        letters.mark_posted(notification, request.user, posted_on=form.cleaned_data["posted_on"])
    except letters.LetterRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(_case_letters_url(notification))
    messages.success(request, _("Marked as sent by post. Print the letter and post it, if that has not happened yet."))
    return redirect("klachtformulieren_letter", notification.pk)


@require_POST
def approve(request, pk):
    """Four eyes: a second coordinator approves the draft as it stands."""
    notification = _visible_notification(request, pk)
    try:
        notification = letters.approve(notification, request.user, version=request.POST.get("version", ""))
    except letters.LetterRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Letter approved. It can be sent now."))
    return _after_action(notification)


@require_POST
def send_off(request, pk):
    """The draft goes: by email with its PDF, or to be printed and posted."""
    notification = _visible_notification(request, pk)
    try:
        notification = letters.send_off(notification, request.user)
    except letters.LetterRefused as refusal:
        messages.error(request, str(refusal))
        return _after_action(notification)
    if notification.medium == Notification.Medium.EMAIL:
        messages.success(request, _("The letter is being sent by email, with the PDF attached."))
    else:
        messages.success(request, _("The letter is ready to be printed and posted. Mark it as posted afterwards."))
    return _after_action(notification)


@require_http_methods(["GET", "POST"])
@never_cache
def letter_draft(request, pk):
    """The draft: its text to edit, and how it will look as mail and as printed letter."""
    notification = _visible_notification(request, pk)
    user = request.user
    if notification.state != Notification.State.DRAFT:
        return redirect("klachtformulieren_letter", notification.pk)
    may_edit = letters.may(user, notification, letters.EDIT)
    status = 200
    if request.method == "POST":
        form = LetterForm(request.POST)
        if not may_edit:
            form.is_valid()
            form.add_error(None, letters.refusal(user, notification, letters.EDIT))
            status = 403
        elif form.is_valid():
            try:
                data = form.cleaned_data
                saved = letters.edit_draft(
                    notification, user, subject=data["subject"], body=data["body"], version=data["version"] or None
                )
            except letters.LetterRefused as refusal:
                form.add_error(None, str(refusal))
                status = 400
            else:
                messages.success(request, _("Draft saved."))
                return redirect(draft_url(saved))
        else:
            status = 400
    else:
        form = LetterForm(
            initial={
                "subject": notification.subject,
                "body": notification.body,
                "version": letters.text_version(notification),
            }
        )
    audit.record(request, notification.complaint, audit.VIEW_LETTER, letter=notification.pk, kind=notification.kind)
    context = {
        "notification": notification,
        "complaint": notification.complaint,
        "form": form,
        "may_edit": may_edit,
        "approval_required": letters.approval_required(notification),
        "approve_refusal": letters.refusal(user, notification, letters.APPROVE),
        "version": letters.text_version(notification),
        "send_refusal": letters.refusal(user, notification, letters.SEND),
        "addressee_lines": pdf.addressee_lines(notification),
        "inspect_url": _case_letters_url(notification),
    }
    return TemplateResponse(request, "klachtformulieren/admin/letter_draft.html", context, status=status)


@require_GET
@never_cache
def letter_document(request, pk):
    """The printed letter, as HTML (the preview, and what a browser prints)."""
    notification = _visible_notification(request, pk)
    complaint = notification.complaint
    audit.record(request, complaint, audit.VIEW_LETTER, letter=notification.pk, kind=notification.kind)
    # The letter is in the municipality's language, whatever the reader's admin language.
    with override(settings.LANGUAGE_CODE):
        response = render(
            request,
            "klachtformulieren/admin/letter_document.html",
            {
                **pdf.letter_context(notification),
                "pdf_url": reverse("klachtformulieren_letter_pdf", args=[notification.pk]),
            },
        )
    response["Content-Security-Policy"] = DOCUMENT_CSP
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
@never_cache
def letter_pdf(request, pk):
    """The letter as PDF on the municipality's letterhead, downloaded (a draft says so on it)."""
    notification = _visible_notification(request, pk)
    audit.record(
        request, notification.complaint, audit.VIEW_LETTER, letter=notification.pk, kind=notification.kind, pdf=True
    )
    response = HttpResponse(pdf.pdf_of(notification), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.pdf_filename(notification)}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
