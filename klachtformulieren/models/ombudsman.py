"""The second line: requests from an ombudsman about the municipality (Awb 9:17 and further).

A complainant who is not satisfied turns to the ombudsman (the Nationale ombudsman, the
Kinderombudsman or a local one). The ombudsman asks the municipality for information, may
mediate ("intervention"), write a report letter or investigate and report, sometimes with
a recommendation. The annual report counts these requests by result.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OmbudsmanRequest(models.Model):
    class Ombudsman(models.TextChoices):
        NATIONAL = "national", _("Nationale ombudsman")
        CHILDREN = "children", _("Kinderombudsman")
        LOCAL = "local", _("Local or regional ombudsman")

    class Result(models.TextChoices):
        """How the ombudsman dealt with it. The codes are fixed: the annual report uses them."""

        OPEN = "open", _("Still open")
        CLOSED_WITHOUT_INVESTIGATION = "closed_without_investigation", _("Closed without investigation")
        INTERVENTION = "intervention", _("Intervention (mediated by the ombudsman)")
        REPORT_LETTER = "report_letter", _("Report letter")
        INVESTIGATION = "investigation", _("Investigation and report")
        RECOMMENDATION = "recommendation", _("Investigation with a recommendation")

    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="ombudsman_requests",
    )
    ombudsman = models.CharField(_("ombudsman"), max_length=10, choices=Ombudsman.choices, default=Ombudsman.NATIONAL)
    ombudsman_reference = models.CharField(_("ombudsman's reference"), max_length=60, blank=True)
    complaint = models.ForeignKey(
        "klachtformulieren.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ombudsman_requests",
        help_text=_("The municipality's own complaint case, when there was one."),
    )
    received_on = models.DateField(_("received on"))
    subject = models.TextField(_("what it is about"))
    result = models.CharField(_("result"), max_length=30, choices=Result.choices, default=Result.OPEN, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ombudsman request")
        verbose_name_plural = _("ombudsman requests")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        reference = f" {self.ombudsman_reference}" if self.ombudsman_reference else ""
        return f"{self.get_ombudsman_display()}{reference} ({self.received_on:%d-%m-%Y})"

    def clean(self):
        errors = {}
        if self.result == self.Result.OPEN and self.closed_on:
            errors["closed_on"] = _("An open request has no closing date. Choose its result, or clear the date.")
        if self.result != self.Result.OPEN and not self.closed_on:
            errors["closed_on"] = _("Fill in when the ombudsman closed the request.")
        if self.closed_on and self.received_on and self.closed_on < self.received_on:
            errors["closed_on"] = _("The closing date lies before the date received.")
        if self.complaint_id and self.municipality_id and self.complaint.municipality_id != self.municipality_id:
            errors["complaint"] = _("This complaint belongs to another municipality.")
        if errors:
            raise ValidationError(errors)
