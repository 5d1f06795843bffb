"""The public figures page: the year's complaint figures for everyone to read (Awb 9:12a).

Rendered live from the cases on every visit, so the page and the annual report never
disagree. What is published, and how small numbers are hidden, is in
``klachtformulieren.reporting.publication``.
"""

from http import HTTPMethod

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from klachtformulieren.reporting import publication, satisfaction
from klachtformulieren.reporting.annual import annual_report

TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]
YEAR_PARAMETER = "jaar"


class AnnualFiguresPage(Page):
    """Klachten in cijfers: the aggregate figures of one complete year, without personal data."""

    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Whose figures this page shows. Leave empty for all municipalities of this site together."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        help_text=_(
            "The year shown first. Leave empty to always show the last complete year. "
            "Visitors can choose another complete year."
        ),
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        _("hide counts below"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Privacy: in a table that combines two things, such as kind of complaint and outcome, a small "
            "number can point to a person. Numbers below this value are hidden there, and so are the numbers "
            "that would let someone work them out. Totals stay visible."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("municipality"),
        FieldPanel("year"),
        FieldPanel("suppression_threshold"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    max_count = None  # one per municipality on a shared service's site
    subpage_types = []
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]
    template = "klachtformulieren/annual_figures_page.html"

    class Meta:
        verbose_name = _("complaint figures page")
        verbose_name_plural = _("complaint figures pages")

    def clean(self):
        super().clean()
        if self.year is not None and self.year >= timezone.localdate().year:
            raise ValidationError({"year": _("Choose a year that has ended, or leave this empty.")})

    def default_year(self, today):
        """The fixed year, or the last complete one; never a year that has not ended."""
        last_complete = today.year - 1
        return min(self.year, last_complete) if self.year else last_complete

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        default = self.default_year(today)
        years = sorted({default, *publication.years_with_cases(self.municipality, before=today.year)}, reverse=True)
        year, rejected = publication.choose_year(request.GET.get(YEAR_PARAMETER), years=years, default=default)
        # Only the figures go to the template, never the report itself (it holds free texts).
        report = annual_report(year, self.municipality)
        figures = publication.public_figures(report, self.suppression_threshold)
        figures.cross_tables.append(satisfaction.public_table(year, self.municipality, self.suppression_threshold))
        context.update(
            {
                "figures": figures,
                "years": years,
                "year_parameter": YEAR_PARAMETER,
                "year_rejected": rejected,
            }
        )
        return context
