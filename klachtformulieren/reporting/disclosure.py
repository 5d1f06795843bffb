"""What an outsider can work out from a published table, by linear programming.

A published cross table shows some cells, hides others, and gives totals. Everything shown
is a linear fact about the hidden cells: each row whose total is shown sums to it, each
column sums to its total, the row totals sum to the grand total, and no count is negative.
For every hidden value (a cell, or a row total the page hides), the smallest and largest
value consistent with all of that is what the most patient outsider can narrow it down to.
Each is one linear program, solved with HiGHS through scipy's ``linprog``.

The constraint matrix is that of a transportation problem (totally unimodular), so the
bounds of the linear programs are whole numbers: the outsider gains nothing from knowing
that counts are whole.

A table is safe to publish when no hidden value is pinned to one number and every hidden
cell whose true count is below the threshold could be anything from 1 to the threshold as
far as the outsider can tell, or, where a total published on its own is smaller than the
threshold (an outcome with three complaints in all), anything up to that total: what such
a total says cannot be hidden, but nothing more may be worked out (``problems``).
"""

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Published:
    """A table as an outsider reads it. ``cells[r][c]`` and ``row_totals[r]`` are a number or
    None (hidden); ``column_totals`` and ``total`` are shown (None: not published at all)."""

    cells: list
    row_totals: list
    column_totals: list
    total: int | None
    unknowns: list = field(init=False)

    def __post_init__(self):
        self.unknowns = [("cell", r, c) for r, row in enumerate(self.cells) for c, v in enumerate(row) if v is None]
        self.unknowns += [("row", r, None) for r, v in enumerate(self.row_totals) if v is None]


def _constraints(table):
    """A_eq and b_eq of everything the table says, over ``table.unknowns``."""
    index = {unknown: i for i, unknown in enumerate(table.unknowns)}
    rows, rhs = [], []
    for r, row in enumerate(table.cells):
        coefficients = np.zeros(len(index))
        known = 0
        for c, value in enumerate(row):
            if value is None:
                coefficients[index[("cell", r, c)]] = 1
            else:
                known += value
        if table.row_totals[r] is None:
            coefficients[index[("row", r, None)]] = -1
            rows.append(coefficients)
            rhs.append(-known)
        else:
            rows.append(coefficients)
            rhs.append(table.row_totals[r] - known)
    for c, column_total in enumerate(table.column_totals):
        if column_total is None:
            continue
        coefficients = np.zeros(len(index))
        known = 0
        for r, row in enumerate(table.cells):
            if row[c] is None:
                coefficients[index[("cell", r, c)]] = 1
            else:
                known += row[c]
        rows.append(coefficients)
        rhs.append(column_total - known)
    if table.total is not None:
        coefficients = np.zeros(len(index))
        known = 0
        for r, value in enumerate(table.row_totals):
            if value is None:
                coefficients[index[("row", r, None)]] = 1
            else:
                known += value
        rows.append(coefficients)
        rhs.append(table.total - known)
    # Lines with no unknown in them say nothing about the hidden values.
    kept = [(a, b) for a, b in zip(rows, rhs, strict=True) if a.any()]
    if not kept:
        return None, None
    return np.array([a for a, _b in kept]), np.array([b for _a, b in kept])


def outsider_bounds(table):
    """{unknown: (lowest, highest)} an outsider can work out; ``math.inf`` when unbounded."""
    if not table.unknowns:
        return {}
    # Here rather than at the top: scipy.optimize takes most of a second to import, which every
    # web worker, task worker and manage.py command would pay at start for a rarely run check.
    from scipy.optimize import linprog

    a_eq, b_eq = _constraints(table)
    bounds = {}
    for i, unknown in enumerate(table.unknowns):
        objective = np.zeros(len(table.unknowns))
        if a_eq is None:
            bounds[unknown] = (0, math.inf)
            continue
        objective[i] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if low.status != 0:
            raise ValueError(f"the published table is inconsistent: {low.message}")
        highest = math.inf if high.status == 3 else math.floor(-high.fun + 1e-6)
        bounds[unknown] = (math.ceil(low.fun - 1e-6), highest)
    return bounds


def public_cap(table, unknown, threshold):
    """How large a hidden small count must be able to look: the threshold, unless a total the
    table publishes on its own (its row's, its column's, the grand total) is smaller already.
    What a published total says by itself cannot be hidden; nothing more may be worked out."""
    kind, r, c = unknown
    caps = [threshold]
    if kind == "cell":
        caps += [total for total in (table.row_totals[r], table.column_totals[c]) if total is not None]
    elif table.total is not None:
        caps.append(table.total)
    return min(caps)


def problems(table, true_counts, threshold):
    """The hidden values an outsider narrows down too far: pinned to one number, or (for a
    count below ``threshold``) not free to be anything from 1 up to ``public_cap``.

    ``true_counts`` maps each unknown to its real value (for the check of small counts)."""
    found = []
    for unknown, (low, high) in outsider_bounds(table).items():
        cap = public_cap(table, unknown, threshold)
        if low == high or (true_counts[unknown] < threshold and (low > min(1, cap) or high < cap)):
            found.append(unknown)
    return found
