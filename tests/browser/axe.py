"""One helper: assert that axe-core finds no WCAG 2.1 A/AA violations on the page."""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def assert_no_axe_violations(page):
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    report = results.generate_report()
    assert violations == [], f"axe-core found {len(violations)} violation(s) on {page.url}:\n{report}"
