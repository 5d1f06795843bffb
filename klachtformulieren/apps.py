from contextlib import suppress
from importlib import import_module
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Wagtail page types are controllers as well as models: each serves its feature's views and
# calls its services, so it lives in its feature's package, above the case data in
# ``klachtformulieren.models`` (which must not import services or views).
PAGE_MODULES = (
    "klachtformulieren.intake.pages",
    "klachtformulieren.reporting.pages",
    "klachtformulieren.route_finder.pages",
)


class KlachtformulierenConfig(AppConfig):
    """Complaint forms and the cases they become (a reusable plugin app).

    It imports nothing from the host site (``home``, ``portal``); its public templates
    extend ``base.html``, which the host provides.
    """

    name = "klachtformulieren"
    verbose_name = _("Complaints")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        # Django's model-loading phase: the page types are registered with the case data,
        # before any app's ready() (Wagtail's search index connects its signals there).
        super().import_models()
        for module in PAGE_MODULES:
            import_module(module)

    def ready(self):
        # Django's lazy-loading place: these modules import models, which are loaded now.
        from django_tasks.signals import task_finished
        from wagtail.api.v3.urls import api

        from klachtformulieren import checks  # noqa: F401 (registers the system checks)
        from klachtformulieren.api import router
        from klachtformulieren.worker.tasks import ensure_scheduled

        # Our routes in Wagtail's v3 API; ready() can run twice (some test runners), a router mounts once.
        if not any(mounted is router for _, mounted in api._routers):
            api.add_router("/klachtformulieren/", router)

        create_upload_temp_dir()

        # The role groups are made by ``manage.py setup_roles`` (docs/install.md), not on migrate.
        # The worker's housekeeping task is queued after migrate, and again by the worker
        # whenever it finds none (see worker/tasks.py).
        post_migrate.connect(ensure_scheduled, sender=self, dispatch_uid="klachtformulieren_housekeeping")
        task_finished.connect(ensure_scheduled, dispatch_uid="klachtformulieren_housekeeping")


def create_upload_temp_dir():
    """Uploads spool to FILE_UPLOAD_TEMP_DIR, which Django expects to exist; the worker cleans it.

    Created here, before the system checks run, so a fresh install needs no extra step. When it
    cannot be made, Django's own check (files.E001) says so.
    """
    if settings.FILE_UPLOAD_TEMP_DIR:
        with suppress(OSError):
            Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
