from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Organisations that carry out public tasks for the municipality (a plugin app).

    The lower layer: it imports nothing from ``klachtformulieren``, ``home`` or ``portal``.
    """

    name = "partners"
    verbose_name = _("Partners")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        # Django's model-loading phase: the directory page type serves views and calls the
        # directory's queries, so it lives above the partner data, in partners.pages.
        super().import_models()
        import_module("partners.pages")

    def ready(self):
        # Django's lazy-loading place: these modules import models, which are loaded now.
        from wagtail.api.v3.urls import api

        from partners import checks  # noqa: F401 (registers the system checks)
        from partners.api import router

        # ready() can run twice (some test runners, management commands); a router mounts once.
        if not any(mounted is router for _, mounted in api._routers):
            api.add_router("/partners/", router)
