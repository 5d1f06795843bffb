"""The complainants' own say: the share satisfied with how their complaint was handled, from the
survey mailed when a case is closed (correspondence.survey), overall and per kind.

Counted over the complaints received in the year whose survey was answered, like the report's
other tables; on the public figures page with the same protection of small numbers.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from klachtformulieren.models import SatisfactionSurvey
from klachtformulieren.reporting.annual import NOT_CLASSIFIED, CrossTable, Share, year_bounds
from klachtformulieren.reporting.publication import PublicTable, suppress
from klachtformulieren.reporting.reads import report_reads

SATISFIED = "satisfied"
NOT_SATISFIED = "not_satisfied"
COLUMN_LABELS = {SATISFIED: _("Satisfied"), NOT_SATISFIED: _("Not satisfied")}


@dataclass
class Satisfaction:
    overall: Share
    by_kind: dict  # kind name -> Share
    table: CrossTable  # kind x satisfied / not satisfied


@report_reads()
def satisfaction_table(year, municipality=None):
    start, end = year_bounds(year)
    answered = SatisfactionSurvey.objects.filter(
        complaint__received_at__gte=start, complaint__received_at__lt=end, satisfied__isnull=False
    )
    if municipality is not None:
        answered = answered.filter(complaint__municipality=municipality)
    counts = answered.values_list("complaint__kind__name", "satisfied").annotate(number=Count("pk"))
    return CrossTable.from_counts(
        (
            (kind or NOT_CLASSIFIED, SATISFIED if satisfied else NOT_SATISFIED, number)
            for kind, satisfied, number in counts
        ),
        columns=[SATISFIED, NOT_SATISFIED],
    )


def satisfaction(year, municipality=None):
    """The share satisfied, overall and per kind (for the annual report)."""
    table = satisfaction_table(year, municipality)
    return Satisfaction(
        overall=Share(table.column_total(SATISFIED), table.total),
        by_kind={row: Share(table.get(row, SATISFIED), table.row_total(row)) for row in table.rows},
        table=table,
    )


@dataclass
class SatisfactionPublicTable(PublicTable):
    @property
    def column_labels(self):
        return [str(COLUMN_LABELS[code]) for code in self.table.columns]


def public_table(year, municipality, threshold):
    """The figures page's table: per kind, satisfied or not, small counts hidden as elsewhere."""
    return SatisfactionPublicTable(
        key="tevredenheid",
        title=_("Satisfied with how we handled the complaint"),
        row_heading=_("Kind of complaint"),
        table=suppress(satisfaction_table(year, municipality), threshold),
    )
