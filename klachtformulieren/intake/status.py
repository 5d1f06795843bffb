"""The complainant's secret status link and what the status page tells them.

The link carries a random token of 256 bits; only its SHA-256 hash is stored, so a copy of
the database gives nobody access to anyone's status page. The first request with the token
exchanges it for a short session (``STATUS_SESSION_MINUTES``) and is sent on to the page's
address without the token, so the token stays out of the browser's history, bookmarks,
screenshots and any Referer header.
"""

import datetime
import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klachtformulieren import conf
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


SESSION_KEY = "klachtformulieren_status"


def open_status_session(session, complaint, now=None):
    """Remember in ``session`` (a fresh one) which case it may show, until when."""
    now = now or timezone.now()
    until = now + datetime.timedelta(minutes=conf.setting("STATUS_SESSION_MINUTES"))
    session[SESSION_KEY] = {"case": complaint.pk, "token_hash": complaint.status_token_hash, "until": until.timestamp()}


def complaint_for_status_session(session, now=None):
    """The case this session was opened for, or None when it expired, or the link no longer works."""
    opened = session.get(SESSION_KEY)
    now = now or timezone.now()
    if not isinstance(opened, dict) or now.timestamp() > opened.get("until", 0):
        return None
    complaint = (
        Complaint.objects.select_related("municipality")
        .filter(pk=opened.get("case"), status_token_hash=opened.get("token_hash"))
        .first()
    )
    if complaint is None or not link_still_works(complaint, now):
        return None
    return complaint


def link_still_works(complaint, now):
    return not (complaint.closed_at and now > complaint.closed_at + VALID_AFTER_CLOSING)


def complaint_for_status_token(token, now=None):
    """The case the token opens, or None (unknown, malformed and expired alike)."""
    if not token or len(token) > 100:
        return None
    complaint = (
        Complaint.objects.select_related("municipality").filter(status_token_hash=hash_status_token(token)).first()
    )
    if complaint is None or not link_still_works(complaint, now or timezone.now()):
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
