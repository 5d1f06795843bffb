"""The printable letter: one outbox record as a document on the case.

A letter by post (no email address) is printed from here and posted; a mail is kept here as
the file copy. Only for who may see the case (``cases.access``); anyone else gets 404, so guessing
ids reveals nothing.
"""

import logging

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from klachtformulieren.cases import access
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


@require_GET
@never_cache
def letter_document(request, pk):
    notification = (
        Notification.objects.select_related("complaint__municipality").filter(pk=pk, complaint__isnull=False).first()
    )
    if (
        notification is None
        or not request.user.is_authenticated
        or not access.can_view(request.user, notification.complaint)
    ):
        raise Http404
    complaint = notification.complaint
    logger.info("User %s opened letter %s of %s", request.user.pk, notification.pk, complaint.reference)
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
