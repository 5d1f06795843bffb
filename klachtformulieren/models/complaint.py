"""The complaint case (klacht) and its attachments."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from klachtformulieren import deadlines
from klachtformulieren.storage import private_storage


class Status(models.TextChoices):
    """Where a case stands. The allowed steps between them live in the workflow module."""

    RECEIVED = "received", _("Received")
    INTAKE = "intake", _("In intake")
    HANDLING = "handling", _("Being handled")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    NOT_HANDLED = "not_handled", _("Not taken into handling")
    REFERRED = "referred", _("Referred or forwarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    """How the complaint reached the municipality (Awb 9:2: oral complaints count too)."""

    WEB_FORM = "web_form", _("Web form")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    DESK = "desk", _("In person at the desk")
    OMBUDSMAN = "ombudsman", _("Via the ombudsman")
    INTERNAL = "internal", _("Internal, from a colleague")


class ReferenceSequence(models.Model):
    """The last reference number handed out in a year.

    Registering a complaint locks this row until its transaction commits, so concurrent
    submissions get consecutive numbers, and a rolled-back submission frees its number
    again: references have no duplicates and no gaps.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


def attachment_path(attachment, filename):
    # A random folder name: nothing about the complainant or the case in the path.
    return f"klachten/{attachment.complaint.received_at:%Y/%m}/{uuid.uuid4().hex}/{filename}"


class Complaint(models.Model):
    """A complaint (klacht, klaagschrift) about how the municipality behaved (Awb 9:1)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB_FORM)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )

    # The complainant (Awb 9:4: name and address are required for the formal procedure).
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    representative_name = models.CharField(
        _("filed by"), max_length=200, blank=True, help_text=_("Someone who complains on behalf of the complainant.")
    )
    representative_relation = models.CharField(_("relation to the complainant"), max_length=200, blank=True)

    # The conduct complained about.
    description = models.TextField(_("what happened"))
    conduct_date = models.DateField(_("date of the conduct"))
    conduct_date_end = models.DateField(_("end of the period"), null=True, blank=True)
    conduct_involved = models.TextField(_("where, which team or employee"), blank=True)
    desired_outcome = models.TextField(_("desired outcome"), blank=True)
    extra_answers = models.JSONField(_("answers to further questions"), default=list, blank=True)

    form_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_notice_acknowledged_at = models.DateTimeField(_("privacy notice acknowledged at"), null=True, blank=True)
    # Only the hash of the complainant's secret status link is kept (see status.py).
    status_token_hash = models.CharField(max_length=64, unique=True, editable=False)

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("about partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        help_text=_("The organisation carrying out a public task that the complaint is about."),
    )
    kind = models.ForeignKey(
        "klachtformulieren.ComplaintKind",
        verbose_name=_("kind"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    unit = models.ForeignKey(
        "klachtformulieren.OrganisationUnit",
        verbose_name=_("organisation unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    postponed_weeks = models.PositiveSmallIntegerField(_("postponed by (weeks)"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["status_token_hash"])

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="unique_complaint_number_per_year")]

    def __str__(self):
        return self.reference

    @property
    def received_on(self):
        return timezone.localdate(self.received_at)

    def decision_due(self):
        return deadlines.decision_due(self.received_on, postponed_weeks=self.postponed_weeks)

    def first_contact_due(self):
        return deadlines.first_contact_due(self.received_on)


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name
