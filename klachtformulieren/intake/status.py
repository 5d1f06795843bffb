"""The complainant's secret status link and what the status page tells them.

The link carries a random token of 256 bits; only its SHA-256 hash is stored, so a copy of
the database gives nobody access to anyone's status page.
"""

import datetime
import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klachtformulieren.models import Complaint, Status

TOKEN_BYTES = 32
# The link works until the term to go to the ombudsman has passed after closing (Awb 9:24).
VALID_AFTER_CLOSING = datetime.timedelta(days=366)


def new_status_token():
    """A fresh token and the hash to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_status_token(token)


def hash_status_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def complaint_for_status_token(token, now=None):
    """The case the token opens, or None (unknown, malformed and expired alike)."""
    if not token or len(token) > 100:
        return None
    complaint = (
        Complaint.objects.select_related("municipality").filter(status_token_hash=hash_status_token(token)).first()
    )
    if complaint is None:
        return None
    now = now or timezone.now()
    if complaint.closed_at and now > complaint.closed_at + VALID_AFTER_CLOSING:
        return None
    return complaint


# The current step in plain Dutch (B1) for the complainant, per status.
PUBLIC_STEPS = {
    Status.RECEIVED: (
        _("We have received your complaint"),
        _("A complaint coordinator will contact you to talk about your complaint."),
    ),
    Status.INTAKE: (
        _("We are looking at your complaint"),
        _("A complaint coordinator talks with you about what happened and what you would like."),
    ),
    Status.HANDLING: (
        _("Your complaint is being handled"),
        _("Someone who was not involved looks into your complaint. You will hear the outcome in writing."),
    ),
    Status.DECIDED: (
        _("We have decided on your complaint"),
        _("You have received a letter with our findings and our judgement."),
    ),
    Status.CLOSED: (
        _("Your complaint has been dealt with"),
        _("Not satisfied with how we handled it? You can turn to the ombudsman."),
    ),
    Status.NOT_HANDLED: (
        _("We are not taking your complaint into handling"),
        _("You have received a letter that explains why, and where you can go instead."),
    ),
    Status.REFERRED: (
        _("Your complaint has been passed on"),
        _("Your complaint belongs with another procedure or organisation. We have told you where it went."),
    ),
    Status.WITHDRAWN: (
        _("You have withdrawn your complaint"),
        _("We have stopped handling your complaint."),
    ),
}


def public_step(complaint):
    title, next_step = PUBLIC_STEPS[Status(complaint.status)]
    return {"title": title, "next_step": next_step, "open": complaint.is_open()}
