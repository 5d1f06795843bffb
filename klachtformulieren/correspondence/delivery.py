"""Delivering the outbox's mails, each exactly once."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from klachtformulieren.models import Notification

logger = logging.getLogger(__name__)


def deliver(notification_id):
    """Send one pending mail. Returns True when it was sent now.

    The row stays locked while sending, so two workers never send the same mail; once
    marked sent it is never sent again.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, state=Notification.State.PENDING, medium=Notification.Medium.EMAIL)
            .first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        notification.last_attempt_at = timezone.now()
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient],
        )
        try:
            message.send(fail_silently=False)
        except Exception as error:  # any transport failure: keep the mail and its error for a retry
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            notification.save(update_fields=["attempts", "last_attempt_at", "last_error"])
            logger.warning("Delivery of notification %s failed: %s", notification.pk, notification.last_error)
            return False
        notification.state = Notification.State.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "last_attempt_at", "last_error", "state", "sent_at"])
        return True


def deliver_pending():
    """Try every pending mail once; returns (sent, still pending)."""
    pending_ids = list(
        Notification.objects.filter(state=Notification.State.PENDING, medium=Notification.Medium.EMAIL)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    sent = sum(1 for pk in pending_ids if deliver(pk))
    return sent, len(pending_ids) - sent
