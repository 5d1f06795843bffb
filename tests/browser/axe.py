"""Helpers: the WCAG 2.1 A/AA violations axe-core finds on a page, and an assertion that there are none."""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def axe_violations(page):
    """(violations, readable report) of axe-core's WCAG 2.1 A/AA rules on the page as it is now."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS}, "resultTypes": ["violations"]},
    )
    return results.response["violations"], results.generate_report()


def assert_no_axe_violations(page):
    violations, report = axe_violations(page)
    assert violations == [], f"axe-core found {len(violations)} violation(s) on {page.url}:\n{report}"
