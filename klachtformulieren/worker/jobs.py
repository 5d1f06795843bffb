"""The periodic jobs of the task worker: what each does, and how often.

Each job runs at most once per period however many workers there are: the first worker to
claim the period in the shared cache runs it. A job that fails is logged and tried again at
the next housekeeping run; the others run regardless.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from klachtformulieren import conf
from klachtformulieren.cases import deadlines, retention
from klachtformulieren.correspondence import delivery, reminders
from klachtformulieren.intake import inbound, uploads
from klachtformulieren.models import ComplaintAttachment, InboundAttachment, Notification, SubmissionReceipt
from klachtformulieren.reporting import year_rows

logger = logging.getLogger(__name__)

# Temporary upload files older than this belong to a request that died (a killed worker).
STALE_UPLOAD_AGE = timedelta(days=1)
# Deadline reminders go out on the first run after this hour, local time.
REMINDER_HOUR = 7
RETENTION_HOUR = 2


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[datetime], object]
    # The period's key for a moment, or None when the job has nothing to do then.
    period: Callable[[datetime], str | None]


def every_run(now):
    """Every housekeeping run, in every worker (the job itself is safe to run in parallel)."""
    return "always"


def every_housekeeping_period(now):
    """Once per HOUSEKEEPING_MINUTES, in one worker only (the first to claim the period)."""
    minutes = conf.setting("HOUSEKEEPING_MINUTES")
    slot = (now.hour * 60 + now.minute) // minutes
    return f"{now:%Y-%m-%d}/{slot}"


def hourly(now):
    return now.strftime("%Y-%m-%dT%H")


def working_mornings(now):
    """Once a working day (Termijnenwet), from REMINDER_HOUR local time."""
    local = timezone.localtime(now)
    if local.hour < REMINDER_HOUR or not deadlines.is_working_day(local.date()):
        return None
    return local.date().isoformat()


def deliver_due_mails(now):
    """The safety net under the per-mail tasks: retries that are due, claims of dead workers."""
    return delivery.deliver_due(now)


def fetch_inbound_mail(now):
    """Every active incoming mailbox once: replies to their case, other mail to the inbox."""
    return inbound.fetch_all(now)


def remove_stale_upload_files(now):
    """Spooled uploads left in FILE_UPLOAD_TEMP_DIR by a web worker that was killed mid-request."""
    directory = settings.FILE_UPLOAD_TEMP_DIR
    if not directory:
        return 0
    cutoff = now.timestamp() - STALE_UPLOAD_AGE.total_seconds()
    removed = 0
    for path in Path(directory).iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # a request finished and removed it meanwhile
            continue
    if removed:
        logger.info("Removed %d temporary upload files left behind", removed)
    return removed


# The private storage's folders, each under year and month, and the file field that names their files.
PRIVATE_FILE_FOLDERS = (
    ("klachten", ComplaintAttachment, "file"),
    ("ontvangstbewijzen", SubmissionReceipt, "pdf"),
    ("brieven", Notification, "pdf"),
    ("inkomend", InboundAttachment, "file"),
)


# Rows looked up in one query while sweeping (well under SQLite's limit of parameters).
ORPHAN_LOOKUP_BATCH = 500


def _stored_names(storage, folder):
    """Every file below ``folder`` of ``storage``, by its name there, through the storage's own
    listing: a directory on disk and a bucket of an object store alike."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        yield f"{folder}/{file}"
    for directory in directories:
        yield from _stored_names(storage, f"{folder}/{directory}")


def _batches(names, size):
    batch = []
    for name in names:
        batch.append(name)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def remove_orphan_attachment_files(now):
    """Private files without their row: a web worker killed (or a transaction rolled back)
    between writing an attachment, receipt, letter PDF or incoming mail's attachment and
    committing its row. Only this month's and last month's folders can have them (a file goes
    under the month of its case's receipt or of its writing), so the walk stays small however
    many cases there are. The rows are looked up in batches; only a file without one is asked
    its age (one request each on an object store)."""
    cutoff = now - timedelta(minutes=conf.setting("ORPHAN_FILE_MINUTES"))
    this_month = timezone.localdate(now).replace(day=1)
    months = {this_month, (this_month - timedelta(days=1)).replace(day=1)}
    removed = 0
    for top, model, field in PRIVATE_FILE_FOLDERS:
        storage = model._meta.get_field(field).storage
        for month in sorted(months):
            names = _stored_names(storage, f"{top}/{month:%Y}/{month:%m}")
            for batch in _batches(names, ORPHAN_LOOKUP_BATCH):
                known = set(model.objects.filter(**{f"{field}__in": batch}).values_list(field, flat=True))
                for name in batch:
                    if name in known:
                        continue
                    try:
                        old = storage.get_modified_time(name) < cutoff
                    except FileNotFoundError:  # removed meanwhile
                        continue
                    if old:
                        storage.delete(name)
                        removed += 1
    if removed:
        logger.info("Removed %d private files whose row was never stored", removed)
    return removed


def rescan_quarantined_attachments(now):
    """Attachments kept in quarantine (the virus scanner could not be reached when they came
    in), scanned again now: clean ones are released for download; an infected one loses its
    content and is marked so. While the scanner still gives no verdict, or a file cannot be
    read, they stay in quarantine (nothing fails open), and the next run tries again. Safe in
    parallel: each change applies only to a row still in quarantine."""
    if not uploads.virus_scanner_configured():
        return 0  # without a scanner nothing can release them
    Scan = ComplaintAttachment.Scan
    checked = 0
    quarantined = ComplaintAttachment.objects.filter(scan=Scan.QUARANTINED).select_related("complaint")
    for attachment in quarantined.order_by("created_at", "pk").iterator():
        try:
            with attachment.file.open("rb") as file:
                result = uploads.clamd_scan(file)
        except OSError as error:
            logger.error(
                "Attachment %s in quarantine cannot be read for a rescan: %s",
                attachment.pk,
                uploads.error_reason(error),
            )
            continue
        if result.scan == Scan.QUARANTINED:
            break  # the scanner is still away (clamd_scan logged why): the next run tries again
        still_quarantined = ComplaintAttachment.objects.filter(pk=attachment.pk, scan=Scan.QUARANTINED)
        if result.scan == Scan.CLEAN:
            still_quarantined.update(scan=Scan.CLEAN)
        elif still_quarantined.update(scan=Scan.INFECTED, file=""):
            # The row first: from now on nobody can reach the file; then its content goes.
            attachment.file.storage.delete(attachment.file.name)
            # The case reference and the signature; never the file name, which may hold personal data.
            logger.warning(
                "Attachment %s of case %s contained a virus (%s); its content was removed",
                attachment.pk,
                attachment.complaint.reference,
                result.signature,
            )
        checked += 1
    if checked:
        logger.info("Rescanned %d attachments in quarantine", checked)
    return checked


def keep_closed_year_reports(now):
    """The annual reports of closed years whose kept figures a change dropped, computed again."""
    kept = year_rows.keep_closed_years()
    if kept:
        logger.info("Kept the annual figures of %d closed years", len(kept))
    return len(kept)


def daily(now):
    """Once a day, from RETENTION_HOUR local time (at night, when nobody works on the cases)."""
    local = timezone.localtime(now)
    return local.date().isoformat() if local.hour >= RETENTION_HOUR else None


def apply_retention(now):
    due, _record = retention.apply_retention(timezone.localdate(now))
    if due:
        logger.info("Retention: the personal data of %d cases destroyed", len(due))
    return len(due)


def send_deadline_reminders(now):
    return reminders.send_deadline_reminders(
        timezone.localdate(now), base_url=getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    )


JOBS = (
    Job("deliver_due_mails", deliver_due_mails, every_run),
    # One worker at a time, so two never read the same mailbox at once.
    Job("fetch_inbound_mail", fetch_inbound_mail, every_housekeeping_period),
    Job("remove_stale_upload_files", remove_stale_upload_files, hourly),
    Job("remove_orphan_attachment_files", remove_orphan_attachment_files, every_run),
    Job("rescan_quarantined_attachments", rescan_quarantined_attachments, every_run),
    Job("send_deadline_reminders", send_deadline_reminders, working_mornings),
    Job("keep_closed_year_reports", keep_closed_year_reports, every_housekeeping_period),
    Job("apply_retention", apply_retention, daily),
)


def claim(job, now):
    """True for the one worker that runs ``job`` in this period."""
    period = job.period(now)
    if period is None:
        return False
    if period == "always":
        return True
    return cache.add(f"klachtformulieren:job:{job.name}:{period}", time.time(), timeout=2 * 24 * 3600)


def run_due_jobs(now=None):
    """Run every job whose period has come; returns the names of the jobs run."""
    now = now or timezone.now()
    ran = []
    for job in JOBS:
        if not claim(job, now):
            continue
        try:
            job.run(now)
        except Exception:
            logger.exception("Periodic job %s failed; it runs again next time", job.name)
            continue
        ran.append(job.name)
    return ran
