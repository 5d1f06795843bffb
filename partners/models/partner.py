"""Organisations that carry out public tasks for the municipality, and how to complain there.

The Nationale Ombudsman's rules for municipalities that outsource public tasks: the citizen
always finds a listening ear; no contract without a good complaint arrangement; complaint
handling is low-threshold; the municipality learns from complaints handled by providers.
Public facts (channels, procedure, second line) live on ``Partner`` and its channels;
contract facts live on ``PartnerContract`` and are for staff only: no public template and
no API serializer may touch them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from partners.models.fields import optional_foreign_key


class Topic(models.Model):
    """A public task, e.g. youth care, social support, waste collection."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name"), unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SecondLine(models.TextChoices):
    COMPLAINTS_COMMITTEE = "complaints_committee", _("Its own complaints committee")
    DISPUTES_COMMITTEE = "disputes_committee", _("A disputes committee")
    NATIONAL_OMBUDSMAN = "national_ombudsman", _("The Nationale ombudsman")
    CHILDRENS_OMBUDSMAN = "childrens_ombudsman", _("The Kinderombudsman")
    OTHER = "other", _("Another body")


class Partner(index.Indexed, ClusterableModel):
    class Kind(models.TextChoices):
        CONTRACTED = "contracted", _("Contracted provider")
        JOINT_ARRANGEMENT = "joint_arrangement", _("Joint arrangement (gemeenschappelijke regeling)")
        SUBSIDISED = "subsidised", _("Subsidised organisation")
        PUBLIC_BODY = "public_body", _("Other public body")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("web address name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    topics = ParentalManyToManyField(Topic, verbose_name=_("public tasks"), related_name="partners", blank=True)
    description = models.TextField(_("short description"), max_length=600, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = optional_foreign_key("wagtailimages.Image", _("logo"))
    published = models.BooleanField(_("published"), default=False, db_index=True)

    procedure = models.TextField(
        _("how their complaint procedure works"),
        blank=True,
        help_text=_("A few plain sentences: what happens after you complain there, and how long it takes."),
    )
    regulation_url = models.URLField(_("complaint regulation (web address)"), blank=True)
    second_line = models.CharField(_("second line"), max_length=30, choices=SecondLine.choices, blank=True)
    second_line_name = models.CharField(
        _("name of the second line"), max_length=150, blank=True, help_text=_("For example the name of the committee.")
    )
    second_line_url = models.URLField(_("web address of the second line"), blank=True)

    history = HistoricalRecords(m2m_fields=[])

    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("published"),
    ]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("kind"),
                FieldPanel("topics"),
                FieldPanel("description"),
                FieldPanel("website"),
                FieldPanel("logo"),
                FieldPanel("published"),
            ],
            heading=_("Organisation"),
        ),
        InlinePanel("channels", heading=_("Where and how to complain there"), label=_("Channel")),
        MultiFieldPanel(
            [
                FieldPanel("procedure"),
                FieldPanel("regulation_url"),
                FieldPanel("second_line"),
                FieldPanel("second_line_name"),
                FieldPanel("second_line_url"),
            ],
            heading=_("Their procedure and second line"),
        ),
        InlinePanel("contracts", heading=_("Contracts (staff only, never public)"), label=_("Contract")),
    ]

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def second_line_label(self):
        """Where to go after the partner's own procedure: its own name for it, else the kind of body."""
        return self.second_line_name or self.get_second_line_display()

    @property
    def initial(self):
        first = self.name.strip()[:1].upper()
        return first if first.isalpha() else "#"


class PartnerComplaintChannel(Orderable):
    class Kind(models.TextChoices):
        WEB_FORM = "web_form", _("Web form")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        POST = "post", _("Post")
        DESK = "desk", _("Desk")

    partner = ParentalKey(Partner, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("channel"), max_length=20, choices=Kind.choices)
    value = models.CharField(
        _("address, number or web address"),
        max_length=300,
        help_text=_("A web address, email address, phone number or postal address."),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("value")]),
        FieldPanel("opening_hours"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("complaint channel")
        verbose_name_plural = _("complaint channels")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        if self.kind == self.Kind.WEB_FORM and not self.value.startswith(("https://", "http://")):
            raise ValidationError({"value": _("A web form needs a web address starting with https://.")})
        if self.kind == self.Kind.EMAIL and "@" not in self.value:
            raise ValidationError({"value": _("Fill in an email address.")})

    @property
    def href(self):
        if self.kind == self.Kind.WEB_FORM:
            return self.value
        if self.kind == self.Kind.EMAIL:
            return f"mailto:{self.value}"
        if self.kind == self.Kind.PHONE:
            return "tel:" + "".join(ch for ch in self.value if ch.isdigit() or ch == "+")
        return ""


class PartnerContract(Orderable):
    """What the municipality agreed with the partner. Staff only (Ombudsman rule 2)."""

    partner = ParentalKey(Partner, on_delete=models.CASCADE, related_name="contracts")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    has_complaint_arrangement = models.BooleanField(_("contains a complaint arrangement"), default=False)
    arrangement_checked_on = models.DateField(_("arrangement checked on"), null=True, blank=True)
    contract_manager = models.CharField(_("contract manager at the municipality"), max_length=150, blank=True)
    contract_manager_email = models.EmailField(_("contract manager's email"), blank=True)
    must_report_figures = models.BooleanField(_("must report complaint figures every year"), default=True)

    panels = [
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldRowPanel([FieldPanel("has_complaint_arrangement"), FieldPanel("arrangement_checked_on")]),
        FieldRowPanel([FieldPanel("contract_manager"), FieldPanel("contract_manager_email")]),
        FieldPanel("must_report_figures"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self):
        return f"{self.partner}: {self.starts_on:%Y-%m-%d}"

    def clean(self):
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The contract ends before it starts.")})

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class PartnerAnnualFigures(models.Model):
    """A partner's own complaint figures for a year (Haarlem's 'annual insight')."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="annual_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    received = models.PositiveIntegerField(_("complaints received"))
    resolved_informally = models.PositiveIntegerField(_("resolved informally"), default=0)
    well_founded = models.PositiveIntegerField(_("well founded"), default=0)
    partly_well_founded = models.PositiveIntegerField(_("partly well founded"), default=0)
    unfounded = models.PositiveIntegerField(_("unfounded"), default=0)
    not_handled = models.PositiveIntegerField(_("not handled"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    open_at_year_end = models.PositiveIntegerField(_("still open at the end of the year"), default=0)
    by_nature = models.JSONField(
        _("by nature"), default=dict, blank=True, help_text=_('For example {"bejegening": 4, "wachttijd": 7}.')
    )
    handling_notes = models.TextField(_("how they were handled"), blank=True)

    history = HistoricalRecords()

    OUTCOME_FIELDS = (
        "resolved_informally",
        "well_founded",
        "partly_well_founded",
        "unfounded",
        "not_handled",
        "withdrawn",
        "open_at_year_end",
    )

    panels = [
        FieldRowPanel([FieldPanel("partner"), FieldPanel("year"), FieldPanel("received")]),
        MultiFieldPanel([FieldPanel(name) for name in OUTCOME_FIELDS], heading=_("By outcome")),
        FieldPanel("by_nature"),
        FieldPanel("handling_notes"),
    ]

    class Meta:
        verbose_name = _("annual complaint figures")
        verbose_name_plural = _("annual complaint figures")
        ordering = ["-year", "partner__name"]
        constraints = [models.UniqueConstraint(fields=["partner", "year"], name="unique_partner_figures_per_year")]

    def __str__(self):
        return f"{self.partner} {self.year}"

    def clean(self):
        by_outcome = sum(getattr(self, name) or 0 for name in self.OUTCOME_FIELDS)
        if self.received is not None and by_outcome != self.received:
            raise ValidationError(
                _("The outcomes add up to %(sum)s, but %(received)s complaints were received.")
                % {"sum": by_outcome, "received": self.received}
            )
        if not isinstance(self.by_nature, dict) or not all(
            isinstance(count, int) and count >= 0 for count in self.by_nature.values()
        ):
            raise ValidationError({"by_nature": _("Give a whole number of complaints for each nature.")})
        if self.by_nature and sum(self.by_nature.values()) != self.received:
            raise ValidationError({"by_nature": _("The natures do not add up to the complaints received.")})
