"""Spreadsheet exports (CSV and XLSX) that are safe to open in a spreadsheet program.

Shared by the partners' compliance report and, from the layer above, the annual report.
"""

import csv
import io

from openpyxl import Workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Spreadsheet programs execute text cells starting with these characters (CSV injection).

    Numbers stay numbers; text that would start a formula gets a leading apostrophe.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def csv_bytes(sections):
    """``sections``: (title, rows) pairs; one CSV (semicolons, UTF-8 with BOM for Excel).

    With more than one section, each starts with its title and ends with an empty line.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for title, rows in sections:
        if len(sections) > 1:
            writer.writerow([neutralise_formula(title)])
        writer.writerows([[neutralise_formula(cell) for cell in row] for row in rows])
        if len(sections) > 1:
            writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sections):
    """``sections``: (title, rows) pairs; one worksheet each (titles cut to Excel's 31 characters)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for title, rows in sections:
        name = _sheet_name(title, used)
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([neutralise_formula(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title, used):
    base = "".join("_" if char in "[]:*?/\\" else char for char in str(title))[:31] or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        suffix = f" {number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name
