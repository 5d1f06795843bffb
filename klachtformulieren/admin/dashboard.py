"""The case panels on the Wagtail dashboard (the admin home): what needs attention today.

Each panel is a Wagtail component added through the ``construct_homepage_panels`` hook. Every
panel shows only the cases ``access.visible_complaints`` allows the user, at most
``ROWS_PER_PANEL`` of them with the total count, in one query per panel however many cases
there are. The terms themselves (decision due, first contact due) are stored on the case by
deadlines.py; the panels only compare them with today.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Q, QuerySet, Window
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from klachtformulieren.cases import access
from klachtformulieren.cases.case_file import days_left_text
from klachtformulieren.cases.links import case_index_url, case_inspect_url
from klachtformulieren.models import Complaint, ComplaintAttachment, Notification, Status

ROWS_PER_PANEL = 10


@dataclass(frozen=True)
class CaseRow:
    complaint: Complaint
    url: str
    days_left: int | None
    days_left_text: str

    @property
    def overdue(self):
        return self.days_left is not None and self.days_left < 0


class CasePanel(Component):
    """A table of open cases; a subclass says which ones (``select``) and in what order."""

    template_name = "klachtformulieren/admin/dashboard/case_panel.html"
    name = ""
    heading = ""
    empty_text = ""
    order = 100
    show_first_contact_due = False

    def __init__(self, user, today):
        self.user = user
        self.today = today

    def select(self, cases: QuerySet) -> QuerySet:
        raise NotImplementedError

    def list_query(self):
        """The case list's filter showing this panel's cases (see wagtail_hooks.py)."""
        return ""

    def list_url(self):
        index = case_index_url()
        query = self.list_query()
        return f"{index}?{query}" if index and query else index

    def cases(self):
        return self.select(access.visible_complaints(self.user)).select_related("kind", "handler")

    def get_context_data(self, parent_context=None):
        # The total rides along on every row (a window count), so a panel costs one query.
        complaints = list(self.cases().annotate(total=Window(Count("pk")))[:ROWS_PER_PANEL])
        total = complaints[0].total if complaints else 0
        rows = [
            CaseRow(
                complaint=complaint,
                url=case_inspect_url(complaint.pk),
                days_left=complaint.days_left(self.today),
                days_left_text=days_left_text(complaint.days_left(self.today)),
            )
            for complaint in complaints
        ]
        return {
            "panel_id": f"klachten-{self.name}",
            "heading": self.heading,
            "empty_text": self.empty_text,
            "caption": self.caption(len(rows), total),
            "rows": rows,
            "total": total,
            "show_first_contact_due": self.show_first_contact_due,
            "index_url": self.list_url(),
        }

    def caption(self, shown, total):
        if shown < total:
            return ngettext(
                "%(heading)s: the first %(shown)d of %(total)d case",
                "%(heading)s: the first %(shown)d of %(total)d cases",
                total,
            ) % {"heading": self.heading, "shown": shown, "total": total}
        return ngettext("%(heading)s: %(total)d case", "%(heading)s: %(total)d cases", total) % {
            "heading": self.heading,
            "total": total,
        }


class MyOpenCasesPanel(CasePanel):
    name = "my-open-cases"
    heading = _("My open cases by deadline")
    empty_text = _("No open cases are assigned to you.")
    order = 100

    def list_query(self):
        return f"behandelaar={self.user.pk}"

    def select(self, cases):
        return cases.open().filter(handler=self.user).order_by("decision_due_on", "received_at", "pk")


class OverduePanel(CasePanel):
    """Open cases past their decision term (Awb 9:11), the longest overdue first."""

    name = "overdue"
    heading = _("Overdue")
    empty_text = _("No open case is past its decision date.")
    order = 110

    def list_query(self):
        return "termijn=verlopen"

    def select(self, cases):
        return cases.overdue(self.today).order_by("decision_due_on", "received_at", "pk")


class DueSoonPanel(CasePanel):
    name = "due-soon"
    heading = _("Due within 7 days")
    empty_text = _("No open case must be decided within the next 7 days.")
    order = 120

    def list_query(self):
        return "termijn=binnen7"

    def select(self, cases):
        return cases.due_soon(self.today).order_by("decision_due_on", "received_at", "pk")


class FirstContactOverduePanel(CasePanel):
    """The local service target: contact the complainant within 5 working days (DOMAIN.md)."""

    name = "first-contact-overdue"
    heading = _("First contact overdue")
    empty_text = _("Every complainant was contacted in time.")
    order = 130
    show_first_contact_due = True

    def list_query(self):
        return "termijn=eerstecontact"

    def select(self, cases):
        return cases.first_contact_overdue(self.today).order_by("first_contact_due_on", "received_at", "pk")


class NewAndUnassignedPanel(CasePanel):
    """Registered cases waiting for intake or a handler: the coordinator's queue."""

    name = "new-unassigned"
    heading = _("New and unassigned")
    empty_text = _("No new case is waiting for a handler.")
    order = 140

    def list_query(self):
        return "behandelaar=geen"

    def select(self, cases):
        return cases.filter(status__in=[Status.RECEIVED, Status.INTAKE], handler__isnull=True).order_by(
            "received_at", "pk"
        )


class AttentionPanel(Component):
    """A panel of what needs someone's attention, shown only when there is something: the
    first ROWS_PER_PANEL rows of ``items()`` (annotated with ``total``, the count of all)."""

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        self.rows = list(self.items()[:ROWS_PER_PANEL])
        return super().render_html(parent_context) if self.rows else ""

    def get_context_data(self, parent_context=None):
        total = self.rows[0].total if self.rows else 0
        return {"rows": [(row, self.url(row)) for row in self.rows], "total": total, "caption": self.caption(total)}


class UndeliveredMailPanel(AttentionPanel):
    """Mails that were not sent (refused for good, or still not delivered after the retries):
    until someone sends them again or by post, the complainant may not have heard from us."""

    template_name = "klachtformulieren/admin/dashboard/undelivered_panel.html"
    order = 50  # above the case panels: a complainant is waiting for this

    def items(self):
        return (
            Notification.objects.filter(
                state=Notification.State.FAILED, complaint__in=access.visible_complaints(self.user)
            )
            .select_related("complaint")
            .order_by("-created_at", "-pk")
            .annotate(total=Window(Count("pk")))
        )

    def url(self, notification):
        return case_inspect_url(notification.complaint_id)

    def caption(self, total):
        return ngettext("%(total)d mail was not sent", "%(total)d mails were not sent", total) % {"total": total}


class QuarantinedAttachmentsPanel(AttentionPanel):
    """Cases with attachments in quarantine: the virus scanner could not be reached when they
    came in, so nobody can open them until the task worker's rescan finds them clean
    (``worker.jobs.rescan_quarantined_attachments``). If the list does not empty itself, the
    scanner is still down: the coordinators ask the application administrator."""

    template_name = "klachtformulieren/admin/dashboard/quarantine_panel.html"
    order = 60  # under the mails not sent, above the case panels

    def items(self):
        in_quarantine = Q(attachments__scan=ComplaintAttachment.Scan.QUARANTINED)
        return (
            access.visible_complaints(self.user)
            .filter(in_quarantine)
            .annotate(
                quarantined=Count("attachments", filter=in_quarantine),
                quarantined_since=Min("attachments__created_at", filter=in_quarantine),
            )
            .order_by("quarantined_since", "pk")
            .annotate(total=Window(Count("pk")))
        )

    def url(self, complaint):
        return case_inspect_url(complaint.pk)

    def caption(self, total):
        return ngettext(
            "%(total)d case has attachments not yet checked for viruses",
            "%(total)d cases have attachments not yet checked for viruses",
            total,
        ) % {"total": total}


def panels_for(user, today: date):
    """Everything this user's dashboard shows of the cases: mails not sent, attachments in
    quarantine, then the case panels."""
    if not access.has_case_access(user):
        return []
    return [UndeliveredMailPanel(user), QuarantinedAttachmentsPanel(user), *case_panels_for(user, today)]


def case_panels_for(user, today: date):
    """The case panels this user sees: none without case access; the queue only for coordinators."""
    if not access.has_case_access(user):
        return []
    panels = [
        MyOpenCasesPanel(user, today),
        OverduePanel(user, today),
        DueSoonPanel(user, today),
        FirstContactOverduePanel(user, today),
    ]
    if access.is_coordinator(user):
        panels.append(NewAndUnassignedPanel(user, today))
    return panels
