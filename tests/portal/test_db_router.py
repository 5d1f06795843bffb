"""The optional read replica: the reports read from it, everything else from the primary."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from klachtformulieren.models import Complaint
from klachtformulieren.reporting.reads import report_reads
from portal.db_router import ReportReplicaRouter

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django
django.setup()
import datetime
from django.core.management import call_command
from django.utils import timezone
from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.intake.services import register_complaint
import pytest
from django.db import transaction

from klachtformulieren.models import Complaint, Municipality
from klachtformulieren.reporting.annual import annual_report

def register(number):
    municipality, _ = Municipality.objects.get_or_create(
        slug="proefdorp", defaults={"name": "Proefdorp", "coordinators_email": "c@example.org"}
    )
    for n in range(number):
        submission = ComplaintSubmission(
            name=f"K {n}", email=f"k{n}@example.org", description="x", conduct_date=datetime.date(2026, 1, 1)
        )
        register_complaint(submission, municipality=municipality)
"""

PRIMARY = SETUP + 'call_command("migrate", verbosity=0)\nregister(3)\n'

BOTH = (
    SETUP
    + """
register(2)
report = annual_report(timezone.localdate().year)
print("report", report.received, "primary", Complaint.objects.count())
"""
)


def run_python(code, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    environment.update({"DJANGO_SETTINGS_MODULE": "portal.settings.test", **env})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split()


def test_the_router_sends_only_the_reports_reads_to_the_replica_and_migrates_only_the_primary():
    router = ReportReplicaRouter()

    assert router.db_for_read(Complaint) == "default"
    with report_reads():
        assert router.db_for_read(Complaint) == "replica"
        assert router.db_for_write(Complaint) == "default"
    assert router.db_for_read(Complaint) == "default"
    assert router.allow_migrate("default", "klachtformulieren")
    assert not router.allow_migrate("replica", "klachtformulieren")


@pytest.mark.django_db
def test_a_report_computed_inside_a_transaction_reads_the_primary():
    router = ReportReplicaRouter()

    with transaction.atomic(), report_reads():
        assert router.db_for_read(Complaint) == "default"


def test_with_a_replica_the_annual_report_reads_from_it_and_the_rest_from_the_primary(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    run_python(PRIMARY, DATABASE_URL=f"sqlite:///{primary}")
    # The replica: a copy of the primary as it was with 3 cases.
    with sqlite3.connect(primary) as source, sqlite3.connect(replica) as copy:
        source.backup(copy)

    # 2 more cases on the primary; the replica does not follow (no replication here).
    output = run_python(BOTH, DATABASE_URL=f"sqlite:///{primary}", DATABASE_REPLICA_URL=f"sqlite:///{replica}")

    assert output == ["report", "3", "primary", "5"]
