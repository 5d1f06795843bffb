"""Mails through the outbox: each is written as a record in the transaction of the change
that causes it, and delivered once that transaction commits (see ``delivery``)."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import override

from klachtformulieren.correspondence.tasks import deliver_notification_task
from klachtformulieren.correspondence.texts import render_text, template_for
from klachtformulieren.models import Notification


def queue_notification(complaint, kind, *, recipient, values, medium=Notification.Medium.EMAIL, created_by=None):
    """Write the outbox record now; deliver it once the surrounding transaction commits.

    A record with medium POST is never mailed: it is the letter staff print and post.
    """
    with override(settings.LANGUAGE_CODE):
        subject_template, body_template = template_for(kind)
        notification = Notification.objects.create(
            complaint=complaint,
            kind=kind,
            medium=medium,
            recipient=recipient,
            created_by=created_by,
            subject=render_text(subject_template, values)[:255],
            body=render_text(body_template, values),
        )
    if medium == Notification.Medium.EMAIL:
        transaction.on_commit(lambda: deliver_notification_task.enqueue(notification.pk))
    return notification
