"""The public figures page (Awb 9:12a): the annual report made fit to publish.

The figures come from ``annual.annual_report``; this module picks the ones a visitor reads,
puts labels on them and protects the people behind small numbers. A count of one or two in a
cross table ("one complaint about the desk, well founded") can point to a person, so every
cell of a cross table that counts fewer complaints than the page's threshold is hidden.

Hiding alone is not enough: the totals are published too (they are the figures the page
gives on their own), and a row with one hidden cell gives that cell away as the row total
minus the cells you can see. So no row or column may keep exactly one hidden cell: when one
has, the smallest other count in it is hidden as well, and when the other counts are all zero,
those zeros are hidden ("fewer than 5" is true of them). A zero in a row or column that totals
0 stays 0: that total gives it away anyway, and when such zeros are all a line has besides the
small count, the table says no more than its totals do. This repeats until nothing changes.
It is the usual primary and secondary suppression of official statistics, kept simple: a
reader who knows the rule can still narrow a hidden count down when the totals are barely
above the threshold; a higher threshold protects more.

Nothing in here ever reads a case's free text, name or reference: only counts and the names
of classifications, outcomes, channels and partners.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from klachtformulieren.models import Channel, Complaint, OmbudsmanRequest
from klachtformulieren.reporting.annual import NOT_CLASSIFIED, OPEN, OUTCOME_CODES, OUTCOME_LABELS, CrossTable

# Why a cell shows no number.
SMALL = "small"  # fewer than the threshold (1 up to threshold - 1, or a zero hidden along with one)
COMPLEMENT = "complement"  # hidden so that a small count next to it cannot be worked out from a total
HIDDEN_SIGN = "\N{MULTIPLICATION SIGN}"  # what a COMPLEMENT cell shows


@dataclass(frozen=True)
class DisplayCell:
    """A cell as the visitor sees it. A hidden cell does not carry its number at all.

    ``shown`` is what the eye reads ("<5", ``HIDDEN_SIGN`` or the number); ``spoken`` is what a screen
    reader says instead of a hidden cell's sign.
    """

    value: int | None
    mark: str = ""
    shown: str = ""
    spoken: str = ""

    @classmethod
    def count(cls, value):
        return cls(value, shown=str(value))

    @classmethod
    def hidden_as(cls, mark, threshold):
        if mark == SMALL:
            return cls(None, SMALL, f"<{threshold}", _("fewer than %(threshold)s") % {"threshold": threshold})
        return cls(None, COMPLEMENT, HIDDEN_SIGN, _("hidden"))

    @property
    def hidden(self):
        return bool(self.mark)

    @property
    def small(self):
        return self.mark == SMALL

    @property
    def complement(self):
        return self.mark == COMPLEMENT


@dataclass
class DisplayRow:
    key: object
    label: str
    cells: list
    total: int


@dataclass
class SuppressedTable:
    """A cross table ready to publish: cells below the threshold hidden, true totals kept."""

    columns: list
    rows: list
    column_totals: list
    total: int

    @property
    def has_small(self):
        return any(cell.small for row in self.rows for cell in row.cells)

    @property
    def has_complement(self):
        return any(cell.complement for row in self.rows for cell in row.cells)


def suppress(table, threshold):
    """``table`` (a ``CrossTable``) with every count from 1 to ``threshold - 1`` hidden.

    Zero stays 0 and the totals are the true totals of all cases. Then no row or column is
    left with exactly one hidden cell, so no hidden count follows from a total (see above).
    """
    counts = {(row, column): table.get(row, column) for row in table.rows for column in table.columns}
    row_totals = {row: table.row_total(row) for row in table.rows}
    column_totals = {column: table.column_total(column) for column in table.columns}
    marks = {cell: SMALL for cell, count in counts.items() if 0 < count < threshold}
    lines = [[(row, column) for column in table.columns] for row in table.rows]
    lines += [[(row, column) for row in table.rows] for column in table.columns]
    changed = bool(marks)
    while changed:
        changed = False
        for line in lines:
            if sum(cell in marks for cell in line) != 1:
                continue
            visible = [cell for cell in line if cell not in marks]
            others = [cell for cell in visible if counts[cell]]
            # A zero whose row or column totals 0 is known anyway: hiding it protects nothing.
            zeros = [cell for cell in visible if not counts[cell] and row_totals[cell[0]] and column_totals[cell[1]]]
            if others:
                marks[min(others, key=counts.__getitem__)] = COMPLEMENT
                changed = True
            elif zeros:
                marks.update(dict.fromkeys(zeros, SMALL))
                changed = True
    rows = [
        DisplayRow(
            key=row,
            label=_row_label(row),
            cells=[
                DisplayCell.hidden_as(marks[(row, column)], threshold)
                if (row, column) in marks
                else DisplayCell.count(counts[(row, column)])
                for column in table.columns
            ],
            total=row_totals[row],
        )
        for row in table.rows
    ]
    return SuppressedTable(
        columns=list(table.columns),
        rows=rows,
        column_totals=[column_totals[column] for column in table.columns],
        total=table.total,
    )


@dataclass
class SuppressedList:
    """Counts per row (no cross table) with the same protection: ``items`` of (label, cell)."""

    items: list
    total: DisplayCell

    @property
    def has_small(self):
        return any(cell.small for _label, cell in self.items) or self.total.small

    @property
    def has_complement(self):
        return any(cell.complement for _label, cell in self.items) or self.total.complement


def suppress_counts(table, threshold):
    """A one-column ``CrossTable`` as a list: hidden counts, and no single one to work out from the total."""
    suppressed = suppress(table, threshold)
    # A row's total would be its own hidden count, so it is left out on purpose.
    items = [(row.label, row.cells[0]) for row in suppressed.rows]
    total = DisplayCell.count(suppressed.total)
    if sum(cell.hidden for _label, cell in items) == 1:
        # Nothing else to hide beside it (one partner, say): then the total would tell.
        total = DisplayCell.hidden_as(SMALL if suppressed.total < threshold else COMPLEMENT, threshold)
    return SuppressedList(items=items, total=total)


def _row_label(value):
    return _("Not classified") if value == NOT_CLASSIFIED else str(value)


def years_with_cases(municipality, *, before):
    """The years before ``before`` in which cases were received, newest first (one query)."""
    cases = Complaint.objects.filter(year__lt=before)
    if municipality is not None:
        cases = cases.filter(municipality=municipality)
    return list(cases.order_by("-year").values_list("year", flat=True).distinct())


def choose_year(requested, *, years, default):
    """The year to show for ``?jaar=``, and whether the visitor asked for one we cannot show."""
    if not requested:
        return default, False
    try:
        year = int(requested)
    except ValueError:
        return default, True
    if year not in years:
        return default, True
    return year, False


@dataclass
class Bar:
    """One line of a simple figure: a label, a count and the bar's length in % of the longest."""

    label: str
    count: int
    length: int


def _bars(items):
    items = list(items)
    largest = max((count for _label, count in items), default=0)
    return [Bar(str(label), count, round(100 * count / largest) if largest else 0) for label, count in items]


@dataclass
class Part:
    """``count`` of ``base``, and the whole percentage (None when there is nothing to count)."""

    count: int
    base: int

    @property
    def percent(self):
        return round(100 * self.count / self.base) if self.base else None


@dataclass
class PublicTable:
    key: str
    title: str
    row_heading: str
    column_labels: list
    table: SuppressedTable


@dataclass
class PublicFigures:
    """What the public page shows of one year's report: counts and labels, no personal data."""

    year: int
    threshold: int
    received: int
    five_year_average: float
    received_per_year: list
    informal: Part
    within_term: Part
    postponed: int
    apologies: int
    still_open: int  # received in the year and not settled by 31 December
    outcomes: list
    cross_tables: list
    channels: list
    ombudsman: list
    ombudsman_requests: int
    partners: SuppressedList

    @property
    def small_marker(self):
        """What a hidden small count shows: "<5" for the usual threshold."""
        return f"<{self.threshold}"


def public_figures(report, threshold):
    """The figures of ``report`` (an ``AnnualReport``) to publish, small counts hidden.

    Deliberately left out: the lessons learned and improvements (free text that may name
    people), and everything else that is not a count.
    """
    outcome_labels = [str(OUTCOME_LABELS[code]) for code in OUTCOME_CODES]
    channel_labels = dict(Channel.choices)
    result_labels = dict(OmbudsmanRequest.Result.choices)
    partner_totals = CrossTable(
        rows=report.partner_outcome.rows,
        columns=["received"],
        cells={(row, "received"): report.partner_outcome.row_total(row) for row in report.partner_outcome.rows},
    )
    return PublicFigures(
        year=report.year,
        threshold=threshold,
        received=report.received,
        five_year_average=report.five_year_average,
        received_per_year=_bars((str(year), count) for year, count in report.received_per_year.items()),
        informal=Part(report.informal.count, report.informal.base),
        within_term=Part(report.within_term.count, report.within_term.base),
        postponed=report.postponed,
        apologies=report.apologies,
        still_open=report.by_outcome[OPEN],
        outcomes=_bars((OUTCOME_LABELS[code], report.by_outcome[code]) for code in OUTCOME_CODES),
        cross_tables=[
            PublicTable(
                key="soort",
                title=_("Kind of complaint and outcome"),
                row_heading=_("Kind of complaint"),
                column_labels=outcome_labels,
                table=suppress(report.kind_outcome, threshold),
            ),
            PublicTable(
                key="afdeling",
                title=_("Department and outcome"),
                row_heading=_("Department"),
                column_labels=outcome_labels,
                table=suppress(report.unit_outcome, threshold),
            ),
        ],
        channels=_bars((channel_labels[code], report.by_channel.get(code, 0)) for code in Channel.values),
        ombudsman=[(str(result_labels[code]), count) for code, count in report.ombudsman.items()],
        ombudsman_requests=report.ombudsman_requests,
        partners=suppress_counts(partner_totals, threshold),
    )
