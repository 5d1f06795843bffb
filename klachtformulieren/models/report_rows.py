"""The annual report's figures of a closed year, kept as computed rows.

One row per year and municipality holds what the report's queries over the cases gave for
that year (``reporting.year_rows`` computes them, grouped on ids, names added when read):
never typed in, recomputed when a case that shows in that year's report changes. The report
of a closed year reads these instead of a million cases; the current year is always
computed from the cases.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnualReportRows(models.Model):
    """The computed figures of one municipality's closed year (see ``reporting.year_rows``)."""

    year = models.PositiveSmallIntegerField(_("year"))
    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    rows = models.JSONField(_("computed figures"), editable=False)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("computed annual report figures")
        verbose_name_plural = _("computed annual report figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "municipality"], name="unique_report_rows_per_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.municipality_id}"
