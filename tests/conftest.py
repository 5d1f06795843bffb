import pytest
from django.apps import apps
from django.conf import settings
from wagtail.models import Collection, Locale, Page, Site


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "reference_portal: needs the reference portal's own templates or URLs (skipped in another host)"
    )


def in_reference_portal():
    """The reference portal's ``home`` (not a host's own app of that name)."""
    from tests import factories

    return apps.is_installed("home") and hasattr(factories, "HomePageFactory")


def pytest_runtest_setup(item):
    if item.get_closest_marker("reference_portal") and not in_reference_portal():
        pytest.skip("the host's own templates and URLs, not the plugin's: run in the reference portal")


@pytest.fixture
def root_page(db):
    """Wagtail's tree root; recreated when a transactional test flushed the migrations' data."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


@pytest.fixture
def site(root_page):
    """The default site with a home page as its root (and in the reference portal its settings).

    The reference portal's HomePage when its ``home`` is installed; in any other host (the plugin's
    tests in .ci/install_check.sh, where ``home`` may be the host's own app of that name) a plain
    Wagtail page, as the plugin apps need nothing of ``home``.
    """
    reference_portal = in_reference_portal()
    if reference_portal:
        from tests.factories import HomePageFactory, MunicipalitySettingsFactory

        home = HomePageFactory(parent=root_page)
    else:
        home = root_page.add_child(instance=Page(title="Home", slug=f"home-{Page.objects.count()}"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    if reference_portal:
        MunicipalitySettingsFactory(site=site)
    return site


@pytest.fixture
def home_page(site):
    return site.root_page.specific


@pytest.fixture(autouse=True)
def empty_cache(request):
    """Rate-limit counters, used form tokens and cached site paths never leak from one test into the next.

    The cache is the database's (as in production), so only a test with the database has one.
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not (marker or {"db", "transactional_db", "live_server"} & names):
        yield
        return
    transactional = (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & names
    # Autouse fixtures come first: ask for the database now, as the test will.
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def remove_test_media_afterwards():
    """The test settings write media to fresh temporary directories; leave none behind."""
    import shutil

    yield
    for directory in (settings.MEDIA_ROOT, settings.KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT):
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def site_municipality(site):
    """The site's municipality: in the reference portal the one its site settings name, in any
    other host (which has no site settings) a municipality of its own."""
    from tests.factories import MunicipalityFactory

    site_settings = getattr(site, "municipalitysettings", None)
    return site_settings.municipality if site_settings else MunicipalityFactory()
