"""The public figures page (Awb 9:12a): the annual report made fit to publish.

The figures come from ``annual.annual_report``; this module picks the ones a visitor reads,
puts labels on them and protects the people behind small numbers. A count of one or two in a
cross table ("one complaint about the desk, well founded") can point to a person, so every
cell of a cross table that counts fewer complaints than the page's threshold is hidden.

Hiding alone is not enough: the totals are published too, and a row with one hidden cell
gives that cell away as the row total minus the cells you can see; two hidden cells in a
row and a column can pin each other down as well. So before a table is published, what an
outsider can work out is computed (``disclosure``: the smallest and largest value of each
hidden cell consistent with everything the table shows, by linear programming). While a
hidden value is pinned to one number, or a hidden small count cannot be anything from 1 to
the threshold as far as the outsider can tell, one more cell is hidden: the smallest visible
count in its row or column, else its row's total. When even that cannot make the table safe,
the table publishes its totals only (as it also does when fewer than a quarter of its counts
could be shown: a grid of hidden signs tells a reader less). Every hidden cell looks the same (one sign, one
explanation): whether it is small or hidden to protect another is not said.

An outcome with fewer complaints than the threshold in all has its total published with the
outcomes, so each of its cells is hidden: any count in it is small. Such a cell, and a cell in
a row whose published total is below the threshold, can be kept only as uncertain as its own
totals already leave it: the outsider must not narrow it any further (``disclosure``).
When the table publishes its totals only, those are audited as well: a row total that would
still let a count be worked out is hidden, and if even that is not enough, the table is
withheld for the year.

The kind table and the department table share only their column totals (the outcomes,
published on their own too), so each is audited on its own: nothing else on the page links
their hidden cells. Zeros in a row or column that totals 0 stay visible: that total gives
them away anyway.

Nothing in here ever reads a case's free text, name or reference: only counts and the names
of classifications, outcomes, channels and partners.
"""

import functools
from dataclasses import dataclass

from django.utils.translation import gettext as _

from klachtformulieren.models import Channel, Complaint, OmbudsmanRequest
from klachtformulieren.reporting import disclosure
from klachtformulieren.reporting.annual import NOT_CLASSIFIED, OPEN, OUTCOME_CODES, OUTCOME_LABELS, CrossTable

HIDDEN = "hidden"
HIDDEN_SIGN = "\N{MULTIPLICATION SIGN}"  # what every hidden cell shows


@dataclass(frozen=True)
class DisplayCell:
    """A cell as the visitor sees it. A hidden cell does not carry its number at all.

    ``shown`` is what the eye reads (``HIDDEN_SIGN`` or the number); ``spoken`` is what a
    screen reader says instead of the sign.
    """

    value: int | None
    mark: str = ""
    shown: str = ""
    spoken: str = ""

    @classmethod
    def count(cls, value):
        return cls(value, shown=str(value))

    @classmethod
    def hidden_cell(cls):
        return cls(None, HIDDEN, HIDDEN_SIGN, _("hidden"))

    @property
    def hidden(self):
        return bool(self.mark)


@dataclass
class DisplayRow:
    key: object
    label: str
    cells: list
    total_cell: DisplayCell

    @property
    def total(self):
        return self.total_cell.value


@dataclass
class SuppressedTable:
    """A cross table ready to publish: small counts hidden, and nothing an outsider can
    work out. ``totals_only``: no cell could be shown safely, so only the totals are."""

    columns: list
    rows: list
    column_totals: list
    total: int
    totals_only: bool = False
    withheld: bool = False  # not even the totals per row could be shown safely

    @property
    def has_hidden(self):
        return any(cell.hidden for row in self.rows for cell in [*row.cells, row.total_cell])


def _published(hidden, counts, rows, columns, row_totals, column_totals, total):
    return disclosure.Published(
        cells=[[None if (row, column) in hidden else counts[(row, column)] for column in columns] for row in rows],
        row_totals=[None if ("row", row) in hidden else row_totals[row] for row in rows],
        column_totals=[column_totals[column] for column in columns],
        total=total,
    )


def _next_to_hide(unknown, hidden, counts, rows, columns, row_totals, column_totals):
    """One more value to hide for a hidden value the outsider narrows down too far, or None."""
    kind, r, c = unknown
    row = rows[r]
    if kind == "cell":
        column = columns[c]
        line = [(row, other) for other in columns] + [(other, column) for other in rows]
        # A zero may be hidden too (it looks like any other hidden cell), unless its row or
        # column totals 0: that total gives it away.
        candidates = [
            cell
            for cell in line
            if cell not in hidden and (counts[cell] or (row_totals[cell[0]] and column_totals[cell[1]]))
        ]
        if candidates:
            return min(candidates, key=lambda cell: (counts[cell], cell[0] != row))
        return ("row", row) if ("row", row) not in hidden else None
    # A hidden row total follows from the other row totals and the grand total: hide another.
    candidates = [("row", other) for other in rows if ("row", other) not in hidden and row_totals[other]]
    return min(candidates, key=lambda key: row_totals[key[1]]) if candidates else None


def _known_zero(cell, row_totals, column_totals):
    """A zero in a row or column that totals 0: the total gives it away, so it is never hidden."""
    return not row_totals[cell[0]] or not column_totals[cell[1]]


def _protect(hidden, counts, rows, columns, row_totals, column_totals, total, threshold):
    """Hide more until the outsider works nothing out; returns (hidden, safe)."""
    true = {("cell", r, c): counts[(rows[r], columns[c])] for r in range(len(rows)) for c in range(len(columns))}
    true |= {("row", r, None): row_totals[rows[r]] for r in range(len(rows))}
    while True:
        published = _published(hidden, counts, rows, columns, row_totals, column_totals, total)
        found = disclosure.problems(published, true, threshold)
        if not found:
            return hidden, True
        more = {_next_to_hide(unknown, hidden, counts, rows, columns, row_totals, column_totals) for unknown in found}
        more.discard(None)
        if not more:
            return hidden, False
        hidden = hidden | more


def suppress(table, threshold):
    """``table`` (a ``CrossTable``) with every count from 1 to ``threshold - 1`` hidden, and
    more hidden until an outsider can work none of them out (see above)."""
    rows, columns = list(table.rows), list(table.columns)
    counts = {(row, column): table.get(row, column) for row in rows for column in columns}
    row_totals = {row: table.row_total(row) for row in rows}
    column_totals = {column: table.column_total(column) for column in columns}
    protect = functools.partial(
        _protect,
        counts=counts,
        rows=rows,
        columns=columns,
        row_totals=row_totals,
        column_totals=column_totals,
        total=table.total,
        threshold=threshold,
    )
    # Every small count, and every cell of an outcome with few complaints in all: its total is
    # published with the outcomes, so a count in it is small whatever it is.
    hidden = {
        cell
        for cell, count in counts.items()
        if (0 < count < threshold or 0 < column_totals[cell[1]] < threshold)
        and not _known_zero(cell, row_totals, column_totals)
    }
    hidden, safe = protect(hidden) if hidden else (hidden, True)
    nonzero = [cell for cell, count in counts.items() if count]
    # A grid of hidden signs tells a reader less than the totals do: then the totals alone.
    totals_only = not safe or sum(cell not in hidden for cell in nonzero) * 4 < len(nonzero)
    withheld = False
    if totals_only:
        # The totals are audited too: with every cell hidden, row totals may still pin a count.
        every_cell = {cell for cell in counts if not _known_zero(cell, row_totals, column_totals)}
        hidden, withheld = protect(every_cell)
        withheld = not withheld
    display_rows = [
        DisplayRow(
            key=row,
            label=_row_label(row),
            cells=[]
            if totals_only
            else [
                DisplayCell.hidden_cell() if (row, column) in hidden else DisplayCell.count(counts[(row, column)])
                for column in columns
            ],
            total_cell=DisplayCell.hidden_cell() if ("row", row) in hidden else DisplayCell.count(row_totals[row]),
        )
        for row in rows
    ]
    return SuppressedTable(
        columns=columns,
        rows=[] if withheld else display_rows,
        column_totals=[column_totals[column] for column in columns],
        total=table.total,
        totals_only=totals_only,
        withheld=withheld,
    )


@dataclass
class SuppressedList:
    """Counts per row (no cross table) with the same protection: ``items`` of (label, cell)."""

    items: list
    total: DisplayCell

    @property
    def has_hidden(self):
        return any(cell.hidden for _label, cell in self.items) or self.total.hidden


def suppress_counts(table, threshold):
    """A one-column ``CrossTable`` as a list: small counts hidden, and none to work out from
    the total. As a table for the outsider: one row (the list), its total the list's total."""
    labels = list(table.rows)
    counts = [table.get(row, table.columns[0]) for row in labels]
    total = sum(counts)
    hidden = {i for i, count in enumerate(counts) if 0 < count < threshold}
    total_hidden = False
    while hidden:
        published = disclosure.Published(
            cells=[[None if i in hidden else count for i, count in enumerate(counts)]],
            row_totals=[None if total_hidden else total],
            column_totals=[None] * len(counts),  # a partner's own total is its cell: not published twice
            total=None,
        )
        true = {("cell", 0, i): count for i, count in enumerate(counts)} | {("row", 0, None): total}
        if not disclosure.problems(published, true, threshold):
            break
        visible = [i for i, count in enumerate(counts) if i not in hidden and count]
        if visible:
            hidden.add(min(visible, key=counts.__getitem__))
        elif not total_hidden:
            total_hidden = True
        else:
            break  # nothing is published that narrows a hidden count: each is only known to be >= 0
    items = [
        (_row_label(label), DisplayCell.hidden_cell() if i in hidden else DisplayCell.count(counts[i]))
        for i, label in enumerate(labels)
    ]
    return SuppressedList(items=items, total=DisplayCell.hidden_cell() if total_hidden else DisplayCell.count(total))


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
    table: SuppressedTable

    @property
    def column_labels(self):
        return [str(OUTCOME_LABELS[code]) for code in self.table.columns]


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
    def hidden_sign(self):
        return HIDDEN_SIGN


def public_figures(report, threshold):
    """The figures of ``report`` (an ``AnnualReport``) to publish, small counts hidden.

    Deliberately left out: the lessons learned and improvements (free text that may name
    people), and everything else that is not a count.
    """
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
                table=suppress(report.kind_outcome, threshold),
            ),
            PublicTable(
                key="afdeling",
                title=_("Department and outcome"),
                row_heading=_("Department"),
                table=suppress(report.unit_outcome, threshold),
            ),
        ],
        channels=_bars((channel_labels[code], report.by_channel.get(code, 0)) for code in Channel.values),
        ombudsman=[(str(result_labels[code]), count) for code, count in report.ombudsman.items()],
        ombudsman_requests=report.ombudsman_requests,
        partners=suppress_counts(partner_totals, threshold),
    )
