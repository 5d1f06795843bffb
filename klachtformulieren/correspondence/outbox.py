"""Mails through the outbox: each is written as a record in the transaction of the change
that causes it, and handed to the task worker once that transaction commits (see ``delivery``).
No web request talks to the mail server."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from klachtformulieren.correspondence import delivery
from klachtformulieren.correspondence.tasks import enqueue_delivery
from klachtformulieren.correspondence.texts import render_body, render_text, template_for
from klachtformulieren.models import Notification


def queue_notification(
    complaint,
    kind,
    *,
    recipient,
    values,
    medium=Notification.Medium.EMAIL,
    created_by=None,
    held_because="",
    draft=False,
):
    """Write the outbox record now; deliver it once the surrounding transaction commits.

    A record with medium POST is never mailed: it is the letter staff print and post. With
    ``held_because`` the mail is not sent but shown to the coordinators as not sent, with that
    reason, for them to send again or by post. A ``draft`` (a step's letter) waits until it is
    checked and sent off (``letters.send_off``).
    """
    now = timezone.now()
    with override(settings.LANGUAGE_CODE):
        subject_template, body_template = template_for(kind, complaint.municipality if complaint else None)
        # Placeholders in a header are one line each: a name with CR/LF cannot end the header.
        subject_values = {key: delivery.one_line(value) for key, value in values.items()}
        notification = Notification.objects.create(
            complaint=complaint,
            kind=kind,
            medium=medium,
            recipient=recipient,
            created_by=created_by,
            subject=delivery.one_line(render_text(subject_template, subject_values))[:255],
            body=render_body(body_template, values),
            give_up_at=delivery.give_up_at(now),
            state=_first_state(held_because, draft),
            last_error=held_because,
        )
    if medium == Notification.Medium.EMAIL and not held_because and not draft:
        deliver_after_commit(notification)
    return notification


def _first_state(held_because, draft):
    if draft:
        return Notification.State.DRAFT
    return Notification.State.FAILED if held_because else Notification.State.PENDING


def deliver_after_commit(notification):
    """Have the worker deliver this mail once the surrounding transaction commits."""
    transaction.on_commit(lambda: enqueue_delivery(notification.pk))


def send_again(notification, user):
    """A coordinator's "send again" for a mail that was not sent: tried at once, and then as any mail."""
    if not delivery.resend(notification, user):
        return False
    transaction.on_commit(lambda: enqueue_delivery(notification.pk))
    return True
