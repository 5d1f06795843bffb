"""What an outsider can work out from a published table: never a hidden count pinned down,
never a small one narrowed below "anything from 1 to the threshold".

The outsider here is written independently of ``reporting.disclosure``: it reads only what
the page publishes (the shown cells, the shown totals) and solves its own linear programs.
"""

import math

import numpy as np
import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from klachtformulieren.reporting.annual import CrossTable
from klachtformulieren.reporting.publication import suppress, suppress_counts
from tests.factories import AnnualFiguresPageFactory, at, bulk_cases

COUNTS = st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 12, 30])


def outsider(cells, row_totals, column_totals, total):
    """{(kind, r, c): (low, high)} for every hidden value in what was published (None: hidden;
    a column total of None: not published)."""
    unknowns = [("cell", r, c) for r, row in enumerate(cells) for c, v in enumerate(row) if v is None]
    unknowns += [("row", r, None) for r, v in enumerate(row_totals) if v is None]
    at_ = {u: i for i, u in enumerate(unknowns)}
    equations = []
    for r, row in enumerate(cells):
        a = np.zeros(len(unknowns))
        known = sum(v for v in row if v is not None)
        for c, v in enumerate(row):
            if v is None:
                a[at_[("cell", r, c)]] = 1
        if row_totals[r] is None:
            a[at_[("row", r, None)]] = -1
            equations.append((a, -known))
        else:
            equations.append((a, row_totals[r] - known))
    for c, column_total in enumerate(column_totals):
        if column_total is not None:
            a = np.zeros(len(unknowns))
            for r, row in enumerate(cells):
                if row[c] is None:
                    a[at_[("cell", r, c)]] = 1
            equations.append((a, column_total - sum(row[c] for row in cells if row[c] is not None)))
    if total is not None:
        a = np.zeros(len(unknowns))
        for r, v in enumerate(row_totals):
            if v is None:
                a[at_[("row", r, None)]] = 1
        equations.append((a, total - sum(v for v in row_totals if v is not None)))
    a_eq = np.array([a for a, _ in equations]) if equations else None
    b_eq = np.array([b for _, b in equations]) if equations else None
    bounds = {}
    for unknown, i in at_.items():
        c = np.zeros(len(unknowns))
        c[i] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, "what is published contradicts itself"
        bounds[unknown] = (round(low.fun, 6), math.inf if high.status == 3 else round(-high.fun, 6))
    return bounds


def cap_of(unknown, row_totals, column_totals, total, threshold):
    """The most a hidden small count must be able to look: the threshold, or a smaller total
    that is published on its own (what that total says cannot be hidden)."""
    kind, r, c = unknown
    shown = [row_totals[r], column_totals[c]] if kind == "cell" else [total]
    return min([threshold, *(value for value in shown if value is not None)])


def assert_nothing_can_be_worked_out(bounds, true, threshold, published):
    for unknown, (low, high) in bounds.items():
        assert low < high, (unknown, "pinned", low)
        if true[unknown] < threshold:
            cap = cap_of(unknown, *published, threshold)
            assert low <= min(1, cap) and high >= cap, (unknown, true[unknown], low, high, cap)


def audit_table(counts, suppressed, threshold):
    rows, columns = counts.rows, counts.columns
    assert suppressed.columns == list(columns)
    if suppressed.withheld:
        assert suppressed.rows == []
        return
    row_totals = [row.total for row in suppressed.rows]
    for r, row in enumerate(rows):
        assert row_totals[r] in (None, counts.row_total(row))
    if suppressed.totals_only:
        assert all(not row.cells for row in suppressed.rows)
        # Every cell unknown, but those a total of 0 gives away.
        cells = [
            [0 if row_totals[r] == 0 or counts.column_total(column) == 0 else None for column in columns]
            for r, _row in enumerate(rows)
        ]
    else:
        cells = [[cell.value for cell in row.cells] for row in suppressed.rows]
        for r, row in enumerate(rows):
            for c, column in enumerate(columns):
                assert cells[r][c] in (None, counts.get(row, column))  # shown numbers are true
                if 0 < counts.get(row, column) < threshold:
                    assert cells[r][c] is None  # every small count is hidden
    true = {("cell", r, c): counts.get(row, column) for r, row in enumerate(rows) for c, column in enumerate(columns)}
    true |= {("row", r, None): counts.row_total(row) for r, row in enumerate(rows)}
    published = (row_totals, suppressed.column_totals, suppressed.total)
    bounds = outsider(cells, *published)
    assert_nothing_can_be_worked_out(bounds, true, threshold, published)


@st.composite
def tables(draw):
    n_rows, n_columns = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    rows = [f"soort {r}" for r in range(n_rows)]
    columns = [f"uitkomst {c}" for c in range(n_columns)]
    cells = {(row, column): draw(COUNTS) for row in rows for column in columns}
    return CrossTable(rows=rows, columns=columns, cells=cells)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables(), threshold=st.integers(2, 6))
def test_an_outsider_can_work_out_no_hidden_count_of_any_cross_table(counts, threshold):
    audit_table(counts, suppress(counts, threshold), threshold)


@settings(max_examples=100, deadline=None)
@given(counts=st.lists(COUNTS, min_size=1, max_size=8), threshold=st.integers(2, 6))
def test_an_outsider_can_work_out_no_hidden_count_of_the_partner_list(counts, threshold):
    names = [f"partner {i}" for i in range(len(counts))]
    partners = CrossTable(rows=names, columns=["n"], cells={(n, "n"): v for n, v in zip(names, counts, strict=True)})
    listed = suppress_counts(partners, threshold)
    cells = [[cell.value for _label, cell in listed.items]]
    total = listed.total.value
    true = {("cell", 0, i): v for i, v in enumerate(counts)} | {("row", 0, None): sum(counts)}
    assert all(cells[0][i] in (None, v) for i, v in enumerate(counts))
    assert all(cells[0][i] is None for i, v in enumerate(counts) if 0 < v < threshold)
    published = ([total], [None] * len(counts), None)
    bounds = outsider(cells, *published)
    assert_nothing_can_be_worked_out(bounds, true, threshold, published)


def test_the_issues_example_can_no_longer_be_undone():
    # "Ongegrond" totalled 2 over two hidden cells (so each was 1); a row had three hidden
    # cells totalling 3. Now neither can be worked out.
    counts = CrossTable(
        rows=["Bejegening", "Schending van privacy", "Informatie"],
        columns=["gegrond", "ongegrond", "informeel"],
        cells={
            ("Bejegening", "gegrond"): 6,
            ("Bejegening", "ongegrond"): 1,
            ("Bejegening", "informeel"): 14,
            ("Schending van privacy", "gegrond"): 1,
            ("Schending van privacy", "ongegrond"): 1,
            ("Schending van privacy", "informeel"): 1,
            ("Informatie", "gegrond"): 7,
            ("Informatie", "ongegrond"): 0,
            ("Informatie", "informeel"): 20,
        },
    )

    audit_table(counts, suppress(counts, 5), 5)


def audit_figures_json(body):
    """The audit of every cross table in the API's ``jaarcijfers`` answer (the page's figures)."""
    audited = 0
    for cross in body["cross_tables"]:
        if cross["withheld"]:
            assert cross["rows"] == []
            continue
        row_totals = [row["total"] for row in cross["rows"]]
        if cross["totals_only"]:
            assert all(row["cells"] == [] for row in cross["rows"])
            cells = [
                [0 if total == 0 or column_total == 0 else None for column_total in cross["column_totals"]]
                for total in row_totals
            ]
        else:
            cells = [[cell["value"] for cell in row["cells"]] for row in cross["rows"]]
        published = (row_totals, cross["column_totals"], cross["total"])
        bounds = outsider(cells, *published)
        for unknown, (low, high) in bounds.items():
            # Nothing says which hidden cells are small: each must look as if it could be.
            cap = cap_of(unknown, *published, body["threshold"])
            assert low < high, (cross["key"], unknown)
            assert low <= min(1, cap) and high >= cap, (cross["key"], unknown, low, high, cap)
        audited += len(bounds)
    return audited


@pytest.mark.django_db
@time_machine.travel(at(2026, 3, 15), tick=False)
def test_a_figures_page_of_many_generated_cases_passes_the_audit(client, home_page, municipality):
    bulk_cases(municipality, 240, seed=7)
    AnnualFiguresPageFactory(parent=home_page, municipality=municipality)
    body = client.get("/api/v3/klachtformulieren/jaarcijfers/", {"gemeente": municipality.slug}).json()

    assert body["received"] > 0
    assert audit_figures_json(body) > 0  # hidden cells were there to audit


def test_an_outcome_with_one_complaint_does_not_say_which_kind_it_was():
    # The review's case: one withdrawn and one referred complaint, both about the desk; their
    # totals are published with the outcomes, so no cell may point at the desk.
    counts = CrossTable(
        rows=["Balie", "Afval", "Parkeren"],
        columns=["ongegrond", "ingetrokken", "doorverwezen", "open"],
        cells={
            ("Balie", "ongegrond"): 9,
            ("Balie", "ingetrokken"): 1,
            ("Balie", "doorverwezen"): 1,
            ("Balie", "open"): 6,
            ("Afval", "ongegrond"): 12,
            ("Afval", "ingetrokken"): 0,
            ("Afval", "doorverwezen"): 0,
            ("Afval", "open"): 7,
            ("Parkeren", "ongegrond"): 8,
            ("Parkeren", "ingetrokken"): 0,
            ("Parkeren", "doorverwezen"): 0,
            ("Parkeren", "open"): 9,
        },
    )

    audit_table(counts, suppress(counts, 5), 5)
