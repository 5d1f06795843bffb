"""The portal's stylesheet themes the plugin apps through tokens only: their rules live in their own files."""

import re
from pathlib import Path

import klachtformulieren
import partners
import portal

PORTAL_CSS = Path(portal.__file__).parent / "static" / "css" / "portal.css"
PLUGIN_CSS = [
    Path(partners.__file__).parent / "static" / "partners" / "css" / "partners.css",
    Path(klachtformulieren.__file__).parent / "static" / "klachtformulieren" / "css" / "public.css",
]
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
RULE = re.compile(r"([^{}]+)\{[^{}]*\}")
KP_CLASS = re.compile(r"\.(kp-[\w-]+)")


def styled_classes(path):
    """The kp-* classes that the selectors of a stylesheet's rules name (inside @media too)."""
    css = COMMENT.sub("", path.read_text())
    selectors = (match.group(1) for match in RULE.finditer(css) if not match.group(1).strip().startswith("@"))
    return {name for selector in selectors for name in KP_CLASS.findall(selector)}


def test_no_kp_class_is_styled_both_by_the_portal_and_by_a_plugin_app():
    plugin_classes = set().union(*(styled_classes(path) for path in PLUGIN_CSS))

    assert {"kp-button", "kp-form", "kp-partner-list"} <= plugin_classes
    assert styled_classes(PORTAL_CSS) & plugin_classes == set()


def test_the_plugin_stylesheets_do_not_style_the_portals_shell():
    plugin_classes = set().union(*(styled_classes(path) for path in PLUGIN_CSS))

    assert {"kp-header", "kp-nav", "kp-footer"} & plugin_classes == set()
