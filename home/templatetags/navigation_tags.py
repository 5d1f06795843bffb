"""Navigation for the public layout: main menu, breadcrumbs and link addresses.

Each tag costs a fixed number of queries, whatever the number of pages in the menu
(tests/home/test_query_counts.py holds it to that).
"""

from django import template
from django.conf import settings
from wagtail.models import Page, Site

register = template.Library()


def _site_root(request):
    site = Site.find_for_request(request)
    return site.root_page if site else None


@register.inclusion_tag("home/includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    current = context.get("page")
    root = _site_root(request)
    items = []
    if root is not None:
        children = root.get_children().live().public().in_menu().only("id", "path", "depth", "url_path", "title")
        for child in children:
            active = current is not None and (current.path.startswith(child.path))
            items.append({"title": child.title, "url": child.get_url(request), "active": active, "page": child})
    return {"items": items, "current": current, "request": request}


@register.inclusion_tag("home/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    request = context["request"]
    page = context.get("page")
    root = _site_root(request)
    if page is None or root is None or page.depth <= root.depth:
        return {"ancestors": [], "page": page}
    ancestors = (
        Page.objects.ancestor_of(page)
        .filter(depth__gte=root.depth)
        .only("id", "path", "depth", "url_path", "title")
        .order_by("depth")
    )
    crumbs = [{"title": a.title, "url": a.get_url(request)} for a in ancestors]
    # A page's own sub-page (a partner in the directory) names itself; the page becomes a link.
    current = context.get("breadcrumb_current")
    if current:
        crumbs.append({"title": page.title, "url": page.get_url(request)})
    return {"ancestors": crumbs, "page": page, "current": current or page.title}


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
