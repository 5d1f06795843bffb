""" "Mijn klachten": a citizen asks for a link by email and sees all their complaints on one page.

No account: the link is the proof that the address is theirs. It carries a random token of 256
bits (only its hash is kept), works for ``LINK_HOURS`` hours and once, and is exchanged for a
short session as the status link is. Whether the address is known is never told: the page says
the same, and the work done for a known and an unknown address is the same but for the mail,
which the worker sends after the answer.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from klachtformulieren import conf
from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.intake.status import hash_status_token
from klachtformulieren.models import Complaint, MyComplaintsLink, Notification

LINK_HOURS = 2
LINKS_PER_ADDRESS_PER_HOUR = 3  # more is someone filling a stranger's mailbox
LISTED_YEARS = 2
SESSION_KEY = "klachtformulieren_my_complaints"


def complaints_of(email, now=None):
    """The complaints filed from this address in the last two years, newest first."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=365 * LISTED_YEARS + 1)
    return (
        Complaint.objects.select_related("municipality")
        .filter(email__iexact=email.strip(), received_at__gte=since, destroyed_at__isnull=True)
        .order_by("-received_at")
    )


def request_link(email, *, link_for, now=None):
    """Mail a sign-in link to ``email`` if it filed complaints; say nothing either way."""
    now = now or timezone.now()
    email = email.strip()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # Written for an unknown address too (it can never be used: no complaints behind it), so
        # both take the same time.
        MyComplaintsLink.objects.create(token_hash=hash_status_token(token), email=email, created_at=now)
        latest = complaints_of(email, now).first()
        asked_lately = MyComplaintsLink.objects.filter(
            email__iexact=email, created_at__gt=now - datetime.timedelta(hours=1)
        ).count()
        if latest is not None and asked_lately <= LINKS_PER_ADDRESS_PER_HOUR:
            queue_notification(
                None,
                Notification.Kind.MY_COMPLAINTS_LINK,
                recipient=email,
                values={"link": link_for(token), "hours": LINK_HOURS, "municipality": latest.municipality.name},
            )


def use_link(token, now=None):
    """The address behind a link that is still valid, using it up; None otherwise."""
    now = now or timezone.now()
    valid_since = now - datetime.timedelta(hours=LINK_HOURS)
    used = MyComplaintsLink.objects.filter(
        token_hash=hash_status_token(token), used_at__isnull=True, created_at__gt=valid_since
    ).update(used_at=now)
    if not used:
        return None
    return MyComplaintsLink.objects.get(token_hash=hash_status_token(token)).email


def open_session(session, email, now=None):
    now = now or timezone.now()
    until = now + datetime.timedelta(minutes=conf.setting("STATUS_SESSION_MINUTES"))
    session[SESSION_KEY] = {"email": email, "until": until.timestamp()}


def email_of_session(session, now=None):
    """The address this browser signed in with, while its session lasts; "" otherwise."""
    now = now or timezone.now()
    opened = session.get(SESSION_KEY) or {}
    if not opened or opened.get("until", 0) < now.timestamp():
        return ""
    return opened.get("email", "")
