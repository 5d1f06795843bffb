"""A page cache for visitors without a login (issue 19).

Public pages of the kinds in CACHED_PAGE_TYPES come from the shared default cache (the database
cache, or Redis when DJANGO_CACHE_URL is set), so every worker and app server sees one copy.
A response is stored only when rendering it touched neither the session nor the CSRF token and
set no cookie: a page with a form keeps its fresh CSRF and spam tokens, because it is never stored.
Logged-in users are never served from, nor stored into, the cache.

Invalidation is by generation: publishing, unpublishing, moving or deleting a page, and saving or
deleting anything of the apps whose data pages show (menu, site settings, partners, snippets,
images, documents), bumps one counter; a page is stored with the generation it was rendered in,
read together with the current one, and served only when the two are the same.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

GENERATION_KEY = "page-cache:generation"
# Apps whose data public pages show; a change to any of their rows empties the page cache.
SHOWN_APPS = {"wagtailcore", "home", "partners", "wagtailimages", "wagtaildocs", "taggit", "wagtailsnippets"}
# Models of other apps whose rows pages show (names, contact details, kinds).
SHOWN_MODELS = {
    "klachtformulieren.municipality",
    "klachtformulieren.complaintkind",
    "klachtformulieren.organisationunit",
}
CACHED_PAGE_TYPES = {"home.homepage", "home.informationpage"}
TIMEOUT = 300
# Addresses this process saw serve a page that is never stored (a form, the figures, a partner):
# their next visit skips the cache's round trip. Forgetting one costs only that round trip, and
# a wrong entry only a fresh render, so the set may be per process and is simply emptied when full.
NEVER_STORED = set()
NEVER_STORED_MAX = 10_000


def _generation(found):
    """The current generation, from what ``get_many`` found (the first visit ever sets it)."""
    value = found.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, None)
    return value


def invalidate(**kwargs):
    """Make every stored page stale at once (all workers, all app servers)."""
    NEVER_STORED.clear()  # a page of another kind may now stand at an address
    try:
        # A savepoint: during migrate the database cache's table may not exist yet.
        with transaction.atomic():
            try:
                cache.incr(GENERATION_KEY)
            except ValueError:
                cache.set(GENERATION_KEY, 2, None)
    except DatabaseError:
        pass


def _on_model_change(sender, **kwargs):
    if sender._meta.app_label in SHOWN_APPS or sender._meta.label_lower in SHOWN_MODELS:
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
    where = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"page-cache:{get_language()}:{where}"


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD") or not getattr(settings, "PAGE_CACHE", True):
        return False
    if request.user.is_authenticated or "messages" in request.COOKIES:
        return False
    return not request.path.startswith(("/admin", "/django-admin", "/api", "/static", "/media"))


class AnonymousPageCacheMiddleware:
    """Serves and stores public pages for anonymous visitors; last in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            response = self.get_response(request)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            return response
        # One read for the generation and the page together (one query on the database cache);
        # a page stored under an older generation is stale.
        key = _key(request)
        if key in NEVER_STORED:
            return self.get_response(request)
        found = cache.get_many([GENERATION_KEY, key])
        current = _generation(found)
        stored_generation, stored = found.get(key) or (None, None)
        if stored is not None and stored_generation == current:
            stored["X-Page-Cache"] = "hit"
            return stored
        # Asking whether the visitor is logged in read the session; what matters is whether the
        # page itself reads it (then it is not stored, and Vary: Cookie stays as Django sets it).
        session = getattr(request, "session", None)
        if session is not None:
            session.accessed = False
        response = self.get_response(request)
        storable = self._storable(request, response)
        if session is not None and not storable:
            session.accessed = True
        if not storable and _never_stored_type(request):
            if len(NEVER_STORED) >= NEVER_STORED_MAX:
                NEVER_STORED.clear()
            NEVER_STORED.add(key)
        if storable:
            patch_cache_control(response, public=True, max_age=60)
            # Django has rendered a TemplateResponse before it passes back up the middleware.
            cache.set(key, (current, response), TIMEOUT)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _storable(request, response):
        page = getattr(request, "_page_cache_page", None)
        if page is None or response.status_code != 200 or response.cookies:
            return False
        if not _of_a_cached_type(page):
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
            return False
        session = getattr(request, "session", None)
        return not (session is not None and session.accessed)


def _of_a_cached_type(page):
    return page.specific_class._meta.label_lower in CACHED_PAGE_TYPES


def _never_stored_type(request):
    page = getattr(request, "_page_cache_page", None)
    return page is not None and not _of_a_cached_type(page)


def remember_page(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: note which page this request serves."""
    request._page_cache_page = page
