"""The printable letter: one outbox record as a document on the case.

A letter by post (no email address) is printed from here and posted; a mail is kept here as
the file copy. Only for who may see the case (``cases.access``); anyone else gets 404, so guessing
ids reveals nothing.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from klachtformulieren.admin import audit
from klachtformulieren.cases import access
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.correspondence import delivery, outbox
from klachtformulieren.models import Notification

logger = logging.getLogger(__name__)


def addressee_lines(notification):
    """Who the letter is to, as on an envelope. A letter to the complainant (their email
    address, or none: by post) carries their name and postal address."""
    complaint = notification.complaint
    if notification.recipient in ("", complaint.email):
        lines = [complaint.name, complaint.organisation_name, *complaint.postal_address.splitlines()]
        if notification.medium == Notification.Medium.EMAIL:
            lines.append(notification.recipient)
    else:
        lines = [notification.recipient]
    return [line for line in lines if line.strip()]


def _visible_notification(request, pk):
    """The mail or letter, if this user may see its case; else 404, so guessing ids reveals nothing."""
    notification = (
        Notification.objects.select_related("complaint__municipality").filter(pk=pk, complaint__isnull=False).first()
    )
    if (
        notification is None
        or not request.user.is_authenticated
        or not access.can_view(request.user, notification.complaint)
    ):
        raise Http404
    return notification


@require_POST
def send_again(request, pk):
    """ "Send again" for a mail that was not sent (a refused address fixed, a mail server back)."""
    notification = _visible_notification(request, pk)
    if outbox.send_again(notification, request.user):
        messages.success(request, _("The mail is being sent again. The timeline shows when it has gone."))
    else:
        messages.warning(request, _("This mail was not waiting to be sent again."))
    return redirect(f"{case_inspect_url(notification.complaint_id)}#tijdlijn")


@require_POST
def send_by_post(request, pk):
    """ "Send by post": the letter is marked as posted today and opened to print."""
    notification = _visible_notification(request, pk)
    if delivery.mark_sent_by_post(notification, request.user):
        messages.success(request, _("Marked as sent by post. Print the letter and post it today."))
    return redirect("klachtformulieren_letter", notification.pk)


@require_GET
@never_cache
def letter_document(request, pk):
    notification = _visible_notification(request, pk)
    complaint = notification.complaint
    audit.record(request, complaint, audit.VIEW_LETTER, letter=notification.pk, kind=notification.kind)
    # The letter is in the municipality's language, whatever the reader's admin language.
    with override(settings.LANGUAGE_CODE):
        response = render(
            request,
            "klachtformulieren/admin/letter_document.html",
            {
                "notification": notification,
                "complaint": complaint,
                "municipality": complaint.municipality,
                "addressee_lines": addressee_lines(notification),
                "letter_date": timezone.localdate(notification.created_at),
                "language": settings.LANGUAGE_CODE,
            },
        )
    # Personal data: nothing loaded from elsewhere, nothing run.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
