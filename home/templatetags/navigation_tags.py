"""Navigation for the public layout: main menu, breadcrumbs and link addresses.

Each tag costs a fixed number of queries, whatever the number of pages in the menu
(tests/home/test_query_counts.py holds it to that). The menu of a site and the breadcrumbs of a
page are kept per process for one generation of the page cache (home/page_cache.py), which
every change to a page, its view restrictions or a site bumps: a page rendered afresh reads the
generation (once per request, and the page cache's middleware has read it already) instead of
three queries for the menu (the view restrictions, the pages, the site's root paths) and one for
the breadcrumbs. The site-wide parts of the layout (the header's name and logo, the footer) are
kept the same way, rendered (``kept_for_site``).
"""

from django import template
from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Page, Site

from home import page_cache

register = template.Library()

# (site id) -> (generation, menu entries), (site id, page id, path) -> (generation, breadcrumbs),
# (fragment name, site id, language) -> (generation, rendered HTML).
_MENUS = {}
_CRUMBS = {}
_FRAGMENTS = {}
KEPT_MAX = 10_000


def _kept(store, key, request, compute):
    """What ``compute()`` returns, kept in ``store`` under ``key`` for the current generation."""
    current = page_cache.generation(request)
    found = store.get(key)
    if found is not None and found[0] == current:
        return found[1]
    value = compute()
    if len(store) >= KEPT_MAX:
        store.clear()
    store[key] = (current, value)
    return value


def _menu_entries(request, root):
    children = root.get_children().live().public().in_menu().only("id", "path", "depth", "url_path", "title")
    return [
        {"pk": child.pk, "title": child.title, "url": child.get_url(request), "path": child.path} for child in children
    ]


@register.inclusion_tag("home/includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    current = context.get("page")
    site = Site.find_for_request(request)
    items = []
    if site is not None:
        entries = _kept(_MENUS, site.pk, request, lambda: _menu_entries(request, site.root_page))
        for entry in entries:
            active = current is not None and current.path.startswith(entry["path"])
            items.append({**entry, "active": active})
    return {"items": items, "current": current, "request": request}


def _ancestor_crumbs(request, page, root):
    ancestors = (
        Page.objects.ancestor_of(page)
        .filter(depth__gte=root.depth)
        .only("id", "path", "depth", "url_path", "title")
        .order_by("depth")
    )
    return [{"title": a.title, "url": a.get_url(request)} for a in ancestors]


@register.inclusion_tag("home/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    request = context["request"]
    page = context.get("page")
    site = Site.find_for_request(request)
    root = site.root_page if site else None
    if page is None or root is None or page.depth <= root.depth:
        return {"ancestors": [], "page": page}
    if page.pk is None:  # the preview of a page not saved yet
        crumbs = _ancestor_crumbs(request, page, root)
    else:
        key = (site.pk, page.pk, page.path)
        crumbs = list(_kept(_CRUMBS, key, request, lambda: _ancestor_crumbs(request, page, root)))
    # A page's own sub-page (a partner in the directory) names itself; the page becomes a link.
    current = context.get("breadcrumb_current")
    if current:
        crumbs.append({"title": page.title, "url": page.get_url(request)})
    return {"ancestors": crumbs, "page": page, "current": current or page.title}


class KeptForSiteNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        site = Site.find_for_request(request) if request is not None else None
        if site is None:
            return self.nodelist.render(context)
        key = (self.name, site.pk, get_language())
        return _kept(_FRAGMENTS, key, request, lambda: self.nodelist.render(context))


@register.tag
def kept_for_site(parser, token):
    """``{% kept_for_site "footer" %}...{% endkept_for_site %}``: a part of the layout rendered
    once per site, language and generation, per process (the header's name and logo, the footer).

    Only for what shows site-wide facts (site settings, the municipality, the logo, pages'
    addresses), never anything of the page, the visitor or the request (no form, no CSRF token).
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the fragment's name.")
    nodelist = parser.parse(("endkept_for_site",))
    parser.delete_first_token()
    return KeptForSiteNode(bits[1].strip("\"'"), nodelist)


@register.simple_tag(takes_context=True)
def link_url(context, link):
    """The address of a LinkBlock value: the chosen page, or else the web address."""
    page = link.get("page")
    if page:
        return page.get_url(context.get("request")) or ""
    return link.get("external_url") or ""


@register.simple_tag
def portal_name():
    """The portal's name (WAGTAIL_SITE_NAME): what the admin's tab titles end in."""
    return settings.WAGTAIL_SITE_NAME
