"""The site's search backend: Wagtail's database backend, with every query cleaned first.

The public search box, the API's ``search`` parameter and the admin's search all arrive
here, and a visitor may type anything: NUL characters (which PostgreSQL refuses), unbalanced
quotes, brackets and operators that SQLite's full-text syntax rejects. Only words are
searched for, so every query answers with results or with none, never with a server error.
"""

import re

from modelsearch.backends import database

QUERY_MAX_LENGTH = 200
NOT_A_WORD = re.compile(r"[^\w]+")


def clean_query(query):
    """The words of a typed query, lower case (so AND, OR, NOT and NEAR are words too), at
    most ``QUERY_MAX_LENGTH`` characters; a query object built in code passes unchanged."""
    if not isinstance(query, str):
        return query
    return " ".join(NOT_A_WORD.sub(" ", query).lower().split())[:QUERY_MAX_LENGTH].strip()


class CleanQueries:
    """Mixed into the backend the database in use has (PostgreSQL, SQLite with FTS5, ...)."""

    def search(self, query, *args, **kwargs):
        return super().search(clean_query(query), *args, **kwargs)

    def autocomplete(self, query, *args, **kwargs):
        return super().autocomplete(clean_query(query), *args, **kwargs)


_CLEAN_CLASSES = {}


# The name Wagtail looks up in a backend module.
def SearchBackend(params):
    backend = database.SearchBackend(params)
    base = type(backend)
    if base not in _CLEAN_CLASSES:
        _CLEAN_CLASSES[base] = type(f"Clean{base.__name__}", (CleanQueries, base), {})
    return _CLEAN_CLASSES[base](params)
