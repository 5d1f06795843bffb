"""Importing past complaint registrations from a spreadsheet (``manage.py import_complaints``).

A municipality that registered its complaints elsewhere (a spreadsheet, an older system)
brings its past years in, so the annual report (``reporting.annual``) and its five-year figures cover
them. docs/import.md describes the columns and the values accepted.

All or nothing: every row is checked before anything is written, and one bad row refuses
the file with every problem and its row number (``ImportRefused``). Then one transaction
writes the cases and one history record each ("+", reason ``import: <file name>``).

An imported row becomes a case through the workflow's own steps, in memory
(``workflow.apply_<step>``): intake with its kind and unit, a handler (unknown) for a
decision or an open case, the postponement, then the step of its outcome (decide and close,
resolve informally, not handled, refer, withdraw). The moment the outcome was reached is the
decision date or the closing date (at noon, local time); a row with an outcome but without
dates is settled on the day it was received, so it counts with its outcome in the year it
was received.

References: a row may bring its own (``YYYY-NNNNNN`` of the year received, not taken yet);
the others get the next numbers of the year in order of receipt, after the highest number
taken or imported. The year's ``ReferenceSequence`` is left at the last number, so the
intake continues after the imported cases, without duplicates.

Speed: lookups are loaded once into dicts, no query per row; the rows are written in
batches by ``bulk.writers`` (PostgreSQL: COPY; other databases: executemany), bypassing
``Complaint.save()`` and the history signals; the writers compute the due dates and the
history records as they would.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klachtformulieren.bulk import writers
from klachtformulieren.cases import references, workflow
from klachtformulieren.intake.status import new_status_token
from klachtformulieren.models import (
    DECISION_OUTCOMES,
    Channel,
    Complaint,
    ComplaintKind,
    OrganisationUnit,
    Outcome,
)
from klachtformulieren.reporting import year_rows
from partners.models import Partner
from partners.spreadsheet_reading import ImportRefused, read_rows

__all__ = ["ImportRefused", "ImportResult", "import_complaints"]

REQUIRED_COLUMNS = ("received_on", "kind", "unit", "channel", "outcome")
OPTIONAL_COLUMNS = ("reference", "decided_on", "closed_on", "postponed", "apology", "partner", "description")

# Past registrations often lack the complainant and the story; the case still needs both.
IMPORTED_NAME = "Onbekend (import)"
IMPORTED_DESCRIPTION = "Geïmporteerde registratie"
CHANGE_REASON = "import"  # the "+" record says "import: <file name>"
SETTLED_AT = datetime.time(12)  # dates become moments at noon, far from midnight and DST changes
DEFAULT_BATCH_SIZE = 5000
REFERENCE_QUERY_CHUNK = 500
NAME_LENGTH = 120  # of a kind or a unit (ComplaintKind.name, OrganisationUnit.name)

OPEN = "open"

# Words seen in municipal registrations and reports, next to the codes and the labels.
OUTCOME_WORDS = {
    Outcome.NOT_HANDLED: ["niet in behandeling genomen", "niet in behandeling", "buiten behandeling",
                          "buiten behandeling gesteld"],
    Outcome.NO_JUDGEMENT: ["geen oordeel"],
    Outcome.WELL_FOUNDED: ["gegrond"],
    Outcome.PARTLY_WELL_FOUNDED: ["deels gegrond", "gedeeltelijk gegrond"],
    Outcome.UNFOUNDED: ["ongegrond"],
    Outcome.RESOLVED_INFORMALLY: ["informeel afgehandeld", "informeel afgedaan", "informeel opgelost"],
    Outcome.WITHDRAWN: ["ingetrokken", "intrekking"],
    Outcome.REFERRED: ["doorverwezen of doorgestuurd", "doorverwezen", "doorgestuurd"],
    OPEN: ["open", "nog niet afgehandeld", "nog open", "in behandeling"],
}  # fmt: skip
CHANNEL_WORDS = {
    Channel.WEB_FORM: ["webformulier", "website", "website/webformulier", "internet", "online"],
    Channel.EMAIL: ["e-mail", "email", "mail"],
    Channel.LETTER: ["brief", "post", "per post"],
    Channel.PHONE: ["telefoon", "telefonisch", "tel"],
    Channel.DESK: ["balie", "aan de balie", "loket", "persoonlijk"],
    Channel.OMBUDSMAN: ["ombudsman", "via de ombudsman", "nationale ombudsman"],
    Channel.INTERNAL: ["intern", "collega", "intern, via een collega"],
}
YES = frozenset({"ja", "j", "yes", "y", "true", "1"})
NO = frozenset({"", "nee", "n", "no", "false", "0"})


@dataclass
class ImportResult:
    cases: int = 0
    by_year: dict = field(default_factory=dict)  # year -> cases
    references: dict = field(default_factory=dict)  # year -> (first, last) number written, new or given
    created_kinds: list = field(default_factory=list)  # names
    created_units: list = field(default_factory=list)  # "Theme > Domain" paths
    dry_run: bool = False


def import_complaints(
    path,
    *,
    municipality,
    dry_run=False,
    create_missing=False,
    batch_size=DEFAULT_BATCH_SIZE,
    on_progress=None,
    today=None,
):
    """Check every row of the file, then (unless ``dry_run``) write them all; returns an ``ImportResult``.

    Raises ``ImportRefused`` with every problem and its row number; nothing is written then.
    ``on_progress(done, total)`` is called after every batch written.
    """
    rows = read_rows(path, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    if not rows:
        raise ImportRefused([_("The file has a header but no rows to import.")])
    checker = _RowChecker(municipality, create_missing, today or timezone.localdate())
    cases = [case for number, row in rows if (case := checker.check(number, row)) is not None]
    errors = checker.errors + _references_taken(cases)
    if errors:
        errors.sort(key=lambda error: error[0])
        raise ImportRefused([message for _number, message in errors])

    result = ImportResult(
        cases=len(cases),
        by_year=dict(sorted(Counter(case.received_on.year for case in cases).items())),
        created_kinds=[kind.name for kind in checker.kinds.new],
        created_units=[unit.path for unit in checker.units.new],
        dry_run=dry_run,
    )
    if not dry_run:
        _write(cases, checker, municipality, Path(path).name, batch_size, on_progress, result)
    return result


@dataclass
class _Case:
    """A checked row."""

    row: int
    received_on: datetime.date
    reference: tuple | None  # (year, number) when the row brings its own
    kind: object  # _Kind or None
    unit: object  # _Unit or None
    channel: str
    outcome: str  # "" when open
    decided_on: datetime.date | None
    closed_on: datetime.date | None
    postponed: bool
    apology: bool
    partner_id: int | None
    description: str


def _normalised(text):
    """Lower case, without a parenthesised remark ("(Awb 9:8)"), footnote marks or punctuation."""
    text = re.sub(r"\(.*?\)", " ", text.lower())
    return re.sub(r"[\W_]+", " ", text).strip()


@lru_cache(maxsize=1)
def _vocabulary():
    """``normalised word -> code`` for outcomes and channels: codes, labels (English and Dutch), words."""
    outcomes, channels = {}, {}
    for table, choices, words in ((outcomes, Outcome, OUTCOME_WORDS), (channels, Channel, CHANNEL_WORDS)):
        for choice in choices:
            table[_normalised(choice.value)] = choice.value
            for language in ("en", "nl"):
                with translation.override(language):
                    table[_normalised(str(choice.label))] = choice.value
        for code, synonyms in words.items():
            for word in synonyms:
                table[_normalised(word)] = str(code)
    return outcomes, channels


class _RowChecker:
    """Checks rows one by one, collecting (row, message) errors; lookups are loaded once."""

    def __init__(self, municipality, create_missing, today):
        self.today = today
        self.create_missing = create_missing
        self.errors = []
        self.kinds = _KindLookup(municipality, create_missing)
        self.units = _UnitLookup(municipality, create_missing)
        self.partners = _PartnerLookup()
        self.outcomes, self.channels = _vocabulary()
        self.dates = {}
        self.references = {}  # (year, number) -> first row

    def error(self, number, message, **values):
        self.errors.append((number, _("Row %(row)s: %(reason)s") % {"row": number, "reason": message % values}))

    def check(self, number, row):
        errors_before = len(self.errors)
        if None in row:
            self.error(
                number,
                _("more cells than the header has columns (%(cells)s); is the separator right?"),
                cells=", ".join(row[None]),
            )
        received_on = self.date(number, row, "received_on", required=True)
        decided_on = self.date(number, row, "decided_on")
        closed_on = self.date(number, row, "closed_on")
        outcome = self.outcome(number, row.get("outcome", ""))
        channel = self.lookup(number, self.channels, row.get("channel", ""), _("channel"), required=True)
        kind = self.classification(number, self.kinds, row.get("kind", ""), _("kind"))
        unit = self.classification(number, self.units, row.get("unit", ""), _("unit"))
        partner_id = self.partner(number, row.get("partner", ""))
        postponed = self.yes_no(number, row, "postponed")
        apology = self.yes_no(number, row, "apology")
        if received_on:
            self.check_dates(number, received_on, decided_on, closed_on, outcome)
        reference = self.reference(number, row.get("reference", ""), received_on)
        if len(self.errors) > errors_before:
            return None
        return _Case(
            row=number,
            received_on=received_on,
            reference=reference,
            kind=kind,
            unit=unit,
            channel=channel,
            outcome="" if outcome == OPEN else outcome,
            decided_on=decided_on,
            closed_on=closed_on,
            postponed=postponed,
            apology=apology,
            partner_id=partner_id,
            description=row.get("description", "") or IMPORTED_DESCRIPTION,
        )

    def date(self, number, row, column, *, required=False):
        text = row.get(column, "")
        if not text:
            if required:
                self.error(number, _("%(column)s is empty."), column=column)
            return None
        if text not in self.dates:
            self.dates[text] = _parse_date(text)
        parsed = self.dates[text]
        if parsed is None:
            self.error(
                number,
                _("%(column)s “%(value)s” is not a date; write YYYY-MM-DD or DD-MM-YYYY."),
                column=column,
                value=text,
            )
        elif parsed > self.today:
            self.error(number, _("%(column)s %(date)s lies in the future."), column=column, date=parsed.isoformat())
            return None
        return parsed

    def check_dates(self, number, received_on, decided_on, closed_on, outcome):
        for column, day in (("decided_on", decided_on), ("closed_on", closed_on)):
            if day and day < received_on:
                self.error(number, _("%(column)s lies before received_on."), column=column)
        if decided_on and closed_on and closed_on < decided_on:
            self.error(number, _("closed_on lies before decided_on."))
        if outcome == OPEN and (decided_on or closed_on):
            self.error(number, _("an open case has no decided_on or closed_on; give its outcome."))
        elif decided_on and outcome and outcome not in DECISION_OUTCOMES:
            self.error(
                number,
                _("outcome “%(outcome)s” is not a decision, so it has no decided_on; use closed_on."),
                outcome=outcome,
            )

    def outcome(self, number, text):
        if not text:
            return OPEN
        return self.lookup(number, self.outcomes, text, _("outcome"), required=True)

    def lookup(self, number, table, text, column, *, required):
        code = table.get(_normalised(text))
        if code is None and (text or required):
            self.error(
                number,
                _("unknown %(column)s “%(value)s”; use one of: %(codes)s."),
                column=column,
                value=text,
                codes=", ".join(sorted(set(table.values()))),
            )
        return code

    def classification(self, number, lookup, text, column):
        if not text:
            return None
        found, problem = lookup.find(text)
        if problem:
            self.error(number, _("%(column)s “%(value)s”: %(problem)s"), column=column, value=text, problem=problem)
        return found

    def partner(self, number, text):
        if not text:
            return None
        partner_id, problem = self.partners.find(text)
        if problem:
            self.error(number, _("partner “%(value)s”: %(problem)s"), value=text, problem=problem)
        return partner_id

    def yes_no(self, number, row, column):
        text = row.get(column, "").lower()
        if text in YES:
            return True
        if text not in NO:
            self.error(number, _("%(column)s must be ja or nee, not “%(value)s”."), column=column, value=text)
        return False

    def reference(self, number, text, received_on):
        if not text:
            return None
        reference = references.parse_reference(text)
        if reference is None or reference[1] == 0:
            self.error(number, _("reference “%(value)s” is not of the form YYYY-NNNNNN."), value=text)
            return None
        if received_on and reference[0] != received_on.year:
            self.error(
                number,
                _("reference %(reference)s does not belong to %(year)s, the year received."),
                reference=text,
                year=received_on.year,
            )
        elif reference in self.references:
            self.error(
                number, _("reference %(reference)s is also in row %(other)s."), reference=text,
                other=self.references[reference],
            )  # fmt: skip
        else:
            self.references[reference] = number
        return reference


def _parse_date(text):
    parts = text.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    if len(parts[0]) == 4:
        year, month, day = parts
    elif len(parts[2]) == 4:
        day, month, year = parts
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _references_taken(cases):
    """(row, message) for every reference the file brings that a case already has."""
    given = {references.format_reference(*case.reference): case.row for case in cases if case.reference}
    texts = list(given)
    taken = []
    for start in range(0, len(texts), REFERENCE_QUERY_CHUNK):
        chunk = texts[start : start + REFERENCE_QUERY_CHUNK]
        taken.extend(Complaint.objects.filter(reference__in=chunk).values_list("reference", flat=True))
    return [
        (
            given[reference],
            _("Row %(row)s: %(reason)s")
            % {"row": given[reference], "reason": _("reference %(reference)s is taken.") % {"reference": reference}},
        )
        for reference in taken
    ]


@dataclass
class _Kind:
    name: str
    pk: int | None = None


class _KindLookup:
    """The municipality's kinds and the install's shared ones, by name in any case; its own win."""

    def __init__(self, municipality, create_missing):
        self.municipality = municipality
        self.create_missing = create_missing
        self.by_name = {}
        kinds = ComplaintKind.objects.filter(Q(municipality=municipality) | Q(municipality__isnull=True))
        for pk, name, owner in kinds.values_list("pk", "name", "municipality"):
            if owner is None:
                self.by_name.setdefault(name.strip().lower(), _Kind(name, pk))
            else:
                self.by_name[name.strip().lower()] = _Kind(name, pk)
        self.new = []

    def find(self, text):
        kind = self.by_name.get(text.lower())
        if kind is not None:
            return kind, None
        if not self.create_missing:
            return None, _("unknown kind of complaint (add it first, or import with --create-missing)")
        if len(text) > NAME_LENGTH:
            return None, _("a name has at most %(length)s characters") % {"length": NAME_LENGTH}
        kind = self.by_name[text.lower()] = _Kind(text)
        self.new.append(kind)
        return kind, None

    def create(self):
        start = (ComplaintKind.objects.filter(municipality=self.municipality).aggregate(last=Max("sort_order"))["last"]
                 or 0) + 1  # fmt: skip
        for offset, kind in enumerate(self.new):
            kind.pk = ComplaintKind.objects.create(
                municipality=self.municipality, name=kind.name, sort_order=start + offset
            ).pk


@dataclass
class _Unit:
    name: str
    level: str
    parent: object  # _Unit or None
    pk: int | None = None

    @property
    def names(self):
        """Lower-case names from the top of the tree down to this unit."""
        return (*self.parent.names, self.name.lower()) if self.parent else (self.name.lower(),)

    @property
    def path(self):
        return f"{self.parent.path} > {self.name}" if self.parent else self.name


class _UnitLookup:
    """The municipality's units by name at any level, or by the end of their path ("Domain > Team").

    With ``create_missing``, the missing end of a path is created under the deepest unit found,
    one level down each; a path found nowhere starts at the top, so a single name becomes a theme.
    """

    LEVELS = (OrganisationUnit.Level.THEME, OrganisationUnit.Level.DOMAIN, OrganisationUnit.Level.TEAM)

    def __init__(self, municipality, create_missing):
        self.municipality = municipality
        self.create_missing = create_missing
        rows = list(
            OrganisationUnit.objects.filter(municipality=municipality).values_list("pk", "name", "level", "parent")
        )
        units = {pk: _Unit(name, level, parent) for pk, name, level, parent in rows}
        for pk, unit in units.items():
            unit.pk = pk
            unit.parent = units.get(unit.parent)
        self.by_name = {}
        for unit in units.values():
            self.by_name.setdefault(unit.name.lower(), []).append(unit)
        self.found = {}  # cell text -> (unit, problem)
        self.new = []

    def find(self, text):
        if text not in self.found:
            self.found[text] = self._find(text)
        return self.found[text]

    def _find(self, text):
        names = tuple(part.strip().lower() for part in text.split(">"))
        if not all(names) or len(names) > len(self.LEVELS):
            return None, _("write a unit as its name or as a path of at most three names: Theme > Domain > Team")
        matches = self._matching(names)
        if len(matches) == 1:
            return matches[0], None
        if matches:
            return None, _("several units have this name; write its path, e.g. “%(path)s”") % {"path": matches[0].path}
        if not self.create_missing:
            return None, _("unknown organisation unit (add it first, or import with --create-missing)")
        return self._create_path([part.strip() for part in text.split(">")])

    def _matching(self, names):
        return [unit for unit in self.by_name.get(names[-1], []) if unit.names[-len(names) :] == names]

    def _create_path(self, parts):
        parent, start = None, 0
        for length in range(len(parts) - 1, 0, -1):
            matches = self._matching(tuple(part.lower() for part in parts[:length]))
            if len(matches) > 1:
                return None, _("several units are called “%(name)s”; write the whole path") % {"name": parts[0]}
            if matches:
                parent, start = matches[0], length
                break
        if any(len(part) > NAME_LENGTH for part in parts):
            return None, _("a name has at most %(length)s characters") % {"length": NAME_LENGTH}
        depth = self.LEVELS.index(parent.level) + 1 if parent else 0
        if depth + len(parts) - start > len(self.LEVELS):
            return None, _("a team is the lowest level; it has no units below it")
        for offset, name in enumerate(parts[start:]):
            parent = _Unit(name, self.LEVELS[depth + offset], parent)
            self.by_name.setdefault(name.lower(), []).append(parent)
            self.new.append(parent)
        return parent, None

    def create(self):
        for unit in self.new:  # parents come before their children
            unit.pk = OrganisationUnit.objects.create(
                municipality=self.municipality,
                name=unit.name,
                level=unit.level,
                parent_id=unit.parent.pk if unit.parent else None,
            ).pk


class _PartnerLookup:
    """Partners by short name (slug) or name, in any case; they are never created by an import."""

    AMBIGUOUS = object()

    def __init__(self):
        partners = list(Partner.objects.values_list("pk", "name", "slug"))
        self.by_key = {}
        for pk, name, _slug in partners:
            key = name.strip().lower()
            self.by_key[key] = self.AMBIGUOUS if key in self.by_key else pk
        for pk, _name, slug in partners:
            self.by_key[slug.lower()] = pk

    def find(self, text):
        found = self.by_key.get(text.lower())
        if found is None:
            return None, _("unknown partner (partners are not created by an import)")
        if found is self.AMBIGUOUS:
            return None, _("several partners have this name; use the short name")
        return found, None


def _write(cases, checker, municipality, file_name, batch_size, on_progress, result):
    now = timezone.now()
    zone = timezone.get_current_timezone()
    reason = f"{CHANGE_REASON}: {file_name}"
    # New numbers follow the order of receipt; so do the ids.
    cases.sort(key=lambda case: (case.received_on, case.row))
    with transaction.atomic():
        checker.kinds.create()
        checker.units.create()
        given = {}
        for year, number in (case.reference for case in cases if case.reference):
            given[year] = max(given.get(year, 0), number)
        without = Counter(case.received_on.year for case in cases if not case.reference)
        numbers = {
            year: iter(references.reserve(year, without[year], after=given.get(year, 0)))
            for year in sorted(result.by_year)
        }
        # Checked again now the sequences are locked: a complaint filed since the first check
        # may have taken a reference the file brings. Refused like any other taken reference.
        taken = _references_taken(cases)
        if taken:
            raise ImportRefused([message for _row, message in taken])
        builder = _CaseBuilder(municipality, now, zone)
        writer = writers.for_database()
        ids = iter(writer.reserve_ids(len(cases)))
        with writer:
            for start in range(0, len(cases), batch_size):
                rows, history = [], []
                for case in cases[start : start + batch_size]:
                    year, number = case.reference or (case.received_on.year, next(numbers[case.received_on.year]))
                    first, last = result.references.get(year, (number, number))
                    result.references[year] = (min(first, number), max(last, number))
                    row = writers.case_row(builder.complaint(case, next(ids), year, number))
                    rows.append(row)
                    history.append(writers.history_row(row, at=now, history_type="+", user_id=None, reason=reason))
                writer.write(rows, history)
                if on_progress:
                    on_progress(start + len(rows), len(cases))
        if cases:  # the writers bypass save(): drop the kept report figures these cases show in
            first_year = min(case.received_on.year for case in cases)
            year_rows.forget(municipality, min(first_year, *result.references))


class _CaseBuilder:
    """An imported row as a case: the workflow's own steps, in memory, up to its outcome."""

    def __init__(self, municipality, now, zone):
        self.municipality = municipality
        self.now = now
        self.zone = zone

    def complaint(self, case, pk, year, number):
        received_at = _moment(case.received_on, self.zone)
        complaint = writers.new_complaint(
            id=pk,
            reference=references.format_reference(year, number),
            year=year,
            number=number,
            municipality_id=self.municipality.pk,
            channel=case.channel,
            received_at=received_at,
            name=IMPORTED_NAME,
            description=case.description,
            conduct_date=case.received_on,  # unknown: the day it was received is the latest it can be
            status_token_hash=new_status_token()[1],
            partner_id=case.partner_id,
            apology_offered=case.apology,
            updated_at=self.now,
            kind_id=case.kind.pk if case.kind else None,
            unit_id=case.unit.pk if case.unit else None,
        )
        workflow.reach_outcome(
            complaint,
            outcome=case.outcome,
            decided_at=_moment(case.decided_on, self.zone) if case.decided_on else None,
            closed_at=_moment(case.closed_on, self.zone) if case.closed_on else None,
            postponed=case.postponed,
        )
        return complaint


def _moment(day, zone):
    return datetime.datetime.combine(day, SETTLED_AT, zone)
