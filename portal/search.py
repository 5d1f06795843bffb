"""The site's search backend: Wagtail's database backend, with every query cleaned first.

The public search box, the API's ``search`` parameter and the admin's search all arrive
here, and a visitor may type anything: NUL characters (which PostgreSQL refuses), unbalanced
quotes, brackets and operators that SQLite's full-text syntax rejects. Only words are
searched for, so every query answers with results or with none, never with a server error.
"""

import copy
import re

from modelsearch.backends import database

QUERY_MAX_LENGTH = 200
NOT_A_WORD = re.compile(r"[^\w]+")


def clean_words(text):
    """The words of a typed text, lower case (so AND, OR, NOT and NEAR are words too), at most
    ``QUERY_MAX_LENGTH`` characters."""
    return " ".join(NOT_A_WORD.sub(" ", text).lower().split())[:QUERY_MAX_LENGTH].strip()


def clean_query(query):
    """A typed query as words; a query object (the admin's search parses the text into
    PlainText and Phrase, inside And, Or and Not) with the same cleaning of every text in it.
    A query left without words is "", which the backend answers with no results."""
    if isinstance(query, str):
        return clean_words(query)
    cleaned = copy.copy(query)
    if hasattr(query, "query_string"):
        cleaned.query_string = clean_words(query.query_string)
        if not cleaned.query_string:
            return ""
    if hasattr(query, "subqueries"):
        cleaned.subqueries = [part for part in map(clean_query, query.subqueries) if part != ""]
        if not cleaned.subqueries:
            return ""
    if hasattr(query, "subquery"):
        cleaned.subquery = clean_query(query.subquery)
        if cleaned.subquery == "":
            return ""
    return cleaned


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
