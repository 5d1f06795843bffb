"""System checks: what the host site must install for the partners app."""

from django.apps import apps
from django.core import checks
from django.utils.translation import gettext as _

REQUIRED_APPS = ("wagtail.contrib.routable_page", "wagtail_modeladmin", "modelcluster")


@checks.register(checks.Tags.compatibility)
def check_installed_apps(app_configs, **kwargs):
    return [
        checks.Error(
            _("%(app)s is not in INSTALLED_APPS; partners needs it.") % {"app": name},
            hint=_("Add it to INSTALLED_APPS (docs/install.md, step 2)."),
            id="partners.E001",
        )
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]
