"""System checks: what the host site must set for the plugin app, said at start-up."""

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from klachtformulieren import conf


@checks.register(checks.Tags.compatibility)
def check_settings(app_configs, **kwargs):
    problems = []
    if not conf.setting("PRIVATE_MEDIA_ROOT"):
        problems.append(
            checks.Error(
                _("KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT is not set: complaint attachments cannot be stored."),
                hint=_("Set it to a directory outside MEDIA_ROOT that no web server serves."),
                id="klachtformulieren.E001",
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
