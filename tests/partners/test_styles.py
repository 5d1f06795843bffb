"""partners' own stylesheet: loaded by its own pages, readable in any host (every token has a fallback)."""

import re
from pathlib import Path

import pytest

import partners
from tests.factories import PartnerFactory

PARTNERS_CSS = Path(partners.__file__).parent / "static" / "partners" / "css" / "partners.css"
TOKEN_WITHOUT_FALLBACK = re.compile(r"var\(\s*--kp-[\w-]+\s*\)")


def test_every_token_in_the_partners_stylesheet_has_a_fallback():
    css = PARTNERS_CSS.read_text()

    assert "var(--kp-" in css
    assert TOKEN_WITHOUT_FALLBACK.findall(css) == []


@pytest.mark.django_db
def test_the_directory_and_a_partners_page_load_the_partners_stylesheet(client, directory):
    PartnerFactory(name="Thuiszorg De Linde", slug="thuiszorg-de-linde")

    for url in (directory.url, f"{directory.url}thuiszorg-de-linde/"):
        html = client.get(url).content.decode()
        # In the content block, not the host's <head>: a host's base template need not have a block for it.
        content = html.split('id="main-content"')[1]
        assert '<link rel="stylesheet" href="/static/partners/css/partners.css">' in content
