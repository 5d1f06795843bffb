"""The municipality a case belongs to. One install may serve several (a shared service)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in exports and on the command line."))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    coordinators_email = models.EmailField(
        _("complaint coordinators' email"),
        help_text=_("Every new complaint is announced to this address."),
    )
    # The second line (Awb 9:12): most municipalities use the Nationale ombudsman,
    # some a local or regional ombudsman. Outcome letters name it.
    ombudsman_name = models.CharField(_("ombudsman"), max_length=120, default="Nationale ombudsman")
    ombudsman_url = models.URLField(_("ombudsman web address"), default="https://www.nationaleombudsman.nl/")
    ombudsman_term_months = models.PositiveSmallIntegerField(
        _("term to turn to the ombudsman (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Awb 9:24: one year after the municipality's outcome."),
    )

    # Selectielijst gemeenten 2020, process type 13 "Geschillen behandelen" (docs/privacy.md):
    # a handled complaint is destroyed 5 years after closing (13.1), one handled via the
    # ombudsman 10 years after (13.1.2), one not taken into handling (13.1.4) or withdrawn
    # (13.2, afgebroken) 1 year after.
    # The selection list's periods are minimums: a municipality may keep longer, never shorter
    # (Archiefwet); changes are in the record's history.
    retention_years = models.PositiveSmallIntegerField(
        _("retention after closing (years)"),
        default=5,
        validators=[MinValueValidator(5), MaxValueValidator(30)],
        help_text=_("Selection list 13.1: the personal data of a closed case are destroyed this long after closing."),
    )
    retention_years_ombudsman = models.PositiveSmallIntegerField(
        _("retention when the ombudsman dealt with it (years)"),
        default=10,
        validators=[MinValueValidator(10), MaxValueValidator(30)],
        help_text=_("Selection list 13.1.2: for a case the ombudsman was asked about."),
    )
    retention_years_not_handled = models.PositiveSmallIntegerField(
        _("retention when not taken into handling or withdrawn (years)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Selection list 13.1.4 (not taken into handling, Awb 9:8) and 13.2 (withdrawn)."),
    )

    # The letters of the handling steps (correspondence.letters, correspondence.pdf).
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo on letters"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Printed at the top of every letter. Without a logo the letterhead shows the name."),
    )
    letter_signature = models.CharField(
        _("signed on behalf of"),
        max_length=200,
        blank=True,
        help_text=_(
            "Under the name of who signs a letter, for example “Het college van burgemeester en wethouders”. "
            "Empty: the municipality's name."
        ),
    )
    letters_need_approval = models.BooleanField(
        _("letters need a second person's approval"),
        default=False,
        help_text=_("Four eyes: a coordinator other than the one who wrote a letter approves it before it is sent."),
    )

    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("complaint staff"),
        blank=True,
        related_name="complaint_municipalities",
        help_text=_("Coordinators see every complaint of the municipalities they work for."),
    )

    history = HistoricalRecords()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("phone"),
                FieldPanel("contact_email"),
                FieldPanel("postal_address"),
                FieldPanel("coordinators_email"),
            ],
            heading=_("Municipality"),
        ),
        MultiFieldPanel(
            [FieldPanel("ombudsman_name"), FieldPanel("ombudsman_url"), FieldPanel("ombudsman_term_months")],
            heading=_("Second line: the ombudsman"),
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("letter_signature"), FieldPanel("letters_need_approval")],
            heading=_("Letters"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("retention_years"),
                FieldPanel("retention_years_ombudsman"),
                FieldPanel("retention_years_not_handled"),
            ],
            heading=_("Retention (selection list)"),
        ),
        FieldPanel("staff"),
    ]

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def ombudsman_term_display(self):
        months = self.ombudsman_term_months
        if months % 12 == 0:
            years = months // 12
            return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
