"""System checks: what the host site must set for the plugin app, said at start-up.

Each names the missing piece and how to add it (docs/install.md has the whole list).
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from klachtformulieren import conf

# The apps klachtformulieren's models, pages and admin screens need beside Wagtail's defaults.
REQUIRED_APPS = (
    "partners",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.api.v3",
    "wagtail_modeladmin",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
)
HISTORY_MIDDLEWARE = "simple_history.middleware.HistoryRequestMiddleware"


@checks.register(checks.Tags.compatibility)
def check_installed_apps(app_configs, **kwargs):
    return [
        checks.Error(
            _("%(app)s is not in INSTALLED_APPS; klachtformulieren needs it.") % {"app": name},
            hint=_("Add it to INSTALLED_APPS (docs/install.md, step 2)."),
            id="klachtformulieren.E002",
        )
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]


@checks.register(checks.Tags.compatibility)
def check_settings(app_configs, **kwargs):
    problems = []
    private_root = conf.setting("PRIVATE_MEDIA_ROOT")
    private_storage = conf.setting("PRIVATE_STORAGE")
    if private_storage:
        if private_storage not in settings.STORAGES:
            problems.append(
                checks.Error(
                    _("KLACHTFORMULIEREN_PRIVATE_STORAGE names %(alias)s, which is not in STORAGES.")
                    % {"alias": private_storage},
                    hint=_("Add the private storage to STORAGES under that name."),
                    id="klachtformulieren.E005",
                )
            )
    elif not private_root:
        problems.append(
            checks.Error(
                _("KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT is not set: complaint attachments cannot be stored."),
                hint=_(
                    "Set it to a directory outside MEDIA_ROOT that no web server serves, or "
                    "KLACHTFORMULIEREN_PRIVATE_STORAGE to a private storage."
                ),
                id="klachtformulieren.E001",
            )
        )
    elif settings.MEDIA_ROOT and Path(private_root).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        problems.append(
            checks.Error(
                _("KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT lies inside MEDIA_ROOT: attachments would be public."),
                hint=_("Choose a directory outside MEDIA_ROOT."),
                id="klachtformulieren.E004",
            )
        )
    if HISTORY_MIDDLEWARE not in settings.MIDDLEWARE:
        problems.append(
            checks.Error(
                _("%(middleware)s is not in MIDDLEWARE: the case history would not record who changed a case.")
                % {"middleware": HISTORY_MIDDLEWARE},
                hint=_("Add it to MIDDLEWARE, after AuthenticationMiddleware."),
                id="klachtformulieren.E003",
            )
        )
    if settings.DEFAULT_FROM_EMAIL == "webmaster@localhost":
        problems.append(
            checks.Warning(
                _("DEFAULT_FROM_EMAIL is Django's default: mails to complainants would come from webmaster@localhost."),
                hint=_("Set DEFAULT_FROM_EMAIL to the municipality's own address."),
                id="klachtformulieren.W002",
            )
        )
    translated = {"nl", "en"}
    language = settings.LANGUAGE_CODE.split("-")[0].lower()
    if language not in translated:
        problems.append(
            checks.Warning(
                _("LANGUAGE_CODE is %(language)s: klachtformulieren has no translation for it.")
                % {"language": settings.LANGUAGE_CODE},
                hint=_("Its texts are shown in English; translations exist for: %(languages)s.")
                % {"languages": ", ".join(sorted(translated))},
                id="klachtformulieren.W003",
            )
        )
    for name in dir(settings):
        if name.startswith(conf.PREFIX) and name.removeprefix(conf.PREFIX) not in conf.SETTINGS:
            problems.append(
                checks.Warning(
                    _("%(name)s is not a setting of klachtformulieren.") % {"name": name},
                    hint=_("Known settings: %(names)s.") % {"names": ", ".join(sorted(conf.SETTINGS))},
                    id="klachtformulieren.W001",
                )
            )
    return problems
