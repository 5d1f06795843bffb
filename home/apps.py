from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


def create_cache_table(using="default", **kwargs):
    """The database cache's table (see settings, CACHES), so `migrate` alone sets up a site.

    createcachetable does nothing for a cache that is not the database's, or a table that exists.
    """
    call_command("createcachetable", database=using, verbosity=0)


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user screens, within the powers of whoever uses them (home/users.py)."""

    default = False
    user_viewset = "home.users.UserViewSet"


class HomeConfig(AppConfig):
    default = True
    name = "home"
    verbose_name = _("Public site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from home import page_cache
        from home.roles import grant_site_permissions

        page_cache.connect()

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="home_create_cache_table")
        post_migrate.connect(grant_site_permissions, sender=self, dispatch_uid="home_site_permissions")
