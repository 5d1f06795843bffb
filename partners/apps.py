from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Organisations that carry out public tasks for the municipality (a plugin app).

    The lower layer: it imports nothing from ``klachtformulieren``, ``home`` or ``portal``.
    """

    name = "partners"
    verbose_name = _("Partners")
    default_auto_field = "django.db.models.BigAutoField"
