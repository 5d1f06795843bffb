"""The annual report's figures of one year as computed rows, per municipality.

``compute(year)`` reads the cases in six queries: one pass over the year's cases grouped on
ids (kind, unit, channel, outcome at the end of the year, partner, ground of Awb 9:8) with the
headline figures as conditional counts per group, summed into the tables in Python; the
handling times in whole days; the lessons learned (through a partial index); the cases
carried over from before the year, settled since or still open (two queries through an
index on the moment they were settled); and the five-year history (the reference's year;
it reads most of the table, which is what keeping a closed year saves).
``annual.annual_report`` adds the names and builds the tables from these rows, so a renamed
kind or a moved team shows at once.

A closed year's rows are kept (``AnnualReportRows``, one per municipality), computed by the
worker (``keep_closed_years``, each housekeeping period) or the first time that year is asked
for. A change to a case that shows in a year's report drops that year's rows in the same
transaction (the signals below): every year from its receipt to its settlement (carried over,
open at the end of a year) and the four after its reference year (the five-year history),
before and after the change, so a case moved across the turn of a year drops both years.
Dropping is one small delete, so a coordinator's save never waits for a year to be computed
(seconds at a million cases); the worker computes the year again. Writes that bypass ``save()``
drop the rows they may change too: the import (``reporting.imports``) and a changed equated
holiday (the due dates are recomputed in bulk). The bulk generator (``manage.py
generate_complaints``, benchmarks only) does not; run it before asking for a report.
"""

import datetime

from django.db.models import Case, CharField, Count, F, Min, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from klachtformulieren.models import AnnualReportRows, Complaint, EquatedHoliday, Municipality, Outcome

# "open" means not settled at the end of the year.
OPEN = "open"

# The outcomes the 6-week decision term (Awb 9:11) is measured on: the complaint was handled.
TERM_OUTCOMES = (
    Outcome.NO_JUDGEMENT.value,
    Outcome.WELL_FOUNDED.value,
    Outcome.PARTLY_WELL_FOUNDED.value,
    Outcome.UNFOUNDED.value,
    Outcome.RESOLVED_INFORMALLY.value,
)

# The counts of the year's cases that the headline figures are (summed over municipalities).
COUNTS = (
    "received",
    "informal",
    "term_base",
    "within_term",
    "first_contact_base",
    "first_contact_in_time",
    "postponed",
    "apologies",
    "open_at_year_end",
)
# The cross tables kept, by ids: their keys, then the count.
TABLES = {
    "kind_unit_outcome": ("kind_id", "unit_id", "year_end_outcome"),
    "channel_outcome": ("channel", "year_end_outcome"),
    "partner_outcome": ("partner_id", "year_end_outcome"),
    "not_handled": ("not_handled_reason",),
}

# The fields of a case that any figure of a report reads.
REPORTED_FIELDS = (
    "municipality_id",
    "received_at",
    "year",
    "reference",
    "kind_id",
    "unit_id",
    "partner_id",
    "channel",
    "outcome",
    "not_handled_reason",
    "decided_at",
    "closed_at",
    "first_contact_at",
    "first_contact_due_on",
    "decision_due_on",
    "postponed_weeks",
    "apology_offered",
    "lessons_learned",
    "improvements",
)
HISTORY_YEARS = 5
# The shape of the kept rows; rows of another shape are computed again when read.
ROWS_VERSION = 2


def empty_rows():
    return {
        "version": ROWS_VERSION,
        "counts": dict.fromkeys(COUNTS, 0),
        **{table: [] for table in TABLES},
        "days": [],
        "lessons": [],
        "carried_over": 0,
        "carried_open_at_year_end": 0,
        "per_year": {},
    }


def year_bounds(year):
    """The year as aware datetimes in the local timezone: [start, end)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def is_closed(year):
    return year < timezone.localdate().year


def annotated_cases(year, municipality_id=None):
    """Cases with their outcome at the end of ``year`` (``year_end_outcome``) and ``settled_at``."""
    _start, end = year_bounds(year)
    cases = Complaint.objects.all()
    if municipality_id is not None:
        cases = cases.filter(municipality_id=municipality_id)
    return cases.annotate(settled_at=Coalesce("decided_at", "closed_at")).annotate(
        year_end_outcome=Case(
            When(Q(settled_at__lt=end) & ~Q(outcome=""), then=F("outcome")),
            default=Value(OPEN),
            output_field=CharField(),
        )
    )


def _not_settled_by(moment):
    return Q(settled_at__isnull=True) | Q(settled_at__gte=moment)


def compute(year, municipality_id=None):
    """{municipality id: rows} of ``year`` from the cases (every municipality with cases when None)."""
    start, end = year_bounds(year)
    end_date = end.date() - datetime.timedelta(days=1)
    cases = annotated_cases(year, municipality_id)
    received = cases.filter(received_at__gte=start, received_at__lt=end)
    first_contact_counted = Q(first_contact_at__lt=end) | Q(first_contact_due_on__lte=end_date)
    result = {}

    def rows_of(municipality):
        return result.setdefault(municipality, empty_rows())

    # 1. One pass over the year: every figure that is a count of the year's cases, per group of
    # kind, unit, channel, outcome, partner and ground; the tables are sums of these groups.
    keys = ("kind_id", "unit_id", "channel", "year_end_outcome", "partner_id", "not_handled_reason")
    groups = (
        received.values("municipality_id", *keys)
        .annotate(
            received=Count("pk"),
            within_term=Count(
                "pk",
                filter=Q(year_end_outcome__in=TERM_OUTCOMES) & Q(decision_due_on__gte=TruncDate("settled_at")),
            ),
            first_contact_base=Count("pk", filter=first_contact_counted),
            first_contact_in_time=Count(
                "pk",
                filter=first_contact_counted
                & Q(first_contact_at__lt=end, first_contact_due_on__gte=TruncDate("first_contact_at")),
            ),
            postponed=Count("pk", filter=Q(postponed_weeks__gt=0)),
            apologies=Count("pk", filter=Q(apology_offered=True)),
            open_at_year_end=Count("pk", filter=_not_settled_by(end)),
        )
        .order_by()
    )
    tables = {}
    for group in groups:
        municipality, outcome, number = group["municipality_id"], group["year_end_outcome"], group["received"]
        counts = rows_of(municipality)["counts"]
        group["informal"] = number if outcome == Outcome.RESOLVED_INFORMALLY else 0
        group["term_base"] = number if outcome in TERM_OUTCOMES else 0
        for name in COUNTS:
            counts[name] += group[name]
        for table, columns in TABLES.items():
            if table == "partner_outcome" and group["partner_id"] is None:
                continue
            if table == "not_handled" and outcome != Outcome.NOT_HANDLED:
                continue
            cell = (municipality, table, *(group[column] for column in columns))
            tables[cell] = tables.get(cell, 0) + number
    for (municipality, table, *cell), number in tables.items():
        rows_of(municipality)[table].append([*cell, number])

    # 2. Handling time in calendar days, received to settled, as a histogram of whole days.
    durations = (
        received.filter(settled_at__lt=end)
        .annotate(days=TruncDate("settled_at") - TruncDate("received_at"))
        .values_list("municipality_id", "days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for municipality, days, count in durations:
        rows_of(municipality)["days"].append([days.days if isinstance(days, datetime.timedelta) else int(days), count])

    # 3. Lessons learned and improvements (few cases: the partial index complaint_lessons_idx).
    lessons = received.exclude(lessons_learned="", improvements="").values_list(
        "municipality_id", "received_at", "pk", "reference", "kind_id", "lessons_learned", "improvements"
    )
    for municipality, received_at, pk, *lesson in lessons:
        moment = received_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        rows_of(municipality)["lessons"].append([moment, pk, *lesson])

    # 4. Carried over: received before the year and not settled when it began. Those settled
    # since and those still open are counted apart, so each reads complaint_settled_idx.
    before = cases.filter(received_at__lt=start)
    for not_settled in (Q(settled_at__gte=start), Q(settled_at__isnull=True)):
        carried = (
            before.filter(not_settled)
            .values_list("municipality_id")
            .annotate(carried_over=Count("pk"), open_at_year_end=Count("pk", filter=_not_settled_by(end)))
            .order_by()
        )
        for municipality, carried_over, still_open in carried:
            rows = rows_of(municipality)
            rows["carried_over"] += carried_over
            rows["carried_open_at_year_end"] += still_open

    # 5. Received per year (the reference's year), the last five years: most of the table.
    history = (
        cases.filter(year__gt=year - HISTORY_YEARS, year__lte=year)
        .values_list("municipality_id", "year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for municipality, past, count in history:
        rows_of(municipality)["per_year"][str(past)] = count
    return result


def rows_of_year(year, municipality=None):
    """The rows of every municipality (or one) for ``year``: kept for a closed year, computed otherwise."""
    municipality_id = municipality.pk if municipality is not None else None
    if not is_closed(year):
        return list(compute(year, municipality_id).values())
    kept = AnnualReportRows.objects.filter(year=year)
    if municipality is not None:
        kept = kept.filter(municipality=municipality)
        wanted = {municipality.pk}
    else:
        wanted = set(Municipality.objects.values_list("pk", flat=True))
    found = {
        pk: rows for pk, rows in kept.values_list("municipality_id", "rows") if rows.get("version") == ROWS_VERSION
    }
    if set(found) != wanted:
        found = store(year, municipality_id)
    return list(found.values())


def store(year, municipality_id=None):
    """Compute and keep the rows of a closed ``year`` for one municipality or for all; returns them."""
    computed = compute(year, municipality_id)
    ids = [municipality_id] if municipality_id is not None else Municipality.objects.values_list("pk", flat=True)
    kept = {}
    for pk in ids:
        kept[pk] = computed.get(pk) or empty_rows()
        AnnualReportRows.objects.update_or_create(year=year, municipality_id=pk, defaults={"rows": kept[pk]})
    return kept


def years_shown_in(state):
    """The years whose report shows a case in this state (``REPORTED_FIELDS`` values)."""
    values = dict(zip(REPORTED_FIELDS, state, strict=True))
    if values["received_at"] is None:
        return set()
    first = timezone.localtime(values["received_at"]).year
    settled = values["decided_at"] or values["closed_at"]
    last = timezone.localtime(settled).year if settled else timezone.localdate().year
    years = set(range(first, last + 1))
    if values["year"]:
        years.update(range(values["year"], values["year"] + HISTORY_YEARS))
    return years


def drop_changed(states):
    """Drop the kept rows of the closed years that cases in these states show in (before and
    after a change); the worker computes them again."""
    wanted = {}
    for state in states:
        municipality = state[0]
        wanted.setdefault(municipality, set()).update(year for year in years_shown_in(state) if is_closed(year))
    for municipality, years in wanted.items():
        if years:
            AnnualReportRows.objects.filter(municipality_id=municipality, year__in=years).delete()


def keep_closed_years():
    """Compute and keep every closed year with cases that has no current rows yet, for each
    municipality (the worker's job); returns the (municipality id, year) pairs kept."""
    current = timezone.localdate().year
    kept = {
        (municipality, year)
        for municipality, year, rows in AnnualReportRows.objects.values_list("municipality_id", "year", "rows")
        if rows.get("version") == ROWS_VERSION
    }
    first_years = Complaint.objects.values("municipality_id").annotate(first=Min("received_at")).order_by()
    done = []
    for row in first_years:
        first = timezone.localtime(row["first"]).year
        for year in range(first, current):
            if (row["municipality_id"], year) not in kept:
                store(year, row["municipality_id"])
                done.append((row["municipality_id"], year))
    return done


def forget(municipality, since_year):
    """Drop the kept rows a write that bypasses ``save()`` may have changed; computed again when asked."""
    AnnualReportRows.objects.filter(municipality=municipality, year__gte=since_year).delete()


def _state(instance):
    return tuple(instance.__dict__.get(name, _NOT_LOADED) for name in REPORTED_FIELDS)


_NOT_LOADED = object()


@receiver(post_init, sender=Complaint, dispatch_uid="klachtformulieren_report_rows_loaded")
def remember_reported_state(instance, **kwargs):
    instance._reported_state = _state(instance) if instance.pk else None


@receiver(pre_save, sender=Complaint, dispatch_uid="klachtformulieren_report_rows_before_save")
def read_state_before_save(instance, **kwargs):
    before = instance.__dict__.get("_reported_state")
    if instance.pk and (before is None or _NOT_LOADED in before):
        # Loaded with deferred fields, or given its pk by hand: read what the database has.
        before = Complaint.objects.filter(pk=instance.pk).values_list(*REPORTED_FIELDS).first()
    instance._reported_state = before


@receiver(post_save, sender=Complaint, dispatch_uid="klachtformulieren_report_rows_saved")
def drop_after_save(instance, **kwargs):
    before, after = instance.__dict__.get("_reported_state"), _state(instance)
    if before != after:
        drop_changed([state for state in (before, after) if state is not None])
    instance._reported_state = after


@receiver(post_delete, sender=Complaint, dispatch_uid="klachtformulieren_report_rows_deleted")
def drop_after_delete(instance, **kwargs):
    drop_changed([_state(instance)])


@receiver(post_save, sender=EquatedHoliday, dispatch_uid="klachtformulieren_report_rows_holiday_saved")
@receiver(post_delete, sender=EquatedHoliday, dispatch_uid="klachtformulieren_report_rows_holiday_deleted")
def forget_after_holiday_change(instance, **kwargs):
    # The due dates of the cases around the day are recomputed in bulk (models/holidays.py).
    days = [day for day in (instance.day, getattr(instance, "_day_as_loaded", None)) if day]
    AnnualReportRows.objects.filter(year__gte=min(days).year - 1).delete()
