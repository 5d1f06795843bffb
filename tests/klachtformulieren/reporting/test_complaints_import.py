"""Importing past registrations: all rows checked first, cases the annual report can count."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import Workbook

from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.intake.services import register_complaint
from klachtformulieren.models import (
    Channel,
    Complaint,
    ComplaintKind,
    OrganisationUnit,
    Outcome,
    ReferenceSequence,
    Status,
)
from klachtformulieren.reporting import imports
from klachtformulieren.reporting.annual import OUTCOME_CODES
from tests.factories import ComplaintKindFactory, OrganisationUnitFactory, PartnerFactory

pytestmark = pytest.mark.django_db

ZONE = timezone.get_default_timezone()
HEADER = "received_on,kind,unit,channel,outcome"


@pytest.fixture(autouse=True)
def english_messages():
    """The messages' English source, whatever the Dutch catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def classifications(municipality):
    theme = OrganisationUnitFactory(municipality=municipality, name="Samenleving", level="theme")
    residents = OrganisationUnitFactory(municipality=municipality, name="Inwoners", level="domain", parent=theme)
    society = OrganisationUnitFactory(municipality=municipality, name="Maatschappij", level="domain", parent=theme)
    OrganisationUnitFactory(municipality=municipality, name="Klantcontact", level="team", parent=residents)
    OrganisationUnitFactory(municipality=municipality, name="Beleid", level="team", parent=residents)
    OrganisationUnitFactory(municipality=municipality, name="Beleid", level="team", parent=society)
    ComplaintKindFactory(municipality=municipality, name="Bejegening")
    ComplaintKindFactory(municipality=None, name="Informatie")  # shared by every municipality
    return municipality


def write(tmp_path, text, name="klachten.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path, rows, name="klachten.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def run_import(path, municipality, *options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_complaints", str(path), "--municipality", municipality.slug, *options, stdout=out, stderr=err)
    return out.getvalue()


def nothing_written(kinds=2, units=6):
    return (
        Complaint.objects.count(),
        Complaint.history.count(),
        ReferenceSequence.objects.count(),
        ComplaintKind.objects.count(),
        OrganisationUnit.objects.count(),
    ) == (0, 0, 0, kinds, units)


def noon(year, month, day):
    return datetime.datetime(year, month, day, 12, tzinfo=ZONE)


def test_csv_with_commas_becomes_cases_with_every_column(tmp_path, classifications):
    partner = PartnerFactory(name="Thuiszorg De Linde", slug="thuiszorg-de-linde")
    path = write(
        tmp_path,
        "received_on,kind,unit,channel,outcome,reference,decided_on,closed_on,postponed,apology,partner,description\n"
        "2024-03-04,Bejegening,Klantcontact,phone,well_founded,,2024-04-20,2024-04-25,ja,ja,"
        "thuiszorg-de-linde,Niet teruggebeld\n"
        "2024-05-06,informatie,Samenleving > Inwoners,E-mail,Ongegrond,2024-000042,,,nee,nee,"
        "Thuiszorg De Linde,\n",
    )

    output = run_import(path, classifications)

    first, second = Complaint.objects.order_by("received_at")
    assert (first.reference, first.year, first.number) == ("2024-000043", 2024, 43)
    assert (first.kind.name, first.unit.name, first.channel, first.partner) == (
        "Bejegening",
        "Klantcontact",
        Channel.PHONE,
        partner,
    )
    assert (first.outcome, first.status) == (Outcome.WELL_FOUNDED, Status.CLOSED)
    assert (first.received_at, first.decided_at, first.closed_at) == (
        noon(2024, 3, 4),
        noon(2024, 4, 20),
        noon(2024, 4, 25),
    )
    assert (first.postponed_weeks, first.apology_offered, first.description) == (4, True, "Niet teruggebeld")
    assert first.name == "Onbekend (import)"
    assert second.reference == "2024-000042"
    assert (second.kind.name, second.unit.name, second.channel) == ("Informatie", "Inwoners", Channel.EMAIL)
    assert (second.outcome, second.status, second.decided_at, second.closed_at) == (
        Outcome.UNFOUNDED,
        Status.DECIDED,
        noon(2024, 5, 6),  # no dates: settled on the day received
        None,
    )
    assert second.description == "Geïmporteerde registratie"
    assert first.status_token_hash != second.status_token_hash
    assert "Imported 2 cases" in output


def test_imported_cases_store_the_due_dates_that_save_would_compute(tmp_path, classifications):
    path = write(tmp_path, "received_on,kind,unit,channel,outcome,postponed\n2024-12-20,,,letter,,ja\n")

    run_import(path, classifications)

    complaint = Complaint.objects.get()
    assert complaint.decision_due_on == complaint.decision_due()
    assert complaint.first_contact_due_on == complaint.first_contact_due()
    assert (complaint.kind, complaint.unit, complaint.status, complaint.outcome) == (None, None, Status.HANDLING, "")


def test_csv_with_semicolons_bom_dutch_dates_and_labels(tmp_path, classifications):
    path = write(
        tmp_path,
        "\ufeffReceived_on;Kind;Unit;Channel;Outcome;Closed_on\r\n"
        "04-03-2024;Bejegening;Klantcontact;Telefoon;Informeel afgehandeld (Awb 9:5);6-3-2024\r\n"
        "05-03-2024;Bejegening;Klantcontact;balie;Buiten behandeling *;\r\n",
    )

    run_import(path, classifications)

    informal, not_handled = Complaint.objects.order_by("received_at")
    assert (informal.channel, informal.outcome, informal.status) == (
        Channel.PHONE,
        Outcome.RESOLVED_INFORMALLY,
        Status.CLOSED,
    )
    assert (informal.decided_at, informal.closed_at) == (None, noon(2024, 3, 6))
    assert (not_handled.channel, not_handled.outcome, not_handled.status) == (
        Channel.DESK,
        Outcome.NOT_HANDLED,
        Status.NOT_HANDLED,
    )
    assert not_handled.closed_at == noon(2024, 3, 5)


def test_xlsx_with_date_cells_is_imported(tmp_path, classifications):
    path = write_xlsx(
        tmp_path,
        [
            ["received_on", "kind", "unit", "channel", "outcome", "decided_on"],
            [datetime.date(2023, 6, 1), "Bejegening", "Inwoners", "webformulier", "Deels gegrond", "15-06-2023"],
        ],
    )

    run_import(path, classifications)

    complaint = Complaint.objects.get()
    assert (complaint.reference, complaint.unit.name, complaint.channel) == ("2023-000001", "Inwoners", "web_form")
    assert (complaint.outcome, complaint.decided_at) == (Outcome.PARTLY_WELL_FOUNDED, noon(2023, 6, 15))


@pytest.mark.parametrize(
    ("outcome", "code", "status"),
    [
        ("not_handled", Outcome.NOT_HANDLED, Status.NOT_HANDLED),
        ("Niet in behandeling genomen (Awb 9:8)", Outcome.NOT_HANDLED, Status.NOT_HANDLED),
        ("Geen oordeel", Outcome.NO_JUDGEMENT, Status.DECIDED),
        ("gegrond", Outcome.WELL_FOUNDED, Status.DECIDED),
        ("partly_well_founded", Outcome.PARTLY_WELL_FOUNDED, Status.DECIDED),
        ("Ongegrond", Outcome.UNFOUNDED, Status.DECIDED),
        ("Informeel afgedaan", Outcome.RESOLVED_INFORMALLY, Status.CLOSED),
        ("Ingetrokken", Outcome.WITHDRAWN, Status.WITHDRAWN),
        ("Doorverwezen of doorgestuurd (Awb 2:3)", Outcome.REFERRED, Status.REFERRED),
        ("referred", Outcome.REFERRED, Status.REFERRED),
        ("open", "", Status.HANDLING),
        ("Nog niet afgehandeld", "", Status.HANDLING),
        ("", "", Status.HANDLING),
    ],
)
def test_outcome_codes_and_dutch_labels_set_outcome_and_status(tmp_path, classifications, outcome, code, status):
    path = write(tmp_path, f"{HEADER}\n2024-03-04,Bejegening,Klantcontact,brief,{outcome}\n")

    run_import(path, classifications)

    complaint = Complaint.objects.get()
    assert (complaint.outcome, complaint.status) == (code, status)
    assert (complaint.decided_at or complaint.closed_at) == (noon(2024, 3, 4) if code else None)


GOOD_ROW = "2024-03-04,Bejegening,Klantcontact,phone,gegrond\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("recieved_on,kind,unit,channel,outcome\n2024-03-04,Bejegening,Klantcontact,phone,gegrond\n",
         "Row 1: Missing column(s): received_on."),
        ("recieved_on,kind,unit,channel,outcome\n2024-03-04,Bejegening,Klantcontact,phone,gegrond\n",
         "Row 1: Unknown column(s): recieved_on"),
        ("received_on,kind,unit,outcome\n2024-03-04,Bejegening,Klantcontact,gegrond\n",
         "Row 1: Missing column(s): channel."),
        (HEADER + "\n" + GOOD_ROW + "31-02-2024,Bejegening,Klantcontact,phone,gegrond\n",
         "Row 3: received_on “31-02-2024” is not a date; write YYYY-MM-DD or DD-MM-YYYY."),
        (HEADER + "\n" + GOOD_ROW + "2024/03/04,Bejegening,Klantcontact,phone,gegrond\n",
         "Row 3: received_on “2024/03/04” is not a date"),
        (HEADER + "\n" + GOOD_ROW + ",Bejegening,Klantcontact,phone,gegrond\n", "Row 3: received_on is empty."),
        (HEADER + "\n" + GOOD_ROW + "2099-01-01,Bejegening,Klantcontact,phone,\n",
         "Row 3: received_on 2099-01-01 lies in the future."),
        (HEADER + "\n" + GOOD_ROW + "2024-03-04,Parkeren,Klantcontact,phone,gegrond\n",
         "Row 3: kind “Parkeren”: unknown kind of complaint"),
        (HEADER + "\n" + GOOD_ROW + "2024-03-04,Bejegening,Burgerzaken,phone,gegrond\n",
         "Row 3: unit “Burgerzaken”: unknown organisation unit"),
        (HEADER + "\n" + GOOD_ROW + "2024-03-04,Bejegening,Beleid,phone,gegrond\n",
         "Row 3: unit “Beleid”: several units have this name; write its path, e.g. “Samenleving > "),
        (HEADER + "\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,phone,half gegrond\n",
         "Row 3: unknown outcome “half gegrond”; use one of:"),
        (HEADER + "\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,postduif,gegrond\n",
         "Row 3: unknown channel “postduif”"),
        (HEADER + "\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,,gegrond\n", "Row 3: unknown channel “”"),
        (HEADER + "\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,phone,gegrond,extra\n",
         "Row 3: more cells than the header has columns (extra)"),
        (HEADER + ",apology\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,phone,gegrond,misschien\n",
         "Row 3: apology must be ja or nee, not “misschien”."),
        (HEADER + ",partner\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,phone,gegrond,Onbekend BV\n",
         "Row 3: partner “Onbekend BV”: unknown partner"),
        (HEADER + ",decided_on\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,phone,gegrond,2024-03-01\n",
         "Row 3: decided_on lies before received_on."),
        (HEADER + ",closed_on\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,phone,open,2024-03-08\n",
         "Row 3: an open case has no decided_on or closed_on"),
        (HEADER + ",decided_on\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,phone,ingetrokken,2024-03-08\n",
         "Row 3: outcome “withdrawn” is not a decision, so it has no decided_on; use closed_on."),
        (HEADER + ",reference\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,phone,gegrond,2024-12\n",
         "Row 3: reference “2024-12” is not of the form YYYY-NNNNNN."),
        (HEADER + ",reference\n" + GOOD_ROW + "2024-03-04,Bejegening,Klantcontact,phone,gegrond,2023-000012\n",
         "Row 3: reference 2023-000012 does not belong to 2024, the year received."),
        (HEADER + ",reference\n" + GOOD_ROW.replace("\n", ",2024-000005\n") + GOOD_ROW.replace("\n", ",2024-000005\n"),
         "Row 3: reference 2024-000005 is also in row 2."),
        ("", "The file is empty."),
        ("\n\n", "The file is empty."),
        (HEADER + "\n", "The file has a header but no rows to import."),
    ],
)  # fmt: skip
def test_invalid_files_are_refused_with_row_numbers_and_change_nothing(tmp_path, classifications, text, reason):
    path = write(tmp_path, text)

    with pytest.raises(CommandError) as raised:
        run_import(path, classifications)

    assert "Nothing was imported" in str(raised.value)
    assert reason in str(raised.value)
    assert nothing_written()


def test_every_bad_row_is_named_at_once(tmp_path, classifications):
    path = write(
        tmp_path,
        HEADER + "\n" + GOOD_ROW + "2024-13-01,Bejegening,Klantcontact,phone,gegrond\n"
        "\n"  # an empty row is skipped, and counted: the next is row 5, as a spreadsheet shows it
        "2024-03-04,Parkeren,Klantcontact,fax,gegrond\n",
    )

    with pytest.raises(CommandError) as raised:
        run_import(path, classifications)

    lines = str(raised.value).splitlines()[1:]
    assert [line.split(":")[0] for line in lines] == ["Row 3", "Row 5", "Row 5"]
    assert nothing_written()


@pytest.mark.parametrize(("encoding", "row"), [("latin-1", 3), ("utf-16", 1)])
def test_a_file_that_is_not_utf8_is_refused_with_the_row_of_the_first_bad_byte(
    tmp_path, classifications, encoding, row
):
    path = write(tmp_path, HEADER + "\n" + GOOD_ROW + "2024-03-04,Bejegening,Café,phone,gegrond\n", encoding=encoding)

    with pytest.raises(CommandError) as raised:
        run_import(path, classifications)

    assert f"Row {row}: The file is not UTF-8 text. Save it as CSV UTF-8." in str(raised.value)
    assert nothing_written()


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, classifications):
    path = write(tmp_path, HEADER + "\n" + GOOD_ROW, name="klachten.xlsx")

    with pytest.raises(CommandError, match="not an XLSX workbook"):
        run_import(path, classifications)
    assert nothing_written()


def test_a_reference_that_a_case_already_has_is_refused(tmp_path, classifications):
    register_complaint(submission(), municipality=classifications, received_at=noon(2024, 1, 5))
    path = write(tmp_path, HEADER + ",reference\n" + GOOD_ROW.replace("\n", ",2024-000001\n"))

    with pytest.raises(CommandError, match=r"Row 2: reference 2024-000001 is taken\."):
        run_import(path, classifications)
    assert Complaint.objects.count() == 1


def test_a_reference_taken_by_a_complaint_filed_during_the_import_is_refused(tmp_path, classifications, monkeypatch):
    path = write(tmp_path, HEADER + ",reference\n" + GOOD_ROW.replace("\n", ",2024-000001\n"))
    real_check = imports._references_taken
    checks = []

    def web_complaint_between_the_checks(cases):
        checks.append(len(checks))
        if len(checks) == 1:  # the file was checked; then a citizen files a complaint
            register_complaint(submission(), municipality=classifications, received_at=noon(2024, 1, 5))
            return []
        return real_check(cases)

    monkeypatch.setattr(imports, "_references_taken", web_complaint_between_the_checks)

    with pytest.raises(CommandError, match=r"Row 2: reference 2024-000001 is taken\."):
        run_import(path, classifications)
    assert Complaint.objects.count() == 1
    assert checks == [0, 1]


def test_a_refused_file_creates_no_kinds_or_units_either(tmp_path, classifications):
    path = write(
        tmp_path,
        HEADER + "\n2024-03-04,Parkeren,Stad > Economie,phone,gegrond\n2024-03-05,Bejegening,Klantcontact,phone,x\n",
    )

    with pytest.raises(CommandError, match="Row 3: unknown outcome"):
        run_import(path, classifications, "--create-missing")
    assert nothing_written()


def test_create_missing_adds_kinds_and_units_where_the_path_says(tmp_path, classifications):
    path = write(
        tmp_path,
        HEADER + "\n"
        "2024-03-04,Parkeren,Inwoners > Burgerzaken,phone,gegrond\n"
        "2024-03-05,parkeren,Stad > Economie > Markten,phone,gegrond\n"
        "2024-03-06,Bejegening,Juridische Zaken,phone,gegrond\n"
        "2024-03-07,Bejegening,Markten,phone,gegrond\n",
    )

    output = run_import(path, classifications, "--create-missing")

    kind = ComplaintKind.objects.get(name="Parkeren")
    assert kind.municipality == classifications
    units = {unit.name: unit for unit in OrganisationUnit.objects.select_related("parent")}
    assert (units["Burgerzaken"].level, units["Burgerzaken"].parent.name) == ("team", "Inwoners")
    assert (units["Stad"].level, units["Economie"].level, units["Markten"].level) == ("theme", "domain", "team")
    assert (units["Markten"].parent, units["Economie"].parent) == (units["Economie"], units["Stad"])
    assert (units["Juridische Zaken"].level, units["Juridische Zaken"].parent) == ("theme", None)
    cases = list(Complaint.objects.order_by("received_at"))
    assert [case.kind for case in cases[:2]] == [kind, kind]
    assert [case.unit.name for case in cases] == ["Burgerzaken", "Markten", "Juridische Zaken", "Markten"]
    assert "Created kinds of complaint: Parkeren." in output
    assert "Samenleving > Inwoners > Burgerzaken" in output


def test_a_path_tells_apart_units_with_the_same_name(tmp_path, classifications):
    path = write(tmp_path, HEADER + "\n2024-03-04,Bejegening,maatschappij > beleid,phone,gegrond\n")

    run_import(path, classifications)

    assert Complaint.objects.get().unit.parent.name == "Maatschappij"


def test_the_history_record_says_the_case_was_imported(tmp_path, classifications):
    path = write(tmp_path, HEADER + "\n" + GOOD_ROW, name="klachten-2024.csv")

    run_import(path, classifications)

    record = Complaint.objects.get().history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "import: klachten-2024.csv")
    assert record.outcome == Outcome.WELL_FOUNDED


def submission():
    return ComplaintSubmission(name="Klager", description="Niet teruggebeld.", conduct_date=datetime.date(2025, 1, 2))


def test_a_new_intake_after_the_import_gets_the_next_reference(tmp_path, classifications):
    before = register_complaint(submission(), municipality=classifications, received_at=noon(2025, 1, 6))
    path = write(tmp_path, f"{HEADER}\n2025-02-01,,,phone,\n2025-01-02,,,phone,\n2024-12-30,,,phone,\n")

    output = run_import(path, classifications)
    after = register_complaint(submission(), municipality=classifications, received_at=noon(2025, 3, 3))

    imported = Complaint.objects.exclude(pk__in=[before.complaint.pk, after.complaint.pk]).order_by("received_at")
    # New numbers follow the order of receipt, after the numbers taken.
    assert [case.reference for case in imported] == ["2024-000001", "2025-000002", "2025-000003"]
    assert (before.complaint.reference, after.complaint.reference) == ("2025-000001", "2025-000004")
    assert "References: 2024-000001..000001, 2025-000002..000003." in output


def test_given_references_move_the_sequence_past_them(tmp_path, classifications):
    path = write(tmp_path, f"{HEADER},reference\n2025-02-01,,,phone,,2025-000007\n2025-03-01,,,phone,,\n")

    run_import(path, classifications)
    after = register_complaint(submission(), municipality=classifications, received_at=noon(2025, 3, 3))

    assert sorted(Complaint.objects.values_list("number", flat=True)) == [7, 8, 9]
    assert after.complaint.number == 9


def test_dry_run_checks_and_writes_nothing(tmp_path, classifications):
    path = write(tmp_path, HEADER + "\n" + GOOD_ROW + "2023-05-01,Parkeren,Stad,mail,\n")

    output = run_import(path, classifications, "--dry-run", "--create-missing")

    assert "Would create kinds of complaint: Parkeren." in output
    assert "Would create organisation units: Stad." in output
    assert "Would import 2 cases" in output and "2023: 1, 2024: 1" in output
    assert nothing_written()


# Heerlen, annual complaint report 2021, table 2.1 (seeds/000): complaints received in 2021 by
# kind and outcome, as published (outcome columns: buiten behandeling, geen oordeel, gegrond,
# ongegrond, informeel afgehandeld, ingetrokken). Its rows add up to 149 and its "informal"
# column to 119, while the published totals row says 150 and 120 ("Overige" is 17 here and 18
# in the next table): the rows are reproduced as published; the totals are then our own sums.
HEERLEN_COLUMNS = {
    "Buiten behandeling": Outcome.NOT_HANDLED,
    "Geen oordeel": Outcome.NO_JUDGEMENT,
    "Gegrond": Outcome.WELL_FOUNDED,
    "Ongegrond": Outcome.UNFOUNDED,
    "Informeel afgehandeld": Outcome.RESOLVED_INFORMALLY,
    "Ingetrokken": Outcome.WITHDRAWN,
}
HEERLEN_2021 = {
    "Bereikbaarheid (telefonisch of digitaal)": [0, 0, 0, 0, 6, 0],
    "Genomen beslissing": [3, 0, 0, 2, 16, 0],
    "Niet nakomen afspraak": [0, 0, 0, 1, 5, 1],
    "Onbehoorlijke persoonlijke bejegening": [0, 1, 0, 1, 14, 1],
    "Onduidelijke of onjuiste informatie": [0, 0, 1, 1, 20, 0],
    "Regelgeving": [2, 0, 2, 2, 11, 1],
    "Schending privacy": [0, 0, 0, 3, 2, 0],
    "Trage/niet adequate reactie op verzoek/aanvraag": [0, 0, 1, 1, 29, 3],
    "Uitblijven handhavend optreden": [0, 0, 0, 0, 2, 0],
    "Overige": [3, 0, 0, 0, 14, 0],
}
HEERLEN_DOMAINS = ["Economie", "Inwoners", "Ruimte", "Maatschappij", "Middelen", "Organisatie"]
CHANNELS = ["Telefoon", "Webformulier", "E-mail", "Brief", "Balie"]


def test_an_import_shaped_like_heerlens_2021_report_reproduces_its_kind_by_outcome_table(tmp_path, municipality):
    rows = [["received_on", "kind", "unit", "channel", "outcome"]]
    for kind, counts in HEERLEN_2021.items():
        for label, count in zip(HEERLEN_COLUMNS, counts, strict=True):
            for _ in range(count):
                index = len(rows)
                received_on = datetime.date(2021, 1, 4) + datetime.timedelta(days=2 * index)
                rows.append([received_on, kind, HEERLEN_DOMAINS[index % 6], CHANNELS[index % 5], label])
    path = write_xlsx(tmp_path, rows, name="heerlen-2021.xlsx")

    run_import(path, municipality, "--create-missing")
    report = io.StringIO()
    call_command(
        "complaint_report", "--year", "2021", "--municipality", municipality.slug, "--format", "json", stdout=report
    )

    figures = json.loads(report.getvalue())
    expected = {
        kind: dict.fromkeys(OUTCOME_CODES, 0)
        | {HEERLEN_COLUMNS[label]: n for label, n in zip(HEERLEN_COLUMNS, counts, strict=True)}
        for kind, counts in HEERLEN_2021.items()
    }
    assert figures["by_kind_outcome"] == expected
    assert figures["received"] == 149
    assert figures["by_outcome"]["resolved_informally"] == 119
