"""Reading an import spreadsheet (CSV or XLSX) into rows, with the row numbers people see.

Shared by the partners' figures import and, from the layer above, the import of past
complaint registrations. CSV may use commas or semicolons and must be UTF-8 (with or without
the BOM Excel writes); XLSX is read from its first (active) worksheet. Row 1 is the header;
column names are compared in lower case. A row number is the row as a spreadsheet program
shows it, also when empty rows are skipped.
"""

import csv
import datetime
import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class ImportRefused(Exception):
    """The file cannot be imported; ``errors`` lists every problem with its row number."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


def read_rows(path, *, required, optional=None):
    """The data rows as ``(row number, {column: text})``, header checked.

    ``required`` columns must be present. With ``optional`` given, any other column is refused
    (a misspelt optional column would otherwise be ignored silently). Cells beyond the header
    that hold something come under the key ``None``.
    """
    rows = _xlsx_cells(path) if str(path).lower().endswith(".xlsx") else _csv_cells(path)
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise ImportRefused([_("The file is empty.")])
    header_number, header = numbered[0]
    header = [column.lower() for column in header]
    _check_header(header, header_number, required, optional)
    width = len(header)
    result = []
    for number, row in numbered[1:]:
        values = dict(zip(header, row, strict=False))
        extra = [cell for cell in row[width:] if cell]
        if extra:
            values[None] = extra
        result.append((number, values))
    return result


def _check_header(header, number, required, optional):
    errors = []
    missing = [column for column in required if column not in header]
    if missing:
        errors.append(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    if optional is not None:
        known = (*required, *optional)
        unknown = [column or '""' for column in header if column not in known]
        if unknown:
            errors.append(
                _("Unknown column(s): %(columns)s; the columns are: %(known)s.")
                % {"columns": ", ".join(unknown), "known": ", ".join(known)}
            )
    doubled = sorted({column for column in header if column and header.count(column) > 1})
    if doubled:
        errors.append(_("Column(s) appearing twice: %(columns)s.") % {"columns": ", ".join(doubled)})
    if errors:
        raise ImportRefused([_("Row %(row)s: %(reason)s") % {"row": number, "reason": error} for error in errors])


def _csv_cells(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        reason = _("The file is not UTF-8 text. Save it as CSV UTF-8.")
        raise ImportRefused([_("Row %(row)s: %(reason)s") % {"row": row, "reason": reason}]) from error
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_cells(path):
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ImportRefused([_("The file is not an XLSX workbook that can be read.")]) from error
    try:
        return [[_cell_text(cell) for cell in row] for row in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # A date typed into Excel comes back as midnight: keep it a date.
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()
