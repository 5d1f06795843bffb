"""Small public views around the pages: search, robots.txt and security.txt."""

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from home.models import MunicipalitySettings
from partners.pages import SearchHit, partner_search_hits

SEARCH_RESULTS_PER_PAGE = 10
SEARCH_QUERY_MAX_LENGTH = 200


class SearchResults:
    """The organisations a search finds (their pages are not Wagtail pages), then the pages, as
    one sequence the paginator can count and slice: only the slice shown is fetched."""

    def __init__(self, hits, pages, request):
        self.hits = hits
        self.pages = pages
        self.request = request

    def count(self):
        return len(self.hits) + self.pages.count()

    def __getitem__(self, key):
        start, stop = key.start or 0, key.stop
        shown = self.hits[start:stop]
        page_start = max(0, start - len(self.hits))
        page_stop = None if stop is None else stop - len(self.hits)
        if page_stop is None or page_stop > 0:
            shown += [
                SearchHit(title=page.title, url=page.get_url(self.request), description=page.search_description)
                for page in self.pages[page_start:page_stop]
            ]
        return shown


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    site = Site.find_for_request(request)
    hits, pages = [], Page.objects.none()
    if query and site:
        hits = partner_search_hits(query, site.root_page, request)
        pages = Page.objects.live().public().descendant_of(site.root_page, inclusive=True).search(query)
    paginator = Paginator(SearchResults(hits, pages, request), SEARCH_RESULTS_PER_PAGE)
    results_page = paginator.get_page(request.GET.get("pagina"))
    return TemplateResponse(
        request,
        "home/search.html",
        {"query": query, "results": results_page, "paginator": paginator},
    )


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Disallow: {reverse('search')}",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def security_txt(request):
    """RFC 9116. Municipalities must publish one (a Dutch government baseline)."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    site_settings = MunicipalitySettings.for_site(site)
    contact = site_settings.security_contact
    municipality = site_settings.municipality
    if not contact and municipality and municipality.contact_email:
        contact = f"mailto:{municipality.contact_email}"
    if not contact:
        raise Http404
    expires = datetime.datetime.combine(site_settings.security_expires, datetime.time(23, 59, 59), datetime.UTC)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    if site_settings.security_policy_url:
        lines.append(f"Policy: {site_settings.security_policy_url}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page declares: the static icon.
    Not a permanent redirect: the static file's address changes with its content."""
    return redirect(static("img/favicon.ico"))
