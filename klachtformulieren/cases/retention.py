"""Retention by the selection list: when a case's personal data are destroyed, and how.

Selectielijst gemeenten en intergemeentelijke organen 2020, process type 13 "Geschillen
behandelen" (docs/privacy.md cites the classes), counted from the day the case was closed:

- 13.1 "Afgehandeld": a handled complaint (decided, settled informally, or referred
  elsewhere), ``Municipality.retention_years`` (5);
- 13.1.2 "Klacht afgehandeld via ombudsman": a case the ombudsman was asked about,
  ``retention_years_ombudsman`` (10);
- 13.1.4 "Niet ontvankelijk geschil": not taken into handling (Awb 9:8), and 13.2
  "Afgebroken": withdrawn, ``retention_years_not_handled`` (1).

13.1.3 (a complaint bearing on a case kept permanently: kept) is the legal hold's work:
``Complaint.retention_hold`` keeps a case whatever its date, with the reason.

Destroying keeps an anonymous remainder, so every annual report and figures page stays
exactly what it was: the reference, year, municipality, kind, unit, channel, partner,
handler, status, outcome, every date and term fact, the postponement's length, the apology,
and the municipality's own lessons and improvements (the annual report lists them; they are
written about the organisation, not about the complainant). Everything else that can name or
describe a person goes: in the case, in each of its history rows, in its mails and letters,
contact moments and ombudsman requests, its attachment files and rows, and the details
(address, search words) of its audit entries.
"""

import datetime
import functools
import logging
import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.models import ModelLogEntry

from klachtformulieren.models import (
    Complaint,
    ComplaintAttachment,
    ContactMoment,
    DestroyedCase,
    DestructionRecord,
    InboundAttachment,
    InboundMessage,
    Municipality,
    Notification,
    OmbudsmanRequest,
    Status,
    SubmissionReceipt,
)

logger = logging.getLogger(__name__)

HANDLED = "13.1"
VIA_OMBUDSMAN = "13.1.2"
NOT_HANDLED = "13.1.4"
ABORTED = "13.2"

# The case's fields that may name or describe a person, and what they become.
PERSONAL_FIELDS = {
    "name": "",
    "organisation_name": "",
    "postal_address": "",
    "email": "",
    "phone": "",
    "representative_name": "",
    "representative_relation": "",
    "description": "",
    "conduct_involved": "",
    "desired_outcome": "",
    "extra_answers": [],
    "person_complained_about": "",
    "person_complained_about_user": None,
    "referred_to": "",
    "hearing_location": "",
    "hearing_video_link": "",
    "hearing_attendees": "",
    "hearing_waived_reason": "",
    "hearing_report": "",
    "awaiting_complainant_for": "",
    "postponement_reason": "",
    "postponement_consent": "",
    "findings": "",
    "decision_reasons": "",
}
# Search words in the audit log may be a name: kept this long for a security investigation.
SEARCH_WORDS_KEPT = datetime.timedelta(days=365)


def _years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _asked_by_ombudsman(complaint):
    return OmbudsmanRequest.objects.filter(complaint=OuterRef("pk") if complaint is None else complaint)


def selection_class(complaint):
    """The class of the selection list the case falls under (see above). A case loaded by
    ``due_for_destruction`` knows already whether the ombudsman asked about it."""
    via_ombudsman = getattr(complaint, "via_ombudsman", None)
    if via_ombudsman is None:
        via_ombudsman = _asked_by_ombudsman(complaint).exists()
    if via_ombudsman:
        return VIA_OMBUDSMAN
    if complaint.status == Status.NOT_HANDLED:
        return NOT_HANDLED
    if complaint.status == Status.WITHDRAWN:
        return ABORTED
    return HANDLED


def retention_years(municipality, selection):
    if selection == VIA_OMBUDSMAN:
        return municipality.retention_years_ombudsman
    if selection in (NOT_HANDLED, ABORTED):
        return municipality.retention_years_not_handled
    return municipality.retention_years


def retention_until(complaint, selection=None):
    """The day from which the case's personal data are destroyed; None while it is not closed."""
    if complaint.closed_at is None:
        return None
    selection = selection or selection_class(complaint)
    years = retention_years(complaint.municipality, selection)
    return _years_after(timezone.localdate(complaint.closed_at), years)


def due_for_destruction(today):
    """[(complaint, class, retention date)] for every closed case past its date, not on hold."""
    due = []
    for municipality in Municipality.objects.all():
        shortest = min(
            municipality.retention_years,
            municipality.retention_years_ombudsman,
            municipality.retention_years_not_handled,
        )
        closed_before = timezone.make_aware(
            datetime.datetime.combine(_years_after(today, -shortest) + datetime.timedelta(days=1), datetime.time())
        )
        candidates = (
            Complaint.objects.filter(
                municipality=municipality, closed_at__lt=closed_before, destroyed_at=None, retention_hold=""
            )
            .select_related("municipality")
            .annotate(via_ombudsman=Exists(_asked_by_ombudsman(None)))  # one query, not one per case
            .order_by("closed_at", "pk")
        )
        for complaint in candidates.iterator(chunk_size=500):
            selection = selection_class(complaint)
            until = retention_until(complaint, selection)
            if until <= today:
                due.append((complaint, selection, until))
    return due


def _remove_file(storage, name):
    try:
        storage.delete(name)
    except OSError:
        # The row is gone; the orphan sweep only walks recent folders, so say it loudly.
        logger.error("Retention: an attachment file could not be removed; remove it by hand: %s", name)


def destroy(complaint, record, *, selection, until, now):
    """Destroy the personal data of one case (see above) and write it in ``record``."""
    for field, blank in PERSONAL_FIELDS.items():
        setattr(complaint, field, blank)
    # The status link stops working: a new secret nobody has.
    complaint.status_token_hash = secrets.token_hex(32)
    complaint.destroyed_at = now
    complaint.skip_history_when_saving = True  # the history rows are blanked below, not added to
    complaint.save()
    del complaint.skip_history_when_saving
    history_blanks = {field + ("_id" if blank is None else ""): blank for field, blank in PERSONAL_FIELDS.items()}
    complaint.history.model.objects.filter(id=complaint.pk).update(
        **history_blanks, history_change_reason="", retention_hold="", destroyed_at=now
    )
    letters = Notification.objects.filter(complaint=complaint)
    for name in letters.exclude(pdf="").values_list("pdf", flat=True):
        transaction.on_commit(functools.partial(_remove_file, Notification._meta.get_field("pdf").storage, name))
    letters.update(recipient="", subject="", body="", last_error="", pdf="")
    ContactMoment.objects.filter(complaint=complaint).update(with_whom="", summary="")
    requests = OmbudsmanRequest.objects.filter(complaint=complaint)
    OmbudsmanRequest.history.model.objects.filter(id__in=requests.values("pk")).update(subject="", notes="")
    requests.update(subject="", notes="")
    attachments = list(ComplaintAttachment.objects.filter(complaint=complaint))
    for attachment in attachments:
        if attachment.file.name:
            # One callback per file: a file that cannot be removed leaves the others removed.
            transaction.on_commit(functools.partial(_remove_file, attachment.file.storage, attachment.file.name))
    ComplaintAttachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    for receipt in SubmissionReceipt.objects.filter(complaint=complaint):
        if receipt.pdf.name:
            transaction.on_commit(functools.partial(_remove_file, receipt.pdf.storage, receipt.pdf.name))
        receipt.delete()
    _delete_inbound_mail(InboundMessage.objects.filter(complaint=complaint))
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id=str(complaint.pk)
    ).update(data={})
    DestroyedCase.objects.create(
        record=record,
        complaint=complaint,
        reference=complaint.reference,
        municipality=complaint.municipality,
        selection_class=selection,
        closed_on=timezone.localdate(complaint.closed_at) if complaint.closed_at else None,
        retention_until=until,
        destroyed_at=now,
    )


def _delete_inbound_mail(messages):
    """Incoming e-mails go with their attachment files (after the commit, one file at a time)."""
    attachments = InboundAttachment.objects.filter(message__in=messages).exclude(file="")
    for attachment in attachments:
        transaction.on_commit(functools.partial(_remove_file, attachment.file.storage, attachment.file.name))
    return messages.delete()[1].get(InboundMessage._meta.label, 0)


# Incoming e-mail that became no case: kept as long as a complaint that was not taken into
# handling (13.1.4), counted from the day it was handled or, for automatic mail and mail set
# aside unread, from the day it arrived. Mail still waiting in the inbox is kept.
CASELESS_MAIL = (InboundMessage.State.NOT_A_COMPLAINT, InboundMessage.State.FILED, InboundMessage.State.SET_ASIDE)


def forget_old_inbound_mail(today):
    """Delete incoming e-mail without a case once past its municipality's short retention."""
    deleted = 0
    for municipality in Municipality.objects.all():
        cutoff = _years_after(today, -municipality.retention_years_not_handled)
        old = InboundMessage.objects.filter(
            municipality=municipality, complaint__isnull=True, state__in=CASELESS_MAIL
        ).filter(models.Q(handled_at__date__lt=cutoff) | models.Q(handled_at__isnull=True, fetched_at__date__lt=cutoff))
        deleted += _delete_inbound_mail(old)
    return deleted


def forget_old_search_words(now):
    """The search words (of a search, or of an export's search) in the audit log, once older
    than SEARCH_WORDS_KEPT: they may be a name."""
    old = ModelLogEntry.objects.filter(
        action__in=["klachtformulieren.search_cases", "klachtformulieren.export_cases"],
        timestamp__lt=now - SEARCH_WORDS_KEPT,
    ).exclude(data={})
    return old.update(data={})


@transaction.atomic
def apply_retention(today=None, *, dry_run=False):
    """Destroy the personal data of every case past its retention date. Returns the list of
    (complaint, class, date) it destroyed (or, with ``dry_run``, would destroy) and the record."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    due = due_for_destruction(today)
    if dry_run:
        return due, None
    forget_old_search_words(now)
    forget_old_inbound_mail(today)
    if not due:
        return due, None
    record = DestructionRecord.objects.create(reason="retention")
    for complaint, selection, until in due:
        destroy(complaint, record, selection=selection, until=until, now=now)
    return due, record


@transaction.atomic
def erase_on_request(complaint, user, *, reason):
    """AVG art. 17: erasure on request, where no legal duty to keep applies; the same destruction."""
    now = timezone.now()
    record = DestructionRecord.objects.create(performed_by=user, reason=reason[:200])
    destroy(complaint, record, selection="AVG 17", until=timezone.localdate(now), now=now)
    return record
