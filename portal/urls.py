from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from home.audit_log import SiteHistoryView

urlpatterns = [
    # Before Wagtail's own: its audit log spans every municipality (home/audit_log.py).
    path("admin/reports/site-history/", SiteHistoryView.as_view(), name="portal_site_history"),
    path(
        "admin/reports/site-history/results/",
        SiteHistoryView.as_view(results_only=True),
        name="portal_site_history_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("zoeken/", home_views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path(".well-known/security.txt", home_views.security_txt, name="security_txt"),
    path("klachten/", include("klachtformulieren.urls")),
    # Wagtail's v3 API with our routers, added in each app's AppConfig.ready() (README, "API").
    path("api/v3/", api.urls),
]

# Django's own admin is a second sign-in page without the Wagtail admin's protections: for
# developers only (DJANGO_ADMIN_ENABLED, default on only with DEBUG; production never).
if settings.DJANGO_ADMIN_ENABLED:
    urlpatterns.insert(0, path("django-admin/", admin.site.urls))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Everything else is a Wagtail page; this must come last.
urlpatterns += [path("", include(wagtail_urls))]
