"""The plugin's public stylesheets read well in any host: every token has a fallback."""

import re
from pathlib import Path

import pytest

import klachtformulieren

STATIC = Path(klachtformulieren.__file__).parent / "static" / "klachtformulieren"
PUBLIC_STYLESHEETS = [STATIC / "css" / "public.css", STATIC / "route_finder.css", STATIC / "annual_figures.css"]
TOKEN_WITHOUT_FALLBACK = re.compile(r"var\(\s*--kp-[\w-]+\s*\)")


@pytest.mark.parametrize("path", PUBLIC_STYLESHEETS, ids=lambda path: path.name)
def test_every_token_in_a_public_stylesheet_has_a_fallback(path):
    css = path.read_text()

    assert "var(--kp-" in css
    assert TOKEN_WITHOUT_FALLBACK.findall(css) == []
