"""The annual report (Awb 9:12a): the figures of one year, computed from the cases.

Database aggregation in, plain data out. Every figure comes from GROUP BY queries and
conditional counts, never from a loop over cases, in a fixed number of queries whatever
the number of cases. Cross tables are built from one grouped query each and their totals
are sums of their own cells, so every table adds up.

The report describes the state **at the end of the year**: a case counts with the outcome
it had reached by 31 December, or as ``open`` when it was settled later (or not yet). A
case closed in January therefore leaves last year's report as it was. "Settled" is the
moment the outcome was reached: the decision (``decided_at``) or, for the other endings,
``closed_at``. docs/reporting.md describes every figure.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klachtformulieren.models import Channel, Complaint, NotHandledReason, OmbudsmanRequest, Outcome
from klachtformulieren.reporting.reads import report_reads
from partners.models import PartnerAnnualFigures

# The fixed outcome codes, in report order; "open" means not settled at the end of the year.
OPEN = "open"
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

# The outcomes the 6-week decision term (Awb 9:11) is measured on: the complaint was handled.
TERM_OUTCOMES = (
    Outcome.NO_JUDGEMENT.value,
    Outcome.WELL_FOUNDED.value,
    Outcome.PARTLY_WELL_FOUNDED.value,
    Outcome.UNFOUNDED.value,
    Outcome.RESOLVED_INFORMALLY.value,
)

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


def year_bounds(year):
    """The year as aware datetimes in the local timezone: [start, end)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _unit_at_depth(depth):
    """The name of the case's unit, or of the unit above it at ``depth``; coarser units keep their own."""
    if depth == "team":
        return Coalesce(F("unit__name"), Value(NOT_CLASSIFIED))
    if depth == "domain":
        return Case(
            When(unit__level="team", then=F("unit__parent__name")),
            When(unit__isnull=False, then=F("unit__name")),
            default=Value(NOT_CLASSIFIED),
            output_field=CharField(),
        )
    return Case(
        When(unit__level="team", then=F("unit__parent__parent__name")),
        When(unit__level="domain", then=F("unit__parent__name")),
        When(unit__isnull=False, then=F("unit__name")),
        default=Value(NOT_CLASSIFIED),
        output_field=CharField(),
    )


def annotated_cases(year, municipality=None):
    """Cases with their outcome at the end of ``year`` (``year_end_outcome``) and ``settled_at``."""
    _start, end = year_bounds(year)
    cases = Complaint.objects.all()
    if municipality is not None:
        cases = cases.filter(municipality=municipality)
    return cases.annotate(settled_at=Coalesce("decided_at", "closed_at")).annotate(
        year_end_outcome=Case(
            When(Q(settled_at__lt=end) & ~Q(outcome=""), then=F("outcome")),
            default=Value(OPEN),
            output_field=CharField(),
        )
    )


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
def annual_report(year, municipality=None, *, unit_depth="domain"):
    """The report of ``year`` (all municipalities of this install when ``municipality`` is None)."""
    if unit_depth not in UNIT_DEPTHS:
        raise ValueError(f"unit_depth must be one of {UNIT_DEPTHS}")
    start, end = year_bounds(year)
    end_date = end.date() - datetime.timedelta(days=1)
    cases = annotated_cases(year, municipality)
    in_year = Q(received_at__gte=start, received_at__lt=end)
    not_settled_by = lambda moment: Q(settled_at__isnull=True) | Q(settled_at__gte=moment)  # noqa: E731
    term_cases = in_year & Q(year_end_outcome__in=TERM_OUTCOMES)
    first_contact_counted = in_year & (Q(first_contact_at__lt=end) | Q(first_contact_due_on__lte=end_date))

    # 1. The headline counts, in one query.
    summary = cases.aggregate(
        received=Count("pk", filter=in_year),
        carried_over=Count("pk", filter=Q(received_at__lt=start) & not_settled_by(start)),
        open_at_year_end=Count("pk", filter=Q(received_at__lt=end) & not_settled_by(end)),
        informal=Count("pk", filter=in_year & Q(year_end_outcome=Outcome.RESOLVED_INFORMALLY)),
        term_base=Count("pk", filter=term_cases),
        within_term=Count("pk", filter=term_cases & Q(decision_due_on__gte=TruncDate("settled_at"))),
        first_contact_base=Count("pk", filter=first_contact_counted),
        first_contact_in_time=Count(
            "pk",
            filter=first_contact_counted
            & Q(first_contact_at__lt=end, first_contact_due_on__gte=TruncDate("first_contact_at")),
        ),
        postponed=Count("pk", filter=in_year & Q(postponed_weeks__gt=0)),
        apologies=Count("pk", filter=in_year & Q(apology_offered=True)),
    )
    received_cases = cases.filter(in_year)

    # 2. Received per year, the last five years.
    history = dict(
        cases.filter(year__gte=year - 4, year__lte=year).values_list("year").annotate(n=Count("pk")).order_by()
    )
    received_per_year = {past: history.get(past, 0) for past in range(year - 4, year + 1)}

    # 3. Kind x unit x outcome in one grouped query; three consistent cross tables from it.
    grouped = list(
        received_cases.annotate(
            kind_label=Coalesce(F("kind__name"), Value(NOT_CLASSIFIED)), unit_label=_unit_at_depth(unit_depth)
        )
        .values_list("kind_label", "unit_label", "year_end_outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    kind_outcome = CrossTable.from_counts(
        [(kind, outcome, n) for kind, _unit, outcome, n in grouped], columns=OUTCOME_CODES
    )
    kind_unit = CrossTable.from_counts([(kind, unit, n) for kind, unit, _outcome, n in grouped])
    unit_outcome = CrossTable.from_counts(
        [(unit, outcome, n) for _kind, unit, outcome, n in grouped], columns=OUTCOME_CODES
    )
    by_outcome = {code: kind_outcome.column_total(code) for code in OUTCOME_CODES}

    # 4. Channel x outcome.
    channel_counts = received_cases.values_list("channel", "year_end_outcome").annotate(n=Count("pk")).order_by()
    channel_order = list(Channel.values)
    channel_outcome = CrossTable.from_counts(
        list(channel_counts), columns=OUTCOME_CODES, row_order=lambda code: channel_order.index(code)
    )

    # 5. Not taken into handling, by the ground of Awb 9:8.
    reasons = dict(
        received_cases.filter(year_end_outcome=Outcome.NOT_HANDLED)
        .values_list("not_handled_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    not_handled_by_reason = {code: reasons.get(code, 0) for code in NotHandledReason.values}

    # 6. Handling time in calendar days, received to settled, as a histogram of whole days.
    durations = (
        received_cases.filter(settled_at__lt=end)
        .annotate(days=TruncDate("settled_at") - TruncDate("received_at"))
        .values_list("days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    histogram = {}
    for days, count in durations:
        whole_days = days.days if isinstance(days, datetime.timedelta) else int(days)
        histogram[whole_days] = histogram.get(whole_days, 0) + count
    settled_count = sum(histogram.values())
    mean = round(sum(days * count for days, count in histogram.items()) / settled_count, 1) if settled_count else None

    # 7. Lessons learned and improvements of the year's cases.
    lessons = [
        {"reference": reference, "kind": kind or "", "lessons_learned": learned, "improvements": improved}
        for reference, kind, learned, improved in received_cases.exclude(lessons_learned="", improvements="")
        .order_by("received_at", "pk")
        .values_list("reference", "kind__name", "lessons_learned", "improvements")
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
    partner_counts = (
        received_cases.filter(partner__isnull=False)
        .values_list("partner__name", "year_end_outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    partner_outcome = CrossTable.from_counts(list(partner_counts), columns=OUTCOME_CODES)
    partner_figures = _partner_figures(year)

    return AnnualReport(
        year=year,
        municipality=municipality,
        unit_depth=unit_depth,
        received=summary["received"],
        carried_over=summary["carried_over"],
        open_at_year_end=summary["open_at_year_end"],
        received_per_year=received_per_year,
        five_year_average=round(sum(received_per_year.values()) / len(received_per_year), 1),
        informal=Share(summary["informal"], summary["received"]),
        within_term=Share(summary["within_term"], summary["term_base"]),
        first_contact_in_time=Share(summary["first_contact_in_time"], summary["first_contact_base"]),
        postponed=summary["postponed"],
        apologies=summary["apologies"],
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
