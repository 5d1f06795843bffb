"""The receipt of a complaint filed on the web: a PDF of exactly what was sent (Wmebv)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klachtformulieren.storage import private_storage


def receipt_path(receipt, filename):
    # A random name: nothing about the complainant or the case in the path.
    return f"ontvangstbewijzen/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class SubmissionReceipt(models.Model):
    """Ontvangstbevestiging (Wmebv): what the complainant sent, as it was sent, kept on the case.

    Made once, as the complaint is registered, so a later correction of the case's details does
    not change what the complainant was given; destroying the case (retention) removes it.
    """

    complaint = models.OneToOneField(
        "klachtformulieren.Complaint", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="receipt"
    )
    pdf = models.FileField(_("receipt (PDF)"), storage=private_storage, upload_to=receipt_path, max_length=255)
    made_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self):
        return str(self.complaint)
