"""The cluster benchmark, short (bench/cluster.py --short): two app servers behind HAProxy, one
PostgreSQL, one Redis, one worker; R1's load through HAProxy loses nothing, the submission limit
holds across both servers, a page published on one is fresh on the other, an attachment
uploaded on one downloads on the other.

It needs HAProxy, redis-server and PostgreSQL. With DATABASE_URL on PostgreSQL (CI's second
pass) it runs on a fresh database in that server; otherwise, outside CI, on a throwaway
cluster of its own when PostgreSQL 15's binaries are there. Missing parts skip it with the
reason, and fail it instead when CI=true; CI's SQLite pass leaves it to the PostgreSQL pass.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.server import POSTGRES_BIN
from tests.bench.databases import fresh_database, is_postgres

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = {"haproxy": "/usr/sbin/haproxy", "redis-server": "/usr/bin/redis-server"}


def missing_programs():
    return [name for name, usual in PROGRAMS.items() if not (shutil.which(name) or Path(usual).exists())]


def skip_or_fail(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the cluster test must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def database_arguments():
    url = os.environ.get("DATABASE_URL", "")
    if is_postgres(url):
        with fresh_database(url, "cluster") as database_url:
            yield ["--database-url", database_url]
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.skip("CI runs the cluster test in its PostgreSQL pass")
    if not (POSTGRES_BIN / "initdb").exists():
        skip_or_fail(f"PostgreSQL 15 is not installed (no initdb in {POSTGRES_BIN}; set PGBIN)")
    yield []


def test_cluster_loses_nothing_shares_limits_pages_and_attachments(database_arguments):
    if missing := missing_programs():
        skip_or_fail(f"not installed: {', '.join(missing)} (apt-get install haproxy redis-server)")
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}

    result = subprocess.run(
        [sys.executable, "-m", "bench.cluster", "--short", *database_arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=1200,
    )

    report = result.stdout + result.stderr
    print(result.stdout)  # the figures, for pytest -rP
    assert result.returncode == 0, report[-4000:]
    assert "lost 0" in result.stdout and "received twice 0" in result.stdout
    assert "then to A 429, to B 429" in result.stdout
    assert "then to HAProxy 429, to A 429, to B 429" in result.stdout
    assert "new title True; A 200 cache miss, new title True" in result.stdout
    assert "identical to the stored file: True; anonymous on B: 302" in result.stdout
