"""Daily deadline reminders: a mail to whoever must act on an open case close to its decision date.

Awb 9:11 gives 6 weeks (10 with an advisory committee, plus a postponement) to decide. Every
working day, ``manage.py send_deadline_reminders`` mails the handler of each open case that is
due within a few working days or already overdue; a case without a handler goes to the
municipality's coordinators. One case gets at most one reminder per calendar day, however often
the command runs.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.admin.utils import get_user_display_name

from klachtformulieren.cases import deadlines
from klachtformulieren.cases.case_file import days_left_text
from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.correspondence.texts import absolute_case_link
from klachtformulieren.models import Complaint, Notification

DEFAULT_WITHIN_WORKING_DAYS = 3


@dataclass
class ReminderRun:
    """What one run did: the reminders it queued and the cases it could not mail about."""

    queued: list[Notification] = field(default_factory=list)
    already_reminded: list[Complaint] = field(default_factory=list)
    without_address: list[Complaint] = field(default_factory=list)


def cases_needing_reminder(today: date, within_working_days: int = DEFAULT_WITHIN_WORKING_DAYS):
    """Open cases whose decision is due within ``within_working_days`` working days, or overdue."""
    horizon = deadlines.add_working_days(today, within_working_days)
    return (
        Complaint.objects.open()
        .filter(decision_due_on__lte=horizon)
        .select_related("handler", "municipality")
        .order_by("decision_due_on", "received_at", "pk")
    )


def reminder_recipient(complaint):
    """The handler's address; the coordinators' when nobody handles the case yet ("" when none)."""
    if complaint.handler_id is not None:
        return complaint.handler.email
    return complaint.municipality.coordinators_email


def reminder_values(complaint, today, *, base_url=""):
    with override(settings.LANGUAGE_CODE):
        if complaint.handler_id is not None:
            handler_name = get_user_display_name(complaint.handler)
        else:
            handler_name = _("complaint coordinators")
        return {
            "reference": complaint.reference,
            "municipality": complaint.municipality.name,
            "decision_due": formats.date_format(complaint.decision_due_on, "l j F Y"),
            # A phrase ("3 days left", "Overdue by 2 days"), so an overdue case never reads "-2".
            "days_left": days_left_text(complaint.days_left(today)),
            "admin_link": absolute_case_link(complaint, base_url),
            "handler_name": handler_name,
        }


def _reminded_today(complaint, sent_on):
    return Notification.objects.filter(
        complaint=complaint, kind=Notification.Kind.DEADLINE_REMINDER, created_at__date=sent_on
    ).exists()


def send_deadline_reminders(today=None, *, within=DEFAULT_WITHIN_WORKING_DAYS, base_url=""):
    """Queue one reminder per case that needs one; returns a ``ReminderRun``.

    ``today`` picks the cases (handy for tests and for catching up a missed day). The "once a
    day" rule looks at the day the mail is actually queued, so catching up never sends a handler
    a second reminder about the same case on the same day.
    """
    sent_on = timezone.localdate()
    today = today or sent_on
    run = ReminderRun()
    for complaint in cases_needing_reminder(today, within):
        recipient = reminder_recipient(complaint)
        if not recipient:
            run.without_address.append(complaint)
            continue
        with transaction.atomic():
            # Lock the case, so two runs at the same moment cannot both decide it is not reminded yet.
            Complaint.objects.select_for_update().only("pk").get(pk=complaint.pk)
            if _reminded_today(complaint, sent_on):
                run.already_reminded.append(complaint)
                continue
            run.queued.append(
                queue_notification(
                    complaint,
                    Notification.Kind.DEADLINE_REMINDER,
                    recipient=recipient,
                    values=reminder_values(complaint, today, base_url=base_url),
                )
            )
    return run
