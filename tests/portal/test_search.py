"""Search never errors (portal/search.py): whatever is typed into the search box or given as
the API's ``search`` parameter, the answer is results or none, on SQLite and PostgreSQL."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.search import clean_query
from tests.factories import InformationPageFactory

pytestmark = pytest.mark.django_db

# What a visitor or a script may send: full-text syntax of SQLite (FTS5) and PostgreSQL,
# unbalanced quotes and brackets, and characters the database refuses.
AWKWARD = [
    '"',
    'a"b',
    "'",
    "(",
    ")",
    "*",
    "a*",
    "^a",
    "-a",
    "a:b",
    "AND",
    "a OR",
    "NOT a",
    "NEAR(a b)",
    "\x00",
    "a\x00b",
    "%",
    "\\",
    "{}",
    "a & b | !c",
    "<->",
    "😀",
]


@pytest.fixture
def pages(home_page):
    return InformationPageFactory(parent=home_page, title="Bezwaar maken", intro="Niet eens met een besluit")


@pytest.mark.parametrize("query", AWKWARD)
def test_awkward_queries_answer_without_an_error_on_the_site_and_in_the_api(client, pages, query):
    assert client.get("/zoeken/", {"q": query}).status_code == 200
    assert client.get("/api/v3/pages/", {"search": query}).status_code == 200


@pytest.mark.parametrize("query", AWKWARD)
def test_awkward_queries_answer_without_an_error_in_the_admin_page_search(admin_client, pages, query):
    assert admin_client.get("/admin/pages/search/", {"q": query}).status_code == 200


def test_punctuation_around_a_word_still_finds_it(client, pages):
    html = client.get("/zoeken/", {"q": '"besluit!'}).content.decode()

    assert "Bezwaar maken</a>" in html


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
def test_any_text_in_the_search_box_answers_with_results_or_none(client, pages, query):
    assert client.get("/zoeken/", {"q": query}).status_code == 200
    assert client.get("/api/v3/pages/", {"search": query}).status_code == 200


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ('"klacht', "klacht"),
        ("Bezwaar AND besluit", "bezwaar and besluit"),
        ("a\x00b", "a b"),
        ("e-mail (gemeente)", "e mail gemeente"),
        ("   ", ""),
    ],
)
def test_only_words_are_searched_for(typed, searched):
    assert clean_query(typed) == searched
