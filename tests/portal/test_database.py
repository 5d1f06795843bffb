"""The suite runs on the database DATABASE_URL names: CI proves both SQLite and PostgreSQL."""

import os

from django.db import connection


def test_the_suite_runs_on_the_configured_database(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"

    assert connection.vendor == expected
