"""A staff member's own named selections of the case list ("Opgeslagen filters")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedCaseFilter(models.Model):
    """A filter combination of the case list (its query string), saved under a name by one user.
    Only its owner sees it; the cases it finds are still only those the owner may see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="saved_case_filters"
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="unique_saved_case_filter_name")]

    def __str__(self):
        return self.name
