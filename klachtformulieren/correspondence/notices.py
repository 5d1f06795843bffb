"""Word to whoever must act: the handler a case is given to, and the parties invited to the
hearing. Both go through the outbox, written in the transaction of the step that causes them."""

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import override
from wagtail.admin.utils import get_user_display_name

from klachtformulieren.correspondence import calendar
from klachtformulieren.correspondence.letters import (
    letter_values,
    person_complained_about_name,
    to_complainant,
    to_person_complained_about,
)
from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.correspondence.texts import absolute_case_link, case_values
from klachtformulieren.models import Notification


def notify_assigned_handler(complaint, user, *, base_url=None):
    """Awb 9:7: the handler who gets the case hears of it, with a link to the case file. Not
    when they gave it to themselves, nor when their account has no email address."""
    handler = complaint.handler
    if handler is None or not handler.email or (user is not None and handler.pk == user.pk):
        return None
    with override(settings.LANGUAGE_CODE):
        values = {
            **case_values(complaint, admin_link=absolute_case_link(complaint, base_url)),
            "handler_name": get_user_display_name(handler),
        }
    return queue_notification(
        complaint, Notification.Kind.HANDLER_ASSIGNED, recipient=handler.email, values=values, created_by=user
    )


def notify_incoming_mail(complaint, message):
    """A reply that lands on a case by itself (the worker threaded it) is news for whoever acts
    on the case: its handler, or the coordinators while it has none."""
    handler = complaint.handler
    recipient = handler.email if handler is not None and handler.email else complaint.municipality.coordinators_email
    if not recipient:
        return None
    with override(settings.LANGUAGE_CODE):
        values = {
            **case_values(complaint, admin_link=absolute_case_link(complaint)),
            "handler_name": get_user_display_name(handler) if handler is not None else "",
            "mail_sender": message.sender_name or message.sender_address,
            "mail_subject": message.subject,
        }
    return queue_notification(complaint, Notification.Kind.INCOMING_MAIL_NOTICE, recipient=recipient, values=values)


def hearing_values(complaint, user, *, addressee):
    with override(settings.LANGUAGE_CODE):
        start = timezone.localtime(complaint.hearing_planned_for)
        end = timezone.localtime(calendar.hearing_end(complaint))
        return {
            **letter_values(complaint, user, addressee=addressee),
            "hearing_at": f"{formats.date_format(start, 'l j F Y')}, "
            f"{formats.time_format(start, 'H:i')} - {formats.time_format(end, 'H:i')}",
            "hearing_place": calendar.hearing_place(complaint),
            "hearing_attendees": complaint.hearing_attendees,
        }


def send_hearing_invitations(complaint, user):
    """Awb 9:10: the complainant and the person complained about are invited to be heard, each
    with the appointment as an .ics attached to the mail (by post: the letter alone). Returns
    the invitations queued."""
    invitations = [
        to_complainant(
            complaint,
            Notification.Kind.HEARING_INVITATION,
            user,
            hearing_values(complaint, user, addressee=complaint.name),
            draft=False,
        )
    ]
    person = person_complained_about_name(complaint)
    if person:
        invitations.append(
            to_person_complained_about(
                complaint,
                Notification.Kind.HEARING_INVITATION,
                user,
                hearing_values(complaint, user, addressee=person),
                draft=False,
            )
        )
    return invitations
