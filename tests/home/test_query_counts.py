"""Rendering a page costs a fixed number of queries, however many pages the menu holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import InformationPageFactory

pytestmark = pytest.mark.django_db

# Wagtail routes a URL with one query per level of the tree, so the bound leaves room for depth;
# what must never happen is growth with the number of sibling pages in the menu.
MAX_QUERIES_PER_PAGE = 15


def queries_to_render(client, url):
    client.get(url)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_of", [lambda home, page: "/", lambda home, page: page.url])
def test_query_count_does_not_grow_with_pages_in_the_menu(client, home_page, url_of):
    parent = InformationPageFactory(parent=home_page, title="Over klachten")
    page = InformationPageFactory(parent=parent, title="Zo gaat het")
    few = queries_to_render(client, url_of(home_page, page))

    for number in range(50):
        InformationPageFactory(parent=home_page, title=f"Onderwerp {number}", show_in_menus=True)
    many = queries_to_render(client, url_of(home_page, page))

    assert many == few, (few, many)
    assert many <= MAX_QUERIES_PER_PAGE
