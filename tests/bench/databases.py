"""What the benchmark tests share: a fresh database in the suite's PostgreSQL server."""

import secrets
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg


def is_postgres(url):
    return url.startswith(("postgres://", "postgresql://"))


@contextmanager
def fresh_database(url, prefix):
    """A new, empty database in the server of ``url`` (a PostgreSQL URL), dropped afterwards; its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
