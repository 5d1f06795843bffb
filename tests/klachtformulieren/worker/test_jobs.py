"""The periodic jobs: each once per period however many workers, temporary files cleaned up."""

import datetime
import os
import time
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile

from klachtformulieren.models import SubmissionReceipt
from klachtformulieren.worker import jobs
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)  # 09:00 in the Netherlands


@time_machine.travel(MORNING, tick=False)
def test_each_periodic_job_runs_once_per_period_across_workers():
    first = jobs.run_due_jobs()
    second = jobs.run_due_jobs()  # another worker, a moment later

    assert set(first) == {
        "deliver_due_mails",
        "fetch_inbound_mail",
        "remove_stale_upload_files",
        "remove_orphan_attachment_files",
        "rescan_quarantined_attachments",
        "send_deadline_reminders",
        "keep_closed_year_reports",
        "apply_retention",
    }
    assert second == ["deliver_due_mails", "remove_orphan_attachment_files", "rescan_quarantined_attachments"]


def test_retention_runs_once_a_night_after_two():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 0, 30, tzinfo=datetime.UTC), tick=False):  # 01:30 local
        assert "apply_retention" not in jobs.run_due_jobs()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 1, 30, tzinfo=datetime.UTC), tick=False):  # 02:30 local
        assert "apply_retention" in jobs.run_due_jobs()
        assert "apply_retention" not in jobs.run_due_jobs()


def test_deadline_reminders_wait_for_the_morning():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 4, 0, tzinfo=datetime.UTC), tick=False):
        assert "send_deadline_reminders" not in jobs.run_due_jobs()


@pytest.mark.parametrize(
    "day", [datetime.date(2026, 12, 5), datetime.date(2026, 12, 25)], ids=["saturday", "christmas"]
)
def test_termijnenwet_no_deadline_reminders_on_a_day_that_is_no_working_day(day):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC), tick=False):
        assert "send_deadline_reminders" not in jobs.run_due_jobs()


def test_a_failing_job_does_not_stop_the_others(monkeypatch):
    def broken(now):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "JOBS", (jobs.Job("broken", broken, jobs.every_run), *jobs.JOBS))

    with time_machine.travel(MORNING, tick=False):
        ran = jobs.run_due_jobs()

    assert "broken" not in ran and "deliver_due_mails" in ran


def test_upload_files_a_killed_request_left_behind_are_removed_after_a_day(settings):
    directory = Path(settings.FILE_UPLOAD_TEMP_DIR)
    old, recent = directory / "old.upload", directory / "recent.upload"
    for path in (old, recent):
        path.write_bytes(b"x" * 10)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))

    removed = jobs.remove_stale_upload_files(datetime.datetime.now(datetime.UTC))

    assert removed == 1
    assert not old.exists() and recent.exists()
    recent.unlink()


def test_uploads_spool_to_the_apps_own_directory_under_the_private_media_root(settings):
    assert Path(settings.FILE_UPLOAD_TEMP_DIR).is_dir()
    assert Path(settings.FILE_UPLOAD_TEMP_DIR).parent == Path(settings.KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT)


def test_an_attachment_file_whose_case_was_never_stored_is_removed(settings):
    now = datetime.datetime.now(datetime.UTC)
    folder = Path(settings.KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT) / "klachten" / f"{now:%Y}" / f"{now:%m}" / "abc"
    folder.mkdir(parents=True, exist_ok=True)
    orphan = folder / "foto.png"
    orphan.write_bytes(b"png")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(orphan, (two_hours_ago, two_hours_ago))

    assert jobs.remove_orphan_attachment_files(now) == 1

    assert not orphan.exists()


def test_incoming_mail_is_fetched_by_one_worker_per_housekeeping_period(settings):
    settings.KLACHTFORMULIEREN_HOUSEKEEPING_MINUTES = 5
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 1, tzinfo=datetime.UTC), tick=False):
        assert "fetch_inbound_mail" in jobs.run_due_jobs()
        assert "fetch_inbound_mail" not in jobs.run_due_jobs()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 6, tzinfo=datetime.UTC), tick=False):
        assert "fetch_inbound_mail" in jobs.run_due_jobs()


def test_a_receipt_letter_or_mail_file_without_its_row_is_removed_and_a_kept_one_stays(settings):
    now = datetime.datetime.now(datetime.UTC)
    root = Path(settings.KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT)
    two_hours_ago = time.time() - 2 * 3600
    orphans = []
    for top in ("ontvangstbewijzen", "brieven", "inkomend"):
        folder = root / top / f"{now:%Y}" / f"{now:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        orphan = folder / "0123456789abcdef.pdf"
        orphan.write_bytes(b"%PDF-1.4")
        os.utime(orphan, (two_hours_ago, two_hours_ago))
        orphans.append(orphan)
    complaint = ComplaintFactory()
    receipt = SubmissionReceipt(complaint=complaint)
    receipt.pdf.save("ontvangstbewijs.pdf", ContentFile(b"%PDF-1.4 kept"), save=True)
    kept = Path(receipt.pdf.path)
    os.utime(kept, (two_hours_ago, two_hours_ago))

    assert jobs.remove_orphan_attachment_files(now) == 3

    assert not any(orphan.exists() for orphan in orphans)
    assert kept.exists()
