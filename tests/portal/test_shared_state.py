"""What several processes share: the limits and used form tokens in the cache (the database's,
or Redis), and the outbox, from which two delivery runs never send one mail twice.

Each test starts separate Python processes on a SQLite file (or Redis), as gunicorn's workers
and the task worker are separate processes.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django
django.setup()
from django.core.management import call_command
"""

MIGRATE = SETUP + 'call_command("migrate", verbosity=0)\n'

# One "web worker": five accepted complaints from one client, then the verdict it would give.
WEB_WORKER = (
    SETUP
    + """
from django.test import RequestFactory
from klachtformulieren.intake import spam
request = RequestFactory().post("/klacht-indienen/", REMOTE_ADDR="192.0.2.7")
for _ in range(5):
    spam.count_submission(request)
token_used = not spam.spam_reason({"form_started": TOKEN}, now=10**10 // 2)
print("limited", spam.submission_limit_reached(request), "token", "accepted" if token_used else "refused")
"""
)

PARALLEL_DELIVERY = (
    SETUP
    + """
import threading
from django.core import mail
from django.db import connections
from klachtformulieren.correspondence import delivery
from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.intake.services import register_complaint
from klachtformulieren.models import Municipality, Notification
import datetime
municipality = Municipality.objects.create(name="Proefdorp", slug="proefdorp", coordinators_email="c@example.org")
for n in range(34):
    submission = ComplaintSubmission(
        name=f"K {n}", email=f"k{n}@example.org", description="x", conduct_date=datetime.date(2026, 1, 1)
    )
    register_complaint(submission, municipality=municipality)
def run():
    try:
        delivery.deliver_due()
    finally:
        connections.close_all()
runs = [threading.Thread(target=run) for _ in range(2)]
for thread in runs:
    thread.start()
for thread in runs:
    thread.join()
ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
print("records", Notification.objects.count(), "mails", len(ids), "distinct", len(set(ids)))
"""
)


def run_python(code, tmp_path, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.shared_state_settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
            "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180
    )


def token():
    from klachtformulieren.intake.spam import form_started_token

    return form_started_token(now=10**10 // 2 - 3600)


def web_workers(tmp_path, **env):
    """Two processes, one after the other, counting against the same client and sending one token."""
    code = WEB_WORKER.replace("TOKEN", repr(token()))
    first, second = run_python(code, tmp_path, **env), run_python(code, tmp_path, **env)
    for result in (first, second):
        assert result.returncode == 0, result.stderr[-3000:]
    return first.stdout.split(), second.stdout.split()


def test_the_limit_and_used_tokens_hold_across_processes_in_the_database_cache(tmp_path, settings):
    assert run_python(MIGRATE, tmp_path).returncode == 0

    first, second = web_workers(tmp_path)

    # 5 of 10 used in the first process: not limited yet; the second sees all 10 used.
    assert first == ["limited", "False", "token", "accepted"]
    assert second == ["limited", "True", "token", "refused"]


def test_the_limit_and_used_tokens_hold_across_processes_in_redis(tmp_path):
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI starts Redis and sets REDIS_URL; it is missing")
        pytest.skip("no Redis here: set REDIS_URL (CI starts one)")
    assert run_python(MIGRATE, tmp_path).returncode == 0
    import redis

    redis.Redis.from_url(url).flushdb()

    first, second = web_workers(tmp_path, DJANGO_CACHE_URL=url)

    assert first == ["limited", "False", "token", "accepted"]
    assert second == ["limited", "True", "token", "refused"]


def test_two_parallel_delivery_runs_on_sqlite_send_each_mail_exactly_once(tmp_path):
    """Two parallel runs on SQLite sent 68 mails for 67 records."""
    assert run_python(MIGRATE, tmp_path).returncode == 0

    result = run_python(PARALLEL_DELIVERY, tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["records", "68", "mails", "68", "distinct", "68"]
