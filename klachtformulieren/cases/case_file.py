"""The case file as coordinators read it: the terms, and one timeline of everything that happened.

The timeline merges the change history (django-simple-history: who changed what, when, and
the step and the reason the workflow recorded), contact moments, mails and letters, uploaded
attachments and the ombudsman's requests, newest first. It reads a fixed number of queries
per case, whatever its length.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachtformulieren.cases import deadlines
from klachtformulieren.cases.steps import STEPS
from klachtformulieren.models import Complaint, Notification, Status

# Fields whose change the timeline does not spell out (bookkeeping, or computed from others).
QUIET_FIELDS = {"updated_at", "first_contact_due_on", "decision_due_on"}


def days_left_text(days_left):
    """The days until the decision is due, in words; an overdue case says so in the text itself."""
    if days_left is None:
        return ""
    if days_left < 0:
        return ngettext("Overdue by %(count)d day", "Overdue by %(count)d days", -days_left) % {"count": -days_left}
    if days_left == 0:
        return str(_("Due today"))
    return ngettext("%(count)d day left", "%(count)d days left", days_left) % {"count": days_left}


@dataclass
class Term:
    label: str
    due: date
    met_on: date | None = None
    applies: bool = True

    def days_left(self, today):
        return (self.due - today).days

    def state(self, today):
        """'met', 'late' (met after the term), 'overdue', 'due_soon' (within ``DUE_SOON_DAYS``) or 'running'."""
        if self.met_on is not None:
            return "met" if self.met_on <= self.due else "late"
        left = self.days_left(today)
        if left < 0:
            return "overdue"
        return "due_soon" if left <= deadlines.DUE_SOON_DAYS else "running"


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # history, contact, mail, attachment, ombudsman
    title: str
    user: object = None
    text: str = ""
    details: list = field(default_factory=list)
    url: str = ""
    # A mail that was not sent: the case file offers "send again" and "send by post" for it.
    undelivered_id: int | None = None


def notice_sent_on(notice):
    """The day a letter went out: posted, or sent off by mail; None while it is a draft, waits
    to be posted, or was not delivered."""
    if notice is None or notice.state in (Notification.State.DRAFT, Notification.State.FAILED):
        return None
    if notice.posted_on:
        return notice.posted_on
    if notice.medium == Notification.Medium.POST:
        return None  # sent off to be printed, not posted yet
    moment = notice.dispatched_at or notice.sent_at or notice.created_at
    return timezone.localdate(moment)


def step_letter(complaint, kind):
    """The case's letter of ``kind`` that counts for its term: the first one that went out, or
    else its draft; None when the case has none (a past registration)."""
    letters = complaint.notifications.filter(kind=kind).order_by("created_at")
    return letters.exclude(state=Notification.State.DRAFT).first() or letters.first()


def terms(complaint):
    """The terms that run on this case, each with when it was met, if it was."""
    result = [
        Term(
            _("First contact (5 working days)"),
            complaint.first_contact_due(),
            met_on=timezone.localdate(complaint.first_contact_at) if complaint.first_contact_at else None,
        )
    ]
    if complaint.status == Status.NOT_HANDLED:
        # Met when the notice went out (sent off, or posted), not when its draft was written.
        result.append(
            Term(
                _("Notice not taken into handling (Awb 9:8, 4 weeks)"),
                deadlines.not_handled_notice_due(complaint.received_on),
                met_on=notice_sent_on(step_letter(complaint, Notification.Kind.NOT_HANDLED_NOTICE)),
            )
        )
    else:
        settled = complaint.decided_at or complaint.closed_at
        label = (
            _("Decision (Awb 9:11, 10 weeks with an advisory committee)")
            if complaint.advisory_committee
            else _("Decision (Awb 9:11, 6 weeks)")
        )
        if complaint.postponed_weeks:
            label = ngettext(
                "%(label)s, postponed by %(weeks)d week",
                "%(label)s, postponed by %(weeks)d weeks",
                complaint.postponed_weeks,
            ) % {"label": label, "weeks": complaint.postponed_weeks}
        met_on = timezone.localdate(settled) if settled else None
        if complaint.decided_at:
            # Handled (Awb 9:11) once the complainant is told in writing (9:12): the day the
            # decision letter went out. A case decided without one (a past registration) keeps
            # its decision date.
            letter = step_letter(complaint, Notification.Kind.DECISION)
            if letter is not None:
                met_on = notice_sent_on(letter)
        result.append(Term(label, complaint.decision_due(), met_on=met_on))
    return result


def _changes(record, previous):
    if previous is None:
        return []
    delta = record.diff_against(previous, excluded_fields=QUIET_FIELDS)
    labels = []
    for change in delta.changes:
        model_field = Complaint._meta.get_field(change.field)
        labels.append(str(model_field.verbose_name))
    return labels


def _history_title(record):
    if record.history_type == "+":
        return _("Complaint registered")
    step = STEPS.get(record.history_step)
    return step.done if step else _("Details changed")


def mail_state(notification):
    """Where a mail or letter stands, in a few words."""
    State, Medium = notification.State, notification.Medium
    if notification.state == State.DRAFT:
        return _("draft, not sent yet")
    if notification.state == State.SENT:
        return _("sent by post") if notification.medium == Medium.POST else _("sent")
    if notification.state == State.FAILED:
        return _("not sent")
    if notification.medium == Medium.POST:
        return _("to print and post")
    return _("waiting to be sent")


def _mail_entry(notification, letter_url):
    failed = notification.state == notification.State.FAILED
    text = _("To %(recipient)s (%(medium)s), %(state)s") % {
        "recipient": notification.recipient or _("the complainant's postal address"),
        "medium": notification.get_medium_display().lower(),
        "state": mail_state(notification),
    }
    if failed and notification.last_error:
        text = f"{text}\n{_('Reason: %(reason)s') % {'reason': notification.last_error}}"
    title = notification.get_kind_display()
    return TimelineEntry(
        at=notification.created_at,
        kind="mail",
        title=_("%(kind)s not sent") % {"kind": title} if failed else title,
        user=notification.created_by,
        text=text,
        url=letter_url(notification) if letter_url else "",
        undelivered_id=notification.pk if failed else None,
    )


def _letter_entries(notification, letter_url):
    """A step's letter's way after its draft: approved (four eyes), sent off, posted."""
    kind = notification.get_kind_display()
    url = letter_url(notification) if letter_url else ""
    entries = []
    if notification.approved_at:
        entries.append(
            TimelineEntry(
                at=notification.approved_at,
                kind="mail",
                title=_("%(kind)s approved") % {"kind": kind},
                user=notification.approved_by,
                url=url,
            )
        )
    if notification.dispatched_at and notification.dispatched_by_id:
        entries.append(
            TimelineEntry(
                at=notification.dispatched_at,
                kind="mail",
                title=_("%(kind)s sent off") % {"kind": kind},
                user=notification.dispatched_by,
                url=url,
            )
        )
    if notification.posted_on:
        posted_at = timezone.make_aware(datetime.combine(notification.posted_on, datetime.max.time()))
        entries.append(
            TimelineEntry(
                at=min(posted_at, notification.sent_at or posted_at),
                kind="mail",
                title=_("%(kind)s posted") % {"kind": kind},
                user=notification.posted_by,
                text=_("Posted on %(day)s") % {"day": formats.date_format(notification.posted_on, "j F Y")},
                url=url,
            )
        )
    return entries


def timeline(complaint, *, letter_url=None, attachment_url=None):
    """Everything that happened to the case, newest first.

    ``letter_url(notification)`` and ``attachment_url(attachment)`` give links for the
    entries; the admin passes them, so this module knows no URLs.
    """
    entries = []
    records = list(complaint.history.select_related("history_user").order_by("history_date", "history_id"))
    previous = None
    for record in records:
        title = _history_title(record)
        if record.history_type == "+" and record.channel:
            # The channel by its Dutch name, never its code ("phone").
            title = _("%(title)s (%(channel)s)") % {"title": title, "channel": record.get_channel_display().lower()}
        entries.append(
            TimelineEntry(
                at=record.history_date,
                kind="history",
                title=title,
                user=record.history_user,
                text=record.history_change_reason or "",
                details=_changes(record, previous),
            )
        )
        previous = record
    for contact in complaint.contact_moments.select_related("by"):
        entries.append(
            TimelineEntry(
                at=contact.at,
                kind="contact",
                title=_("%(kind)s with %(whom)s") % {"kind": contact.get_kind_display(), "whom": contact.with_whom},
                user=contact.by,
                text=contact.summary,
            )
        )
    for notification in complaint.notifications.select_related(
        "created_by", "approved_by", "dispatched_by", "posted_by"
    ):
        entries.append(_mail_entry(notification, letter_url))
        entries.extend(_letter_entries(notification, letter_url))
    for attachment in complaint.attachments.all():
        entries.append(
            TimelineEntry(
                at=attachment.created_at,
                kind="attachment",
                title=_("Attachment added"),
                text=attachment.name,
                url=attachment_url(attachment) if attachment_url else "",
            )
        )
    for request in complaint.ombudsman_requests.all():
        entries.append(
            TimelineEntry(
                at=timezone.make_aware(datetime.combine(request.received_on, datetime.min.time())),
                kind="ombudsman",
                title=_("Request from the %(ombudsman)s") % {"ombudsman": request.get_ombudsman_display()},
                text=f"{request.get_result_display()}: {request.subject}",
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries
