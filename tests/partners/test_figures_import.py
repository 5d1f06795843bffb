"""Importing partners' annual figures: all or nothing, with row-numbered reasons."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from partners.models import PartnerAnnualFigures
from tests.factories import PartnerAnnualFiguresFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return PartnerFactory(name="Thuiszorg De Linde", slug="thuiszorg-de-linde")


def write(tmp_path, text, name="cijfers.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_with_semicolons_and_bom_is_imported(tmp_path, partner):
    path = write(
        tmp_path, "\ufeffpartner;year;received;resolved_informally;unfounded\nThuiszorg De Linde;2025;10;7;3\n"
    )

    call_command("import_partner_figures", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115

    figures = PartnerAnnualFigures.objects.get()
    assert (figures.year, figures.received, figures.resolved_informally, figures.unfounded) == (2025, 10, 7, 3)
    assert figures.history.first().history_change_reason == "Imported from a spreadsheet"


def test_xlsx_is_imported_and_updates_existing_figures(tmp_path, partner):
    PartnerAnnualFiguresFactory(partner=partner, year=2025, received=1, resolved_informally=1)
    workbook = Workbook()
    workbook.active.append(["partner", "year", "received", "well_founded"])
    workbook.active.append(["thuiszorg-de-linde", 2025, 4, 4])
    path = tmp_path / "cijfers.xlsx"
    workbook.save(path)

    call_command("import_partner_figures", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115

    figures = PartnerAnnualFigures.objects.get()
    assert (figures.received, figures.well_founded, figures.resolved_informally) == (4, 4, 0)


HEADER = "partner,year,received,resolved_informally\n"
GOOD_ROW = "Thuiszorg De Linde,2024,2,2\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("partner,year\nThuiszorg De Linde,2025\n", "Kolom(men) ontbreken: received"),
        (HEADER + GOOD_ROW + "Onbekend,2025,1,1\n", "Rij 3: onbekende partner"),
        (HEADER + GOOD_ROW + "Thuiszorg De Linde,2025,tien,1\n", "Rij 3: received moet een heel getal zijn"),
        (HEADER + GOOD_ROW + "Thuiszorg De Linde,2025,5,3\n", "Rij 3: De uitkomsten tellen op tot 3"),
        (HEADER + GOOD_ROW + GOOD_ROW, "Rij 3: Thuiszorg De Linde 2024 komt twee keer voor"),
        ("", "Het bestand is leeg."),
    ],
)
def test_invalid_files_are_refused_with_row_numbers_and_change_nothing(tmp_path, partner, text, reason):
    path = write(tmp_path, text)

    with pytest.raises(CommandError) as raised:
        call_command("import_partner_figures", str(path))

    assert reason in str(raised.value)
    assert not PartnerAnnualFigures.objects.exists()  # the good row was not written either


def test_a_file_that_is_not_utf8_is_refused(tmp_path, partner):
    path = write(tmp_path, "partner,year,received\nThuiszorg Dé Linde,2025,1\n", encoding="utf-16")

    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_partner_figures", str(path))
    assert not PartnerAnnualFigures.objects.exists()


def test_dry_run_writes_nothing(tmp_path, partner):
    path = write(tmp_path, "partner,year,received,resolved_informally\nThuiszorg De Linde,2025,1,1\n")

    call_command("import_partner_figures", str(path), "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not PartnerAnnualFigures.objects.exists()
