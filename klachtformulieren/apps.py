from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KlachtformulierenConfig(AppConfig):
    """Complaint forms and the cases they become (a reusable plugin app).

    It imports nothing from the host site (``home``, ``portal``); its public templates
    extend ``base.html``, which the host provides.
    """

    name = "klachtformulieren"
    verbose_name = _("Complaints")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.api.v3.urls import api

        from klachtformulieren.api import router
        from klachtformulieren.roles import create_roles_after_migrate

        # Our routes in Wagtail's v3 API; ready() can run twice (some test runners), a router mounts once.
        if not any(mounted is router for _, mounted in api._routers):
            api.add_router("/klachtformulieren/", router)

        # Once per migrate, after this app's tables and every app's permissions exist.
        post_migrate.connect(create_roles_after_migrate, sender=self, dispatch_uid="klachtformulieren_roles")
