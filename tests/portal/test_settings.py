"""Configuration from the environment, and production's refusal to start unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x7Gq9!rT2vLp0sWz#Yb4Nf8Mh1Jc6Dk5Ue" * 2
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "klachten.gemeente.example",
    "DJANGO_ALLOW_SQLITE": "true",
}


def run(arguments, env):
    """Run Python in a clean process, with only the given Django and database variables."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def run_python(code, **env):
    return run(["-c", code], env)


def run_manage(*args, **env):
    return run(["manage.py", *args], env)


SETUP = "import django; django.setup(); from django.conf import settings; "


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}

    result = run_python(SETUP, **env)

    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_check_deploy_with_production_settings_reports_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_ssl_redirect_can_be_switched_off_and_proxy_header_trusted_behind_a_proxy():
    result = run_python(
        SETUP + "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER)",
        **PRODUCTION_ENV,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
    )

    assert result.stdout.strip() == "False ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_embedded_defaults_need_no_service():
    result = run_python(
        SETUP + "print(settings.DATABASES['default']['ENGINE'], settings.EMAIL_BACKEND, "
        "settings.TASKS['default']['BACKEND'], settings.CACHES['default']['BACKEND'])",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
    )

    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.mail.backends.console.EmailBackend",
        # Mail and the other tasks wait in the database for `manage.py db_worker`.
        "django_tasks_db.DatabaseBackend",
        # Rate limits and spam tokens count across every process.
        "django.core.cache.backends.db.DatabaseCache",
    ]


def test_redis_is_the_shared_cache_when_configured():
    result = run_python(
        SETUP + "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DJANGO_CACHE_URL="redis://127.0.0.1:6379/2",
    )

    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/2"]


def test_the_smtp_timeout_in_the_worker_is_short():
    result = run_python(
        SETUP + "print(settings.EMAIL_TIMEOUT)", DJANGO_SETTINGS_MODULE="portal.settings.dev", DJANGO_EMAIL_HOST="smtp"
    )

    assert result.stdout.split() == ["10"]


def test_database_url_and_smtp_come_from_the_environment():
    result = run_python(
        SETUP + "db = settings.DATABASES['default']; print(db['ENGINE'], db['NAME'], db['HOST'], db['PORT'], "
        "settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.MEDIA_ROOT)",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL="postgres://klachten:geheim@db.internal:5433/klachten",
        DJANGO_EMAIL_HOST="smtp.gemeente.example",
        DJANGO_EMAIL_PORT="2525",
        DJANGO_MEDIA_ROOT="/srv/klachten/media",
    )

    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "klachten",
        "db.internal",
        "5433",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.gemeente.example",
        "2525",
        "/srv/klachten/media",
    ]


def test_a_malformed_boolean_is_refused_with_a_clear_message():
    result = run_python(SETUP, DJANGO_SETTINGS_MODULE="portal.settings.dev", DJANGO_DEBUG="misschien")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_production_refuses_to_start_on_sqlite_unless_allowed():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DJANGO_ALLOW_SQLITE"}

    result = run_python(SETUP, **env)

    assert result.returncode != 0
    assert "Set DATABASE_URL" in result.stderr and "DJANGO_ALLOW_SQLITE=true" in result.stderr


CONCURRENT_WRITERS = """
import datetime
import threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection, connections
call_command("migrate", verbosity=0)
from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.intake.services import register_complaint
from klachtformulieren.models import Complaint, Municipality
municipality = Municipality.objects.create(name="Proefdorp", slug="proefdorp")
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal", cursor.fetchone()[0])
errors = []
def client(n):
    try:
        for i in range(5):
            submission = ComplaintSubmission(
                name=f"Klager {n}-{i}", email="k@example.org", description="x", conduct_date=datetime.date(2026, 1, 1)
            )
            register_complaint(submission, municipality=municipality)
    except Exception as error:
        errors.append(repr(error))
    finally:
        connections.close_all()
threads = [threading.Thread(target=client, args=(n,)) for n in range(10)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("errors", len(errors), errors[:1])
print("cases", Complaint.objects.count(), len(set(Complaint.objects.values_list("reference", flat=True))))
"""


def test_sqlite_takes_fifty_submissions_from_ten_concurrent_clients_without_losing_one(tmp_path):
    result = run_python(
        CONCURRENT_WRITERS,
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'concurrent.sqlite3'}",
        DJANGO_PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert "journal wal" in result.stdout
    assert "errors 0" in result.stdout, result.stdout
    assert "cases 50 50" in result.stdout
