"""The annual report (Awb 9:12a): the figures of one year, computed from the cases.

Database aggregation in, plain data out. The figures of the cases come from
``year_rows``: grouped counts on ids (one pass over the year's cases with conditional
counts, the rest through indexes), kept for a closed year; names are added here, in a
fixed number of queries whatever the number of cases. The cross tables are built from the
same groups and their totals are sums of their own cells, so every table adds up.

The report describes the state **at the end of the year**: a case counts with the outcome
it had reached by 31 December, or as ``open`` when it was settled later (or not yet). A
case closed in January therefore leaves last year's report as it was. "Settled" is the
moment the outcome was reached: the decision (``decided_at``) or, for the other endings,
``closed_at``. docs/reporting.md describes every figure.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Value, When
from django.utils.translation import gettext_lazy as _

from klachtformulieren.models import (
    Channel,
    ComplaintKind,
    NotHandledReason,
    OmbudsmanRequest,
    OrganisationUnit,
    Outcome,
)
from klachtformulieren.reporting import year_rows
from klachtformulieren.reporting.reads import report_reads
from klachtformulieren.reporting.year_rows import COUNTS, OPEN, year_bounds
from partners.models import Partner, PartnerAnnualFigures

# The fixed outcome codes, in report order; OPEN ("open") means not settled at the end of the year.
OUTCOME_CODES = (
    Outcome.NOT_HANDLED.value,
    Outcome.NO_JUDGEMENT.value,
    Outcome.WELL_FOUNDED.value,
    Outcome.PARTLY_WELL_FOUNDED.value,
    Outcome.UNFOUNDED.value,
    Outcome.RESOLVED_INFORMALLY.value,
    Outcome.WITHDRAWN.value,
    Outcome.REFERRED.value,
    OPEN,
)
OUTCOME_LABELS = {**{outcome.value: outcome.label for outcome in Outcome}, OPEN: _("Open")}

UNIT_DEPTHS = ("theme", "domain", "team")
NOT_CLASSIFIED = "—"  # the row of cases without a kind or unit

OMBUDSMAN_RESULTS = tuple(OmbudsmanRequest.Result.values)


@dataclass
class CrossTable:
    """Counts by row and column; totals are the sums of the cells, so they always agree."""

    rows: list
    columns: list
    cells: dict  # (row, column) -> count

    def get(self, row, column):
        return self.cells.get((row, column), 0)

    def row_total(self, row):
        return sum(self.get(row, column) for column in self.columns)

    def column_total(self, column):
        return sum(self.get(row, column) for row in self.rows)

    @property
    def total(self):
        return sum(self.cells.values())

    def as_dict(self):
        return {row: {column: self.get(row, column) for column in self.columns} for row in self.rows}

    def matrix(self):
        """Rows of counts with the row total last, then the totals row: for templates and exports."""
        body = [[row, *(self.get(row, column) for column in self.columns), self.row_total(row)] for row in self.rows]
        totals = [*(self.column_total(column) for column in self.columns), self.total]
        return body, totals

    @classmethod
    def from_counts(cls, counts, *, columns=None, row_order=None):
        """``counts``: (row, column, n) triples from a grouped query."""
        cells = {}
        for row, column, number in counts:
            cells[(row, column)] = cells.get((row, column), 0) + number
        rows = sorted({row for row, _column in cells}, key=row_order or _row_sort_key)
        if columns is None:
            columns = sorted({column for _row, column in cells}, key=_row_sort_key)
        return cls(rows=rows, columns=list(columns), cells=cells)


def _row_sort_key(value):
    # Unclassified last, the rest alphabetically.
    return (value == NOT_CLASSIFIED, str(value).lower())


@dataclass
class Share:
    count: int
    base: int

    @property
    def share(self):
        return round(self.count / self.base, 4) if self.base else 0.0

    def as_dict(self):
        return {"count": self.count, "base": self.base, "share": self.share}


@dataclass
class AnnualReport:
    year: int
    municipality: object
    unit_depth: str
    received: int
    carried_over: int
    open_at_year_end: int
    received_per_year: dict  # year -> count, the last five years
    five_year_average: float
    informal: Share
    within_term: Share
    first_contact_in_time: Share
    postponed: int
    apologies: int
    handling_days_mean: float | None
    handling_days_median: float | None
    by_outcome: dict  # code -> count
    kind_outcome: CrossTable
    kind_unit: CrossTable
    unit_outcome: CrossTable
    channel_outcome: CrossTable
    not_handled_by_reason: dict  # Awb 9:8 ground code -> count
    lessons: list
    ombudsman: dict  # result code -> count, "open" at year end
    ombudsman_requests: int
    partner_outcome: CrossTable
    partner_figures: list = field(default_factory=list)

    @property
    def by_kind(self):
        return {row: self.kind_outcome.row_total(row) for row in self.kind_outcome.rows}

    @property
    def by_unit(self):
        return {row: self.unit_outcome.row_total(row) for row in self.unit_outcome.rows}

    @property
    def by_channel(self):
        return {row: self.channel_outcome.row_total(row) for row in self.channel_outcome.rows}

    def as_dict(self):
        """Plain data for JSON; the keys are documented in docs/reporting.md."""
        return {
            "year": self.year,
            "municipality": self.municipality.slug if self.municipality else None,
            "unit_depth": self.unit_depth,
            "received": self.received,
            "carried_over": self.carried_over,
            "open_at_year_end": self.open_at_year_end,
            "received_per_year": {str(year): count for year, count in self.received_per_year.items()},
            "five_year_average": self.five_year_average,
            "informal_share": self.informal.share,
            "informal": self.informal.as_dict(),
            "within_term": self.within_term.as_dict(),
            "first_contact_in_time": self.first_contact_in_time.as_dict(),
            "postponed": self.postponed,
            "apologies": self.apologies,
            "handling_days": {"mean": self.handling_days_mean, "median": self.handling_days_median},
            "by_outcome": self.by_outcome,
            "by_kind": self.by_kind,
            "by_kind_outcome": self.kind_outcome.as_dict(),
            "by_kind_unit": self.kind_unit.as_dict(),
            "by_unit": self.by_unit,
            "by_unit_outcome": self.unit_outcome.as_dict(),
            "by_channel": self.by_channel,
            "by_channel_outcome": self.channel_outcome.as_dict(),
            "not_handled_by_reason": self.not_handled_by_reason,
            "lessons": self.lessons,
            "ombudsman": {"requests": self.ombudsman_requests, **self.ombudsman},
            "partners": {
                "by_partner_outcome": self.partner_outcome.as_dict(),
                "own_figures": self.partner_figures,
            },
        }


def _unit_label(unit, depth):
    """The name of the case's unit, or of the unit above it at ``depth``; coarser units keep their own.

    ``unit``: (name, level, parent's name, grandparent's name), or None for a case without one.
    """
    if unit is None:
        return NOT_CLASSIFIED
    name, level, parent_name, grandparent_name = unit
    if depth == "team":
        return name
    if depth == "domain":
        return parent_name if level == "team" else name
    return {"team": grandparent_name, "domain": parent_name}.get(level, name)


def _median(histogram):
    """The median of a {value: count} histogram (a handful of rows, not cases)."""
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())
    positions = [(total - 1) // 2, total // 2]
    values = []
    for position in positions:
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                values.append(value)
                break
    return (values[0] + values[1]) / 2


@report_reads()
def annual_report(year, municipality=None, *, unit_depth="domain", kept=True):
    """The report of ``year`` (all municipalities of this install when ``municipality`` is None).

    The figures of the cases come from ``year_rows``: kept for a closed year, computed from the
    cases for the current one (and for every year with ``kept=False``, as the benchmark does).
    """
    if unit_depth not in UNIT_DEPTHS:
        raise ValueError(f"unit_depth must be one of {UNIT_DEPTHS}")
    start, end = year_bounds(year)
    end_date = end.date() - datetime.timedelta(days=1)
    if kept:
        parts = year_rows.rows_of_year(year, municipality)
    else:
        parts = list(year_rows.compute(year, municipality.pk if municipality is not None else None).values())
    counts = {name: sum(part["counts"][name] for part in parts) for name in COUNTS}

    def cells(table):
        return [cell for part in parts for cell in part[table]]

    kind_names = dict(ComplaintKind.objects.values_list("pk", "name"))
    units = {
        pk: rest
        for pk, *rest in OrganisationUnit.objects.values_list(
            "pk", "name", "level", "parent__name", "parent__parent__name"
        )
    }
    partner_names = dict(Partner.objects.values_list("pk", "name"))

    # 1. The headline counts, and the cases carried over.
    received = counts["received"]
    carried_over = sum(part["carried_over"] for part in parts)
    open_at_year_end = counts["open_at_year_end"] + sum(part["carried_open_at_year_end"] for part in parts)

    # 2. Received per year, the last five years.
    history = {}
    for part in parts:
        for past, count in part["per_year"].items():
            history[int(past)] = history.get(int(past), 0) + count
    received_per_year = {past: history.get(past, 0) for past in range(year - 4, year + 1)}

    # 3. Kind x unit x outcome; three consistent cross tables from the same cells.
    unit_labels = {pk: _unit_label(unit, unit_depth) for pk, unit in units.items()}
    grouped = [
        (
            kind_names[kind] if kind is not None else NOT_CLASSIFIED,
            unit_labels[unit] if unit is not None else NOT_CLASSIFIED,
            outcome,
            n,
        )
        for kind, unit, outcome, n in cells("kind_unit_outcome")
    ]
    kind_outcome = CrossTable.from_counts(
        [(kind, outcome, n) for kind, _unit, outcome, n in grouped], columns=OUTCOME_CODES
    )
    kind_unit = CrossTable.from_counts([(kind, unit, n) for kind, unit, _outcome, n in grouped])
    unit_outcome = CrossTable.from_counts(
        [(unit, outcome, n) for _kind, unit, outcome, n in grouped], columns=OUTCOME_CODES
    )
    by_outcome = {code: kind_outcome.column_total(code) for code in OUTCOME_CODES}

    # 4. Channel x outcome.
    channel_order = list(Channel.values)
    channel_outcome = CrossTable.from_counts(
        cells("channel_outcome"),
        columns=OUTCOME_CODES,
        row_order=lambda code: channel_order.index(code),
    )

    # 5. Not taken into handling, by the ground of Awb 9:8.
    reasons = {}
    for reason, n in cells("not_handled"):
        reasons[reason] = reasons.get(reason, 0) + n
    not_handled_by_reason = {code: reasons.get(code, 0) for code in NotHandledReason.values}

    # 6. Handling time in calendar days, received to settled, as a histogram of whole days.
    histogram = {}
    for part in parts:
        for whole_days, count in part["days"]:
            histogram[whole_days] = histogram.get(whole_days, 0) + count
    settled_count = sum(histogram.values())
    mean = round(sum(days * count for days, count in histogram.items()) / settled_count, 1) if settled_count else None

    # 7. Lessons learned and improvements of the year's cases, in order of receipt.
    lessons = [
        {
            "reference": reference,
            "kind": kind_names[kind_id] if kind_id is not None else "",
            "lessons_learned": learned,
            "improvements": improved,
        }
        for _moment, _pk, reference, kind_id, learned, improved in sorted(
            lesson for part in parts for lesson in part["lessons"]
        )
    ]

    # 8. The ombudsman: requests received in the year, by their result at the end of the year.
    requests = OmbudsmanRequest.objects.filter(received_on__gte=start.date(), received_on__lte=end_date)
    if municipality is not None:
        requests = requests.filter(municipality=municipality)
    results = dict(
        requests.annotate(
            year_end_result=Case(
                When(closed_on__lte=end_date, then=F("result")),
                default=Value(OmbudsmanRequest.Result.OPEN),
                output_field=CharField(),
            )
        )
        .values_list("year_end_result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ombudsman = {code: results.get(code, 0) for code in OMBUDSMAN_RESULTS}

    # 9. Partners: complaints about each partner by outcome, and the partners' own figures.
    partner_outcome = CrossTable.from_counts(
        [(partner_names[partner], outcome, n) for partner, outcome, n in cells("partner_outcome")],
        columns=OUTCOME_CODES,
    )
    partner_figures = _partner_figures(year)

    return AnnualReport(
        year=year,
        municipality=municipality,
        unit_depth=unit_depth,
        received=received,
        carried_over=carried_over,
        open_at_year_end=open_at_year_end,
        received_per_year=received_per_year,
        five_year_average=round(sum(received_per_year.values()) / len(received_per_year), 1),
        informal=Share(counts["informal"], received),
        within_term=Share(counts["within_term"], counts["term_base"]),
        first_contact_in_time=Share(counts["first_contact_in_time"], counts["first_contact_base"]),
        postponed=counts["postponed"],
        apologies=counts["apologies"],
        handling_days_mean=mean,
        handling_days_median=_median(histogram),
        by_outcome=by_outcome,
        kind_outcome=kind_outcome,
        kind_unit=kind_unit,
        unit_outcome=unit_outcome,
        channel_outcome=channel_outcome,
        not_handled_by_reason=not_handled_by_reason,
        lessons=lessons,
        ombudsman=ombudsman,
        ombudsman_requests=sum(ombudsman.values()),
        partner_outcome=partner_outcome,
        partner_figures=partner_figures,
    )


def _partner_figures(year):
    fields = ("received", *PartnerAnnualFigures.OUTCOME_FIELDS)
    return [
        {"partner": figures.partner.name, **{name: getattr(figures, name) for name in fields}}
        for figures in PartnerAnnualFigures.objects.filter(year=year)
        .select_related("partner")
        .order_by("partner__name")
    ]
