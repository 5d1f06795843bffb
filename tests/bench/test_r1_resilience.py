"""R1, bounded: the mail server hangs, web workers are killed, and nothing is lost or sent twice.

The full run (50 posters for 60 s, ten kills) is `make bench`; this one runs in the suite on
the database the suite runs on: SQLite, and in CI's second pass PostgreSQL (a fresh database
in the same server, dropped afterwards).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.databases import fresh_database, is_postgres

ROOT = Path(__file__).resolve().parents[2]
BOUNDED = ["--posters", "10", "--readers", "3", "--duration", "10", "--kills", "3", "--kill-duration", "6"]


@pytest.fixture
def database_arguments():
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(url):
        yield []
        return
    with fresh_database(url, "r1") as database_url:
        yield ["--database-url", database_url]


def test_r1_nothing_lost_no_server_error_every_mail_exactly_once(database_arguments):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}

    result = subprocess.run(
        [sys.executable, "-m", "bench.r1_resilience", *BOUNDED, *database_arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )

    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-4000:]
    assert "lost 0" in result.stdout and "received twice 0" in result.stdout
    assert "half-written cases 0, orphan files 0" in result.stdout
