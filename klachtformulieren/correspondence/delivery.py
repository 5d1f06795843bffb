"""Delivering the outbox's mails: every mail ends sent or failed, none is sent by two workers.

A mail's life: ``pending`` -> ``sending`` (claimed by one worker) -> ``sent``; or back to
``pending`` with a later ``next_attempt_at`` after a temporary failure (the server is down,
a 4xx answer), until ``give_up_at`` (``DELIVERY_RETRY_HOURS`` after it was queued); or
``failed`` at once after a permanent one (a 5xx refusal of the address or the message, a
message that cannot be built). Failed mails show to the coordinators, who send them again or
by post (``resend``, ``mark_sent_by_post``).

What is exactly-once and what is at-least-once: a mail is claimed and marked sent in two
short transactions around the SMTP conversation, and marked sent as soon as the server has
accepted it (before QUIT). If a worker dies between the server's acceptance and that mark,
the claim goes stale and the mail is sent again (``release_stale_claims``), with the same
Message-ID, so mail software and the complainant can recognise the copy. Everything else is
exactly once.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtformulieren import conf
from klachtformulieren.correspondence import attachments
from klachtformulieren.models import Notification

logger = logging.getLogger(__name__)

# A claim this old belongs to a worker that died mid-conversation (the SMTP timeout is seconds).
STALE_CLAIM = timedelta(minutes=15)

SENT, RETRY, FAILED = "sent", "retry", "failed"


@dataclass(frozen=True)
class Attempt:
    """What one delivery attempt did: ``outcome`` is SENT, RETRY or FAILED."""

    outcome: str
    next_attempt_at: object = None


class PermanentFailure(Exception):
    """The mail can never go as it is: trying again would only fail again."""


def give_up_at(now):
    return now + timedelta(hours=conf.setting("DELIVERY_RETRY_HOURS"))


def due(now=None):
    """Mails to try now: pending, by email, and their retry time (if any) has come."""
    now = now or timezone.now()
    return Notification.objects.filter(state=Notification.State.PENDING, medium=Notification.Medium.EMAIL).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def one_line(value):
    """A header value without line breaks: a name with CR/LF must not end a header."""
    return " ".join(str(value).split())


def message_id_domain():
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rpartition("@")[2].strip("> ") or "localhost"


def _claim(notification_id, now):
    """Take one due mail for this worker, or None when it is not due or another worker has it."""
    with transaction.atomic():
        notification = due(now).select_for_update(skip_locked=True).filter(pk=notification_id).first()
        if notification is None:
            return None
        notification.state = Notification.State.SENDING
        notification.claimed_at = now
        notification.attempts += 1
        notification.last_attempt_at = now
        notification.message_id = notification.message_id or make_msgid(domain=message_id_domain())
        notification.save(update_fields=["state", "claimed_at", "attempts", "last_attempt_at", "message_id"])
    return notification


def _finish(notification, **changes):
    """Record the attempt's end, unless the claim was released meanwhile (then the row is not ours)."""
    Notification.objects.filter(
        pk=notification.pk, state=Notification.State.SENDING, claimed_at=notification.claimed_at
    ).update(claimed_at=None, **changes)


def tagged_subject(notification):
    """The subject with the case's reference in brackets, so a reply finds its case
    (``intake.inbound``) even when the mail client drops In-Reply-To."""
    subject = one_line(notification.subject)
    if notification.complaint_id is None:
        return subject
    tag = f"[{notification.complaint.reference}]"
    return subject if tag in subject else f"{subject} {tag}"


def email_message(notification, connection=None):
    if "\r" in notification.recipient or "\n" in notification.recipient or "@" not in notification.recipient:
        raise PermanentFailure(_("The address is not an email address."))
    headers = {"Message-ID": notification.message_id, "Auto-Submitted": "auto-generated"}
    return EmailMessage(
        subject=tagged_subject(notification),
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers=headers,
        connection=connection,
        # A letter goes with its PDF, a hearing invitation with its .ics.
        attachments=attachments.for_mail(notification, domain=message_id_domain()),
    )


def smtp_refusal(error):
    """The server's permanent (5xx) refusal of this mail, as text, or None when it may pass later.

    A refused sender or failed login is the site's configuration, not this mail: temporary,
    so the mail goes once the operator has fixed it.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            code, message = next(iter(error.recipients.values()))
            return f"{code} {_decoded(message)}"
        return None
    if (
        isinstance(error, smtplib.SMTPDataError | smtplib.SMTPNotSupportedError)
        and getattr(error, "smtp_code", 0) >= 500
    ):
        return f"{error.smtp_code} {_decoded(error.smtp_error)}"
    return None


def _decoded(message):
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def describe(error):
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {error.smtp_code} {_decoded(error.smtp_error)}"[:2000]
    return f"{type(error).__name__}: {error}"[:2000]


def deliver(notification_id, now=None):
    """Try one mail if it is due and no other worker has it. Returns an Attempt, or None."""
    now = now or timezone.now()
    notification = _claim(notification_id, now)
    if notification is None:
        return None
    connection = get_connection(fail_silently=False)
    try:
        message = email_message(notification, connection)
        connection.open()
        connection.send_messages([message])
    except (PermanentFailure, BadHeaderError, ValueError) as error:  # ValueError: a bad address, UnicodeError
        return _fail(notification, str(error) or type(error).__name__)
    except Exception as error:  # any transport failure: the mail may pass later
        refusal = smtp_refusal(error)
        if refusal:
            return _fail(notification, refusal)
        return _retry(notification, describe(error), now)
    else:
        # Sent once the server accepted it; the QUIT below may still hang or fail.
        _finish(notification, state=Notification.State.SENT, sent_at=timezone.now(), last_error="")
        return Attempt(SENT)
    finally:
        _close(connection)


def _close(connection):
    try:
        connection.close()
    except Exception:  # a server that hangs up rudely after accepting the mail changes nothing
        logger.info("Closing the mail connection failed", exc_info=True)


def _retry(notification, error, now):
    # The pause after the 1st, 2nd, ... failure; the last one repeats. The worker's housekeeping
    # (every few minutes) makes the tries that are due.
    pauses = conf.setting("DELIVERY_RETRY_MINUTES")
    next_attempt_at = now + timedelta(minutes=pauses[min(notification.attempts, len(pauses)) - 1])
    deadline = notification.give_up_at or give_up_at(notification.created_at)
    if next_attempt_at > deadline:
        reason = _("Still not delivered after %(hours)d hours: %(error)s") % {
            "hours": conf.setting("DELIVERY_RETRY_HOURS"),
            "error": error,
        }
        return _fail(notification, reason)
    logger.warning(
        "Delivery of notification %s failed (attempt %s), next try at %s: %s",
        notification.pk,
        notification.attempts,
        next_attempt_at.isoformat(),
        error.split(":")[0],
    )
    _finish(notification, state=Notification.State.PENDING, next_attempt_at=next_attempt_at, last_error=error)
    return Attempt(RETRY, next_attempt_at)


def _fail(notification, reason):
    # The reason may name the address; the log gets the record and the kind of failure only.
    logger.error("Notification %s not delivered, given up: %s", notification.pk, reason.split(" ")[0])
    _finish(notification, state=Notification.State.FAILED, next_attempt_at=None, last_error=reason[:2000])
    return Attempt(FAILED)


def release_stale_claims(now=None):
    """Mails claimed by a worker that died mid-send go back to pending (sent at least once)."""
    now = now or timezone.now()
    return Notification.objects.filter(state=Notification.State.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        state=Notification.State.PENDING, claimed_at=None, next_attempt_at=now
    )


@dataclass
class DeliveryRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(now=None):
    """Try every mail that is due once (the periodic job and ``deliver_notifications``)."""
    now = now or timezone.now()
    release_stale_claims(now)
    run = DeliveryRun()
    for pk in due(now).order_by("created_at", "pk").values_list("pk", flat=True):
        attempt = deliver(pk, now)
        if attempt is None:
            continue
        if attempt.outcome == SENT:
            run.sent += 1
        elif attempt.outcome == RETRY:
            run.retrying += 1
        else:
            run.failed += 1
    return run


def resend(notification, user, now=None):
    """A coordinator's "send again" for a mail that was not sent: a fresh series of tries."""
    now = now or timezone.now()
    updated = Notification.objects.filter(pk=notification.pk, state=Notification.State.FAILED).update(
        state=Notification.State.PENDING,
        medium=Notification.Medium.EMAIL,
        next_attempt_at=None,
        give_up_at=give_up_at(now),
        last_error="",
    )
    if updated:
        logger.info("User %s asked to send notification %s again", user.pk, notification.pk)
    return bool(updated)


def mark_sent_by_post(notification, user, now=None, *, posted_on=None):
    """A letter (a mail that was not sent, or a letter by post) is printed and posted on
    ``posted_on`` (default today): from then it counts as sent."""
    now = now or timezone.now()
    posted_on = posted_on or timezone.localdate(now)
    updated = (
        Notification.objects.filter(pk=notification.pk)
        .filter(
            Q(state=Notification.State.FAILED) | Q(state=Notification.State.PENDING, medium=Notification.Medium.POST)
        )
        .update(
            state=Notification.State.SENT,
            medium=Notification.Medium.POST,
            sent_at=now,
            posted_on=posted_on,
            posted_by=user,
            dispatched_at=Coalesce("dispatched_at", Value(now)),
            next_attempt_at=None,
        )
    )
    if updated:
        logger.info("User %s marked notification %s as sent by post", user.pk, notification.pk)
    return bool(updated)
