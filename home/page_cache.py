"""A page cache for visitors without a login (issue 19).

Public pages of the kinds in CACHED_PAGE_TYPES come from the shared default cache (the database
cache, or Redis when DJANGO_CACHE_URL is set), so every worker and app server sees one copy.

Two middlewares share the work, as Django's own cache middleware does:

* ``StoredPageMiddleware``, early in MIDDLEWARE (after the security headers and WhiteNoise),
  stores the final response, with the headers every middleware inside it added (CSP,
  X-Frame-Options), and serves it again before sessions, CSRF, authentication, URL resolution and
  the page view run. It looks only for a visitor without a session cookie (so certainly not
  logged in), and only at an address this process has seen serve a stored page: the admin, the
  API, the other views, a form page and every POST never pay for a cache read there.
* ``AnonymousPageCacheMiddleware``, last in MIDDLEWARE, decides: only requests that Wagtail's
  page view answers look in the cache (in ``process_view``, after Django has resolved the URL
  anyway), which is how a page is found the first time in a process and how an anonymous visitor
  with a session cookie (who filed a complaint) is served; it marks what may be stored.

A response is stored only when rendering it touched neither the session nor the CSRF token and
no cookie is set on the way out: a page with a form keeps its fresh CSRF and spam tokens,
because it is never stored. Logged-in users are never served from, nor stored
into, the cache. An address with a query string is rendered afresh and not stored (nobody can
fill the cache with made-up addresses).

Cache-Control, so that a proxy in front (Varnish, nginx; docs/caching.md) can cache too: a
stored page is ``public, max-age=60`` with ``Vary: Cookie``; a page for a logged-in user, or one
that read the session, used the CSRF token or set a cookie, is ``private, no-cache``.

Invalidation is by generation: publishing, unpublishing, moving or deleting a page, and saving or
deleting anything of the apps whose data pages show (menu, site settings, partners, snippets,
images, documents), bumps one counter, at once and again when the transaction commits (so a page
rendered from the old rows in between is not kept); a page is stored with the generation it was
rendered in, read together with the current one, and served only when the two are the same.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page

GENERATION_KEY = "page-cache:generation"
# Apps whose data public pages show; a change to any of their rows empties the page cache.
SHOWN_APPS = {"wagtailcore", "home", "partners", "wagtailimages", "wagtaildocs", "taggit", "wagtailsnippets"}
# Models of other apps whose rows pages show (names, contact details, kinds).
SHOWN_MODELS = {
    "klachtformulieren.municipality",
    "klachtformulieren.complaintkind",
    "klachtformulieren.organisationunit",
}
# Rows of those apps that pages do not show: a rendition is made the first time a page shows an
# image (and removed with a change to the image, whose own save empties the cache).
NOT_SHOWN_MODELS = {"wagtailimages.rendition"}
CACHED_PAGE_TYPES = {"home.homepage", "home.informationpage"}
TIMEOUT = 300
# How long a proxy or browser may keep a stored page: short, because a proxy is told only about
# the published page itself (docs/caching.md), not about the other pages whose menu it changes.
PROXY_MAX_AGE = 60
# Addresses this process saw serve a page that is never stored (a form, the figures, a partner):
# their next visit skips the cache's round trip. Forgetting one costs only that round trip, and
# a wrong entry only a fresh render, so the set may be per process and is simply emptied when full.
NEVER_STORED = set()
NEVER_STORED_MAX = 10_000
# Addresses this process saw serve a stored page: only these are looked up early, before the
# URL is resolved. Forgetting one costs one request on the longer path; a wrong entry (the page
# is no longer stored) one cache read that finds nothing.
KNOWN_STORED = set()
KNOWN_STORED_MAX = 10_000
# What process_view leaves on the request for __call__: this visitor is logged in.
PERSONAL = "personal"


def _new_generation():
    """A generation no earlier one had: if the cache lost the counter (evicted, culled), the
    pages stored before can never match the one that replaces it."""
    return time.time_ns()


def _generation(found):
    """The current generation, from what ``get_many`` found (the first visit ever sets it)."""
    value = found.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        value = cache.get(GENERATION_KEY)
    return value


def generation(request):
    """The current generation, read once per request (the page cache's middleware has read it
    already for a page it looks up); what the menu and the breadcrumbs are kept by, per process."""
    known = getattr(request, "_page_cache_generation", None)
    if known is None:
        known = _generation(cache.get_many([GENERATION_KEY]))
        request._page_cache_generation = known
    return known


def _bump():
    NEVER_STORED.clear()  # a page of another kind may now stand at an address
    try:
        # A savepoint: during migrate the database cache's table may not exist yet.
        with transaction.atomic():
            try:
                cache.incr(GENERATION_KEY)
            except ValueError:
                cache.set(GENERATION_KEY, _new_generation(), None)
    except DatabaseError:
        pass


def invalidate(**kwargs):
    """Make every stored page stale at once (all workers, all app servers).

    Once now, and once more when the transaction that changed the rows commits: with Redis the
    first bump is seen before the commit, so a page rendered in between from the old rows would
    otherwise be stored under the new generation.
    """
    _bump()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)


def _on_model_change(sender, **kwargs):
    # A page of any app (a complaint form, a partner) is in the menu and the breadcrumbs; Django
    # sends a page's save with its own class as the sender, not wagtailcore's Page.
    label = sender._meta.label_lower
    shown = (sender._meta.app_label in SHOWN_APPS and label not in NOT_SHOWN_MODELS) or label in SHOWN_MODELS
    if shown or issubclass(sender, Page):
        invalidate()


def connect():
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    page_published.connect(invalidate, dispatch_uid="page_cache_published")
    page_unpublished.connect(invalidate, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(invalidate, dispatch_uid="page_cache_moved")
    page_slug_changed.connect(invalidate, dispatch_uid="page_cache_slug")
    post_save.connect(_on_model_change, dispatch_uid="page_cache_save")
    post_delete.connect(_on_model_change, dispatch_uid="page_cache_delete")


def _key(request):
    """The page's key, worked out once per request (both middlewares ask for it)."""
    key = getattr(request, "_page_cache_key", None)
    if key is None:
        where = hashlib.sha256(f"{request.get_host()}{request.path}".encode()).hexdigest()
        key = request._page_cache_key = f"page-cache:{get_language()}:{where}"
    return key


def _cacheable(request):
    """A GET or HEAD without a query string, with the cache switched on."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and getattr(settings, "PAGE_CACHE", True)
    )


def _looks_in_cache(request, view_func):
    """Only a request for a Wagtail page."""
    return view_func is wagtail_views.serve and _cacheable(request)


def _personal(request, response):
    """Did this response depend on who asks: the session, the CSRF token, a cookie it sets?"""
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return True
    session = getattr(request, "session", None)
    return session is not None and session.accessed


def _remember(known, key, limit):
    if len(known) >= limit:
        known.clear()
    known.add(key)


def _fresh(found, key, current):
    """The stored page in what ``get_many`` found, if it was stored in the current generation."""
    stored_generation, stored = found.get(key) or (None, None)
    if stored is not None and stored_generation == current:
        stored["X-Page-Cache"] = "hit"
        return stored
    return None


def _look(request, key):
    """One read for the generation and the page together (one query on the database cache)."""
    found = cache.get_many([GENERATION_KEY, key])
    current = request._page_cache_generation = _generation(found)
    return _fresh(found, key, current), current


class StoredPageMiddleware:
    """Serves a stored page before the rest of the stack, and stores the final response.

    Early in MIDDLEWARE, after SecurityMiddleware, SecurityHeadersMiddleware and WhiteNoise (so an
    HTTPS redirect and the security headers still apply to every response it serves).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _looks_early(request):
            key = _key(request)
            if key in KNOWN_STORED:
                stored, current = _look(request, key)
                if stored is not None:
                    return stored
                # Not stored (any more): the page view renders it; the cache need not be read again.
                request._page_cache_looked = (key, current)
        response = self.get_response(request)
        store = getattr(request, "_page_cache_store", None)
        # A cookie set on the way out (a session emptied, a CSRF cookie) is for this visitor only.
        if store is not None and not response.cookies:
            key, current = store
            cache.set(key, (current, response), TIMEOUT)
            _remember(KNOWN_STORED, key, KNOWN_STORED_MAX)
        return response


def _looks_early(request):
    """From a visitor with neither a session nor a message waiting: certainly not logged in."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and _cacheable(request)
    )


class AnonymousPageCacheMiddleware:
    """Finds and marks public pages for anonymous visitors; last in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state = getattr(request, "_page_cache", None)
        if state is None:
            # Not a page the cache knows (the admin, a form's post, another view): what read the
            # session or the CSRF token is for this visitor only, unless the view said otherwise.
            if not response.has_header("Cache-Control") and _personal(request, response):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if state == PERSONAL:
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key, current = state
        if current is not None and self._storable(request, response):
            patch_cache_control(response, public=True, max_age=PROXY_MAX_AGE)
            # The same address serves a logged-in user differently: a proxy keys on the cookie.
            patch_vary_headers(response, ["Cookie"])
            response["X-Page-Cache"] = "miss"
            # StoredPageMiddleware stores it, once the middlewares around this one have added
            # their headers. Django has rendered a TemplateResponse before it passes back up.
            request._page_cache_store = (key, current)
            return response
        if _personal(request, response):
            patch_cache_control(response, private=True, no_cache=True)
        # As before process_view looked: SessionMiddleware adds Vary: Cookie, as Django would have.
        session = getattr(request, "session", None)
        if session is not None:
            session.accessed = True
        if _never_stored_type(request):
            _remember(NEVER_STORED, key, NEVER_STORED_MAX)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _looks_in_cache(request, view_func):
            return None
        if request.user.is_authenticated or CookieStorage.cookie_name in request.COOKIES:
            request._page_cache = PERSONAL
            return None
        # Asking whether the visitor is logged in read the session; what matters is whether the
        # page itself reads it (then it is not stored, and Vary: Cookie stays as Django sets it).
        session = getattr(request, "session", None)
        if session is not None:
            session.accessed = False
        looked = getattr(request, "_page_cache_looked", None)
        if looked is not None:
            request._page_cache = looked
            return None
        key = _key(request)
        if key in NEVER_STORED:
            request._page_cache = (key, None)
            return None
        # A page stored under an older generation is stale.
        stored, current = _look(request, key)
        if stored is not None:
            _remember(KNOWN_STORED, key, KNOWN_STORED_MAX)
            return stored
        request._page_cache = (key, current)
        return None

    @staticmethod
    def _storable(request, response):
        page = getattr(request, "_page_cache_page", None)
        if page is None or response.status_code != 200 or _personal(request, response):
            return False
        return _of_a_cached_type(page)


def _of_a_cached_type(page):
    return page.specific_class._meta.label_lower in CACHED_PAGE_TYPES


def _never_stored_type(request):
    page = getattr(request, "_page_cache_page", None)
    return page is not None and not _of_a_cached_type(page)


def remember_page(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: note which page this request serves."""
    request._page_cache_page = page
