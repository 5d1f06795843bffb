"""The task worker rescans attachments kept in quarantine once the virus scanner is back:
clean ones are released, infected ones lose their content; nothing is released by accident."""

import datetime
import hashlib
import os

import pytest
from django.core.files.base import ContentFile

from klachtformulieren.models import ComplaintAttachment
from klachtformulieren.worker import jobs
from tests.factories import ComplaintFactory
from tests.klachtformulieren.intake.fake_clamd import FOUND, OK, fake_clamds, unreachable_clamd

pytestmark = pytest.mark.django_db

Scan = ComplaintAttachment.Scan
NOW = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)
CONTENT = b"%PDF-1.4 the complainant's letter"


@pytest.fixture
def fake_clamd(settings):
    with fake_clamds(settings) as start:
        yield start


@pytest.fixture
def quarantined():
    complaint = ComplaintFactory(name="Jan Klager")
    attachment = ComplaintAttachment(
        complaint=complaint,
        name="brief-van-jan-klager.pdf",
        content_type="application/pdf",
        size=len(CONTENT),
        sha256=hashlib.sha256(CONTENT).hexdigest(),
        scan=Scan.QUARANTINED,
    )
    attachment.file.save(attachment.name, ContentFile(CONTENT), save=True)
    return attachment


def test_a_clean_rescan_releases_the_file(fake_clamd, quarantined):
    clamd = fake_clamd(OK)

    assert jobs.rescan_quarantined_attachments(NOW) == 1

    quarantined.refresh_from_db()
    assert quarantined.scan == Scan.CLEAN
    assert quarantined.file.read() == CONTENT
    assert clamd.streams == [CONTENT]


def test_an_infected_file_loses_its_content_and_is_logged_without_personal_data(fake_clamd, quarantined, caplog):
    fake_clamd(FOUND)
    path = quarantined.file.path

    jobs.rescan_quarantined_attachments(NOW)

    quarantined.refresh_from_db()
    assert quarantined.scan == Scan.INFECTED
    assert not quarantined.file
    assert not os.path.exists(path)
    (line,) = [record.getMessage() for record in caplog.records if "contained a virus" in record.getMessage()]
    assert "Eicar-Test-Signature" in line and quarantined.complaint.reference in line
    assert "Jan" not in caplog.text and "klager" not in caplog.text.lower()


@pytest.mark.parametrize("reply", [b"INSTREAM size limit exceeded. ERROR\0", b"", b"stream: who knows\0"])
def test_no_verdict_keeps_the_file_in_quarantine(fake_clamd, quarantined, reply):
    fake_clamd(reply)

    jobs.rescan_quarantined_attachments(NOW)

    quarantined.refresh_from_db()
    assert quarantined.scan == Scan.QUARANTINED
    assert quarantined.file.read() == CONTENT


def test_while_the_scanner_is_down_nothing_changes_and_the_run_stops_early(settings, tmp_path, quarantined):
    unreachable_clamd(settings, tmp_path)

    assert jobs.rescan_quarantined_attachments(NOW) == 0

    quarantined.refresh_from_db()
    assert quarantined.scan == Scan.QUARANTINED


def test_without_a_scanner_configured_nothing_is_released(settings, quarantined):
    settings.KLACHTFORMULIEREN_CLAMD_SOCKET = None
    settings.KLACHTFORMULIEREN_CLAMD_HOST = None

    assert jobs.rescan_quarantined_attachments(NOW) == 0

    quarantined.refresh_from_db()
    assert quarantined.scan == Scan.QUARANTINED


def test_a_file_that_cannot_be_read_stays_in_quarantine_and_the_others_are_rescanned(fake_clamd, quarantined, caplog):
    fake_clamd(OK)
    quarantined.file.storage.delete(quarantined.file.name)
    other = ComplaintAttachment.objects.get(pk=quarantined.pk)
    other.pk = None
    other.file.save("tweede.pdf", ContentFile(CONTENT), save=True)

    assert jobs.rescan_quarantined_attachments(NOW) == 1

    assert ComplaintAttachment.objects.get(pk=quarantined.pk).scan == Scan.QUARANTINED
    assert ComplaintAttachment.objects.get(pk=other.pk).scan == Scan.CLEAN
    assert "klager" not in caplog.text.lower()  # the path of the missing file is not logged


def test_the_housekeeping_run_includes_the_rescan(fake_clamd, quarantined):
    fake_clamd(OK)

    assert "rescan_quarantined_attachments" in jobs.run_due_jobs(NOW)

    quarantined.refresh_from_db()
    assert quarantined.scan == Scan.CLEAN
