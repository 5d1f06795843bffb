"""A caching proxy in front is told when a page changes (portal/settings/base.py, docs/caching.md).

DJANGO_FRONTEND_CACHE_URL installs Wagtail's frontend cache app, which sends the proxy an HTTP
PURGE for a page's address when it is published or unpublished. A stand-in proxy on loopback
records what it is sent.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.apps import apps
from django.test import override_settings
from wagtail.contrib.frontend_cache import signal_handlers
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from tests.factories import InformationPageFactory
from tests.portal.test_settings import SETUP, run_python

pytestmark = pytest.mark.django_db


class StandInProxy(BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInProxy)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def purging(proxy):
    """The settings DJANGO_FRONTEND_CACHE_URL makes, and the app's signal handlers connected."""
    location = f"http://127.0.0.1:{proxy.server_address[1]}"
    backend = {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
    with override_settings(WAGTAILFRONTENDCACHE={"proxy": {**backend, "HOSTNAMES": ["*"]}}):
        signal_handlers.register_signal_handlers()
        yield proxy.purged
    for model in page_models():
        page_published.disconnect(signal_handlers.page_published_signal_handler, sender=model)
        page_unpublished.disconnect(signal_handlers.page_unpublished_signal_handler, sender=model)


def page_models():
    return [model for model in apps.get_models() if issubclass(model, Page)]


def test_the_proxy_url_installs_wagtails_frontend_cache_with_that_location():
    result = run_python(
        SETUP + "print('wagtail.contrib.frontend_cache' in settings.INSTALLED_APPS); "
        "proxy = settings.WAGTAILFRONTENDCACHE['proxy']; print(proxy['LOCATION'], proxy['HOSTNAMES'])",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DJANGO_FRONTEND_CACHE_URL="http://127.0.0.1:6081",
        DJANGO_FRONTEND_CACHE_HOSTNAMES="klachten.gemeente.example",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["True", "http://127.0.0.1:6081 ['klachten.gemeente.example']"]


def test_publishing_a_page_sends_the_proxy_a_purge_of_its_address(home_page, purging):
    page = InformationPageFactory(parent=home_page, title="Eerste versie")
    purging.clear()

    page.title = "Tweede versie"
    page.save_revision().publish()

    assert (page.get_site().hostname, page.url) in purging


def test_unpublishing_a_page_sends_the_proxy_a_purge_of_its_address(home_page, purging):
    page = InformationPageFactory(parent=home_page)
    url = page.url
    purging.clear()

    page.unpublish()

    assert any(path == url for _host, path in purging)
