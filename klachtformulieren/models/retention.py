"""The destruction records (the Archiefwet's "verklaring van vernietiging"): which cases lost
their personal data, when, and under which class of the selection list. They hold no
personal data themselves: the reference, the year and the dates only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DestructionRecord(models.Model):
    """One run of ``apply_retention`` (or one erasure on request) that destroyed something."""

    performed_at = models.DateTimeField(_("performed at"), auto_now_add=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("performed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the daily run."),
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")
        ordering = ["-performed_at", "-pk"]

    def __str__(self):
        return f"{self.performed_at:%Y-%m-%d %H:%M} ({self.reason})"


class DestroyedCase(models.Model):
    record = models.ForeignKey(
        DestructionRecord, verbose_name=_("destruction record"), on_delete=models.PROTECT, related_name="cases"
    )
    complaint = models.OneToOneField(
        "klachtformulieren.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        related_name="destruction",
    )
    reference = models.CharField(_("reference"), max_length=20)
    municipality = models.ForeignKey(
        "klachtformulieren.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    selection_class = models.CharField(_("selection list class"), max_length=20)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    retention_until = models.DateField(_("retention until"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed at"))

    class Meta:
        verbose_name = _("destroyed case")
        verbose_name_plural = _("destroyed cases")
        ordering = ["-destroyed_at", "reference"]

    def __str__(self):
        return self.reference
