"""Browser harness: Playwright on the system Chromium against pytest-django's live server.

Never downloads a browser. Without /usr/bin/chromium the browser tests skip with a
reason on a developer's machine and fail in CI (CI=true).
"""

import os
import urllib.parse
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("KLACHTENPORTAAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _unavailable(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: run `make test`, which installs requirements-dev.txt")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (building data) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def third_party_requests():
    return []


def guarded_context(browser, live_server, third_party_requests):
    """A browser context that refuses, and records, every request off this machine."""
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)

    def guard(route):
        host = urllib.parse.urlsplit(route.request.url).hostname or ""
        if host in LOOPBACK_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            third_party_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context


@pytest.fixture
def page(browser, live_server, third_party_requests):
    """A fresh browser tab that refuses, and records, every request off this machine."""
    context = guarded_context(browser, live_server, third_party_requests)
    tab = context.new_page()
    yield tab
    context.close()
    assert third_party_requests == [], f"requests left this machine: {third_party_requests}"
