"""Two app servers, as behind a load balancer: two gunicorn processes on one database (SQLite,
or CI's PostgreSQL) and one cache (the database's, or Redis when REDIS_URL is set). A session
made on one is valid on the other, and the complaint form's limit counts the submissions of both."""

import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import requests
from django.contrib.auth import get_user_model
from django.db import connection

from bench.server import free_port, log_tail, start_server, stop_server, wait_until_ready
from klachtformulieren.models import Complaint
from tests.factories import ComplaintFormPageFactory, MunicipalityFactory

PASSWORD = "proef-wachtwoord-1234"
TIMEOUT = 20


@pytest.fixture
def shared_database(transactional_db, tmp_path, home_page):
    """The test database, with a form page and an administrator, for both servers: on SQLite a
    copy in a file, on PostgreSQL the test database itself. (DATABASE_URL, form page URL)."""
    form_page = ComplaintFormPageFactory(parent=home_page, municipality=MunicipalityFactory())
    get_user_model().objects.create_superuser("beheer", "beheer@example.org", PASSWORD)
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        url = f"sqlite:///{path}"
    else:
        database = connection.settings_dict
        url = (
            f"postgres://{quote(database['USER'])}:{quote(database['PASSWORD'] or '')}"
            f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        )
    return url, form_page.url


def complaints_filed(database_url):
    """Cases in the servers' database (on SQLite their copy, not the test's own)."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as shared:
            return shared.execute("SELECT COUNT(*) FROM klachtformulieren_complaint").fetchone()[0]
    return Complaint.objects.count()


@pytest.fixture
def servers(shared_database, tmp_path):
    """Two gunicorn servers, one worker each, on that database and one cache: their URLs."""
    database_url, _form_url = shared_database
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "tests.two_servers_settings", "DATABASE_URL": database_url})
    if os.environ.get("REDIS_URL"):
        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
        env["DJANGO_CACHE_URL"] = os.environ["REDIS_URL"]
    started = []
    try:
        for name in ("a", "b"):
            port, log = free_port(), tmp_path / f"server-{name}.log"
            started.append((start_server(env, port, log, workers=1), port, log))
        for process, port, log in started:
            wait_until_ready(process, port, log, path="/admin/login/")
        yield [f"http://127.0.0.1:{port}" for _process, port, _log in started]
    finally:
        for process, _port, log in started:
            stop_server(process)
            print(log_tail(Path(log)))


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def submit(server, url):
    """A visitor's complaint: the form from ``server``, sent back to it. The answer's status."""
    browser = requests.Session()
    form = browser.get(server + url, timeout=TIMEOUT)
    assert form.status_code == 200
    data = {
        "csrfmiddlewaretoken": hidden(form.text, "csrfmiddlewaretoken"),
        "form_started": hidden(form.text, "form_started"),
        "name": "Jan de Klager",
        "email": "jan@example.org",
        "description": "De medewerker aan de balie schreeuwde tegen mij.",
        "conduct_date": "2026-11-02",
    }
    return browser.post(server + url, data, allow_redirects=False, timeout=TIMEOUT).status_code


def test_a_session_made_on_one_server_is_valid_on_the_other(servers):
    a, b = servers
    browser = requests.Session()
    login = browser.get(f"{a}/admin/login/", timeout=TIMEOUT)
    signed_in = browser.post(
        f"{a}/admin/login/",
        {"csrfmiddlewaretoken": hidden(login.text, "csrfmiddlewaretoken"), "username": "beheer", "password": PASSWORD},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert signed_in.status_code == 302
    session = browser.cookies["sessionid"]

    on_b = requests.get(f"{b}/admin/", cookies={"sessionid": session}, allow_redirects=False, timeout=TIMEOUT)
    stranger = requests.get(f"{b}/admin/", allow_redirects=False, timeout=TIMEOUT)

    assert on_b.status_code == 200
    assert "beheer" in on_b.text
    assert stranger.status_code == 302


def test_the_eleventh_complaint_from_one_client_is_refused_by_either_server(servers, shared_database):
    a, b = servers
    database_url, url = shared_database

    accepted = [submit(server, url) for server in (a, b) * 5]
    eleventh_on_a, eleventh_on_b = submit(a, url), submit(b, url)

    assert accepted == [302] * 10
    assert (eleventh_on_a, eleventh_on_b) == (429, 429)
    assert complaints_filed(database_url) == 10
