"""The portal's URLs with one extra, bare Django view in front: the baseline for page benchmarks.

The bare view runs the full middleware stack but no database queries and no templates, so
"page requests/s divided by bare requests/s" shows what rendering a page costs.
"""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_patterns


def bare(request):
    return HttpResponse("ok")


# First, because the portal's last pattern is Wagtail's catch-all for pages.
urlpatterns = [path("__bench__/bare/", bare, name="bench_bare"), *portal_patterns]
