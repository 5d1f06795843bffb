"""The deadline engine: the terms of Awb title 9.1, counted the way the law counts them.

- Awb 9:8 lid 3: when a complaint is not taken into handling, the complainant is told so in writing
  within 4 weeks of receipt (``not_handled_notice_due``).
- Awb 9:11 lid 1: the complaint is decided within 6 weeks of receipt, or 10 weeks when an advisory
  committee handles it. Lid 2: the decision may be postponed once by at most 4 weeks; longer only
  with the complainant's written consent (``decision_due``).
- Local service target, not a legal term: first contact with the complainant within 5 working days
  (``first_contact_due``).
- Algemene termijnenwet (Atw) art. 1: a term set by law that ends on a Saturday, Sunday or a
  generally recognised holiday runs on to the next day that is none of these.
- Atw art. 3 lid 1 names those holidays: New Year's Day, Easter Monday, Whit Monday, Christmas Day
  and Boxing Day, Ascension Day, the day the King's birthday is celebrated (27 April, or 26 April
  when the 27th is a Sunday) and 5 May, every year. Lid 2 adds Good Friday.
- Atw art. 3 lid 3 lets a Royal Decree equate further days with those holidays, set for a few years
  at a time: in practice the Friday after Ascension Day and a bridge day (30 May 2025; 2 January 2026,
  15 May 2026, 7 May 2027, 28 April and 26 May 2028). No library knows them: they are data
  (``models.holidays.EquatedHoliday``, shipped with the known decrees, extended by an administrator),
  which that module hands to this one with ``use_equated_days``.
- Not modelled: Atw art. 2 ("a term of three days or more holds at least two working days") cannot
  bite on terms of four weeks and more.

Terms run from the day after receipt: 6 weeks after a complaint received on a Monday ends on the
Monday six weeks later. Weeks are calendar weeks; only the end of a term moves, and a postponement
is added to the unmoved term before the end is moved once.

The holidays of art. 3 lid 1 and 2 come from the maintained ``holidays`` package (pinned in
requirements.txt), never from a hand-written list.

The due dates are functions of their arguments and the holidays, so they are cached: writing or
reporting on a million cases computes each distinct day once. The holidays are read once per year
and kept for ``EQUATED_DAYS_REFRESH``; ``forget_equated_days`` (called when an equated day is saved or
deleted) empties every cache at once, so no due date outlives the days it was computed from.

Every function takes a ``datetime.date``. A ``datetime.datetime`` is refused with ``TypeError``:
it is a subclass of ``date``, so it would otherwise slip through and make the result depend on the
time of day and timezone. Convert first, e.g. with ``django.utils.timezone.localdate``.
"""

import operator
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

NOT_HANDLED_NOTICE_TERM = timedelta(weeks=4)
DECISION_TERM = timedelta(weeks=6)
COMMITTEE_DECISION_TERM = timedelta(weeks=10)
FIRST_CONTACT_WORKING_DAYS = 5
MAX_POSTPONEMENT_WEEKS = 4  # Awb 9:11 lid 2: once, by at most this, without written consent
# A running term "due soon" in listings, panels and the case file (a working practice, not law).
DUE_SOON_DAYS = 7

_ONE_DAY = timedelta(days=1)
# Another process's change to the equated days reaches this one within this many seconds.
EQUATED_DAYS_REFRESH = 300

_equated_days_source: Callable[[], Iterable[date]] = tuple
_equated_days: frozenset[date] | None = None
_holidays_by_year: dict[int, frozenset[date]] = {}
_read_until = 0.0


def use_equated_days(source: Callable[[], Iterable[date]]) -> None:
    """Count the days ``source()`` returns as holidays too (Atw art. 3 lid 3). It is called once per
    refresh period: a decree names a handful of days, all of them are read at once."""
    global _equated_days_source
    _equated_days_source = source
    forget_equated_days()


def forget_equated_days() -> None:
    """Read the holidays afresh on the next call, and forget every due date computed from them."""
    global _equated_days
    _equated_days = None
    _holidays_by_year.clear()
    _first_contact_due.cache_clear()
    _decision_due.cache_clear()


def _refresh_when_due() -> None:
    global _read_until
    now = time.monotonic()
    if now >= _read_until:
        forget_equated_days()
        _read_until = now + EQUATED_DAYS_REFRESH


def _holiday_dates(year: int) -> frozenset[date]:
    global _equated_days
    _refresh_when_due()
    try:
        return _holidays_by_year[year]
    except KeyError:
        if _equated_days is None:
            _equated_days = frozenset(_equated_days_source())
        days = _statutory_holidays(year) | {day for day in _equated_days if day.year == year}
        _holidays_by_year[year] = days
        return days


@lru_cache(maxsize=64)
def _statutory_holidays(year: int) -> frozenset[date]:
    # In holidays 0.109, PUBLIC already holds Good Friday but 5 May only in lustrum years (2025,
    # 2030, ...), following the collective labour agreements; the Atw counts 5 May every year, which
    # is what OPTIONAL adds. PUBLIC also holds Easter Sunday and Whit Sunday: harmless, they are
    # Sundays. No "observed" substitute days are generated for NL (Christmas 2027 on a weekend
    # does not free Monday 27 December), which matches the Atw: it moves term ends, not holidays.
    return frozenset(holidays.country_holidays("NL", categories=(holidays.PUBLIC, holidays.OPTIONAL), years=year))


def _require_date(day: date, name: str = "day") -> None:
    if isinstance(day, datetime):
        raise TypeError(
            f"{name} must be a date, not a datetime: convert it to the local date first "
            "(django.utils.timezone.localdate), so the time of day and timezone cannot shift a term."
        )
    if not isinstance(day, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(day).__name__}.")


def is_working_day(day: date) -> bool:
    """True unless ``day`` is a Saturday, Sunday or a holiday of the Algemene termijnenwet (art. 3)."""
    _require_date(day)
    return day.weekday() < 5 and day not in _holiday_dates(day.year)


def next_working_day_on_or_after(day: date) -> date:
    """``day`` itself if it is a working day, else the next working day (Algemene termijnenwet art. 1)."""
    _require_date(day)
    while not is_working_day(day):
        day += _ONE_DAY
    return day


def add_working_days(day: date, n: int) -> date:
    """The date ``n`` working days after ``day``; ``day`` itself is not counted.

    ``n=0`` returns ``day`` unchanged, even when it is not a working day: moving a date is the job of
    ``next_working_day_on_or_after``, and folding it in here would make ``n=0`` and ``n=1`` disagree
    about what "after" means. Raises ``ValueError`` for a negative ``n``.
    """
    _require_date(day)
    # operator.index refuses floats: 1.5 working days has no meaning, and would never count down to 0.
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}.")
    while n > 0:
        day += _ONE_DAY
        if is_working_day(day):
            n -= 1
    return day


def first_contact_due(received_on: date) -> date:
    """Local service target: contact the complainant within 5 working days of receipt."""
    _refresh_when_due()
    return _first_contact_due(received_on)


@lru_cache(maxsize=8192)
def _first_contact_due(received_on: date) -> date:
    _require_date(received_on, "received_on")
    return add_working_days(received_on, FIRST_CONTACT_WORKING_DAYS)


def not_handled_notice_due(received_on: date) -> date:
    """Awb 9:8 lid 3: 4 weeks after receipt, moved to the next working day (Atw art. 1)."""
    _require_date(received_on, "received_on")
    return next_working_day_on_or_after(received_on + NOT_HANDLED_NOTICE_TERM)


def decision_due(received_on: date, *, postponed_weeks: int = 0, committee: bool = False) -> date:
    """Awb 9:11: 6 weeks after receipt (10 with an advisory committee) plus the postponement in weeks.

    Awb 9:11 lid 2 allows a postponement of at most 4 weeks, longer only with the complainant's written
    consent; that consent is the caller's to check, so any non-negative number of weeks is accepted.
    The end of the whole term moves to the next working day (Atw art. 1).
    """
    _refresh_when_due()
    return _decision_due(received_on, postponed_weeks, committee)


@lru_cache(maxsize=8192)
def _decision_due(received_on: date, postponed_weeks: int, committee: bool) -> date:
    _require_date(received_on, "received_on")
    postponed_weeks = operator.index(postponed_weeks)
    if postponed_weeks < 0:
        raise ValueError(f"postponed_weeks must not be negative, got {postponed_weeks}.")
    term = COMMITTEE_DECISION_TERM if committee else DECISION_TERM
    return next_working_day_on_or_after(received_on + term + timedelta(weeks=postponed_weeks))
