from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlachtformulierenConfig(AppConfig):
    """Complaint forms and the cases they become (a reusable plugin app).

    It imports nothing from the host site (``home``, ``portal``); its public templates
    extend ``base.html``, which the host provides.
    """

    name = "klachtformulieren"
    verbose_name = _("Complaints")
    default_auto_field = "django.db.models.BigAutoField"
