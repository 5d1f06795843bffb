"""The deadline engine against exact dates in 2025, 2026 and 2027.

Every date below was checked against a calendar computation (dateutil.easter for the moveable
feasts, weekday arithmetic for the rest), not typed from memory. Easter falls on 20 April 2025,
5 April 2026 and 28 March 2027.

The Fridays after Ascension Day (30 May 2025, 15 May 2026, 7 May 2027) and 2 January 2026 are
equated with holidays by Royal Decree under Atw art. 3 lid 3: data the portal ships (migration
0015) and an administrator extends, so these tests use the database.
"""

from datetime import UTC, date, datetime, timedelta
from importlib import import_module

import pytest

from klachtformulieren.cases import case_file, deadlines
from klachtformulieren.cases.deadlines import (
    add_working_days,
    decision_due,
    first_contact_due,
    is_working_day,
    next_working_day_on_or_after,
    not_handled_notice_due,
)
from klachtformulieren.models import Complaint, EquatedHoliday, Status
from tests.factories import ComplaintFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

SHIPPED_DAYS = import_module("klachtformulieren.migrations.0015_equated_holidays").KNOWN_DAYS


@pytest.fixture(autouse=True)
def shipped_royal_decree_days():
    """The days migration 0015 ships (a transactional test elsewhere may have flushed them), and no
    days cached from another test's rolled-back changes."""
    for day, decree in SHIPPED_DAYS.items():
        EquatedHoliday.objects.get_or_create(day=day, defaults={"decree": decree})
    deadlines.forget_equated_days()
    yield
    deadlines.forget_equated_days()


YEARS = (2025, 2026, 2027)


def days_of(*years):
    day, end = date(min(years), 1, 1), date(max(years), 12, 31)
    while day <= end:
        yield day
        day += timedelta(days=1)


EVERY_DAY_2025_2027 = list(days_of(*YEARS))


# --- Algemene termijnenwet art. 3: which days are not working days -------------------------------------------------


@pytest.mark.parametrize(
    ("year", "holidays_on_weekdays"),
    [
        (
            2025,
            [
                date(2025, 1, 1),  # New Year's Day, Wednesday
                date(2025, 4, 18),  # Good Friday
                date(2025, 4, 21),  # Easter Monday
                date(2025, 5, 5),  # Liberation Day, Monday (King's Day is Saturday 26 April)
                date(2025, 5, 29),  # Ascension Day
                date(2025, 6, 9),  # Whit Monday
                date(2025, 12, 25),  # Christmas Day, Thursday
                date(2025, 12, 26),  # Boxing Day, Friday
            ],
        ),
        (
            2026,
            [
                date(2026, 1, 1),  # New Year's Day, Thursday
                date(2026, 4, 3),  # Good Friday
                date(2026, 4, 6),  # Easter Monday
                date(2026, 4, 27),  # King's Day, Monday
                date(2026, 5, 5),  # Liberation Day, Tuesday
                date(2026, 5, 14),  # Ascension Day
                date(2026, 5, 25),  # Whit Monday
                date(2026, 12, 25),  # Christmas Day, Friday (Boxing Day is a Saturday)
            ],
        ),
        (
            2027,
            [
                date(2027, 1, 1),  # New Year's Day, Friday
                date(2027, 3, 26),  # Good Friday
                date(2027, 3, 29),  # Easter Monday
                date(2027, 4, 27),  # King's Day, Tuesday
                date(2027, 5, 5),  # Liberation Day, Wednesday
                date(2027, 5, 6),  # Ascension Day
                date(2027, 5, 17),  # Whit Monday (Christmas and Boxing Day fall on the weekend)
            ],
        ),
    ],
)
def test_termijnenwet_art_3_weekday_holidays_are_exactly_these(year, holidays_on_weekdays):
    # Exhaustive on purpose: a holiday too many (a school holiday, an "observed" substitute day) is as
    # wrong as one too few.
    # Art. 3 lid 3: plus the days a Royal Decree equates with holidays.
    expected = sorted([*holidays_on_weekdays, *(day for day in ROYAL_DECREE_DAYS if day.year == year)])
    assert [d for d in days_of(year) if d.weekday() < 5 and not is_working_day(d)] == expected


def test_termijnenwet_art_1_saturdays_and_sundays_are_not_working_days():
    assert not any(is_working_day(d) for d in EVERY_DAY_2025_2027 if d.weekday() >= 5)


def test_termijnenwet_ordinary_weekday_is_a_working_day():
    assert is_working_day(date(2026, 3, 10))  # a Tuesday in March with no holiday near


@pytest.mark.parametrize("day", [date(2025, 4, 18), date(2026, 4, 3), date(2027, 3, 26)], ids=str)
def test_termijnenwet_art_3_lid_2_good_friday_is_not_a_working_day(day):
    assert day.weekday() == 4
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [date(2025, 4, 21), date(2026, 4, 6), date(2027, 3, 29)], ids=str)
def test_termijnenwet_easter_monday_is_not_a_working_day(day):
    assert day.weekday() == 0
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2025, 5, 5), id="2025-lustrum-year"),
        pytest.param(date(2026, 5, 5), id="2026-not-a-lustrum-year"),
        pytest.param(date(2027, 5, 5), id="2027-not-a-lustrum-year"),
    ],
)
def test_termijnenwet_liberation_day_5_may_is_not_a_working_day_every_year(day):
    # The holidays package puts 5 May in PUBLIC only every fifth year (labour agreements); the Atw
    # counts it every year, which only the OPTIONAL category supplies.
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [date(2025, 5, 29), date(2026, 5, 14), date(2027, 5, 6)], ids=str)
def test_termijnenwet_ascension_day_is_not_a_working_day(day):
    assert day.weekday() == 3
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [date(2025, 6, 9), date(2026, 5, 25), date(2027, 5, 17)], ids=str)
def test_termijnenwet_whit_monday_is_not_a_working_day(day):
    assert day.weekday() == 0
    assert not is_working_day(day)


def test_termijnenwet_easter_dates_match_a_calendar_computation():
    easter = pytest.importorskip("dateutil.easter").easter
    for year, good_friday, easter_monday, ascension, whit_monday in [
        (2025, date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)),
        (2026, date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)),
        (2027, date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17)),
    ]:
        sunday = easter(year)
        assert good_friday == sunday - timedelta(days=2)
        assert easter_monday == sunday + timedelta(days=1)
        assert ascension == sunday + timedelta(days=39)
        assert whit_monday == sunday + timedelta(days=50)


def test_termijnenwet_kings_day_2025_moves_off_sunday_to_saturday_26_april():
    assert date(2025, 4, 27).weekday() == 6
    assert date(2025, 4, 26) in deadlines._holiday_dates(2025)
    assert date(2025, 4, 27) not in deadlines._holiday_dates(2025)
    # The move is backwards: Monday 28 April 2025 stays a working day (no "Sunday to Monday" rule).
    assert is_working_day(date(2025, 4, 28))


@pytest.mark.parametrize("day", [date(2026, 4, 27), date(2027, 4, 27)], ids=str)
def test_termijnenwet_kings_day_on_a_weekday_is_27_april(day):
    assert not is_working_day(day)
    assert day - timedelta(days=1) not in deadlines._holiday_dates(day.year)


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2025, 12, 24), id="christmas-eve-2025"),
        pytest.param(date(2025, 12, 31), id="new-years-eve-2025"),
        pytest.param(date(2026, 12, 28), id="monday-after-boxing-day-on-saturday-2026"),
        pytest.param(date(2027, 12, 27), id="monday-after-christmas-weekend-2027"),
        pytest.param(date(2027, 12, 28), id="tuesday-after-christmas-weekend-2027"),
    ],
)
def test_termijnenwet_holidays_on_a_weekend_give_no_substitute_day(day):
    # The Atw moves the end of a term, not the holiday itself.
    assert is_working_day(day)


def test_termijnenwet_easter_and_whit_sunday_do_no_harm():
    assert not is_working_day(date(2026, 4, 5))  # Easter Sunday: a Sunday anyway
    assert next_working_day_on_or_after(date(2026, 4, 5)) == date(2026, 4, 7)
    assert next_working_day_on_or_after(date(2027, 5, 16)) == date(2027, 5, 18)  # Whit Sunday


ROYAL_DECREE_DAYS = [
    # Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en 30 mei 2025
    date(2023, 4, 28),
    date(2023, 5, 19),
    date(2024, 5, 10),
    date(2024, 12, 27),
    date(2025, 5, 30),
    # Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028
    date(2026, 1, 2),
    date(2026, 5, 15),
    date(2027, 5, 7),
    date(2028, 4, 28),
    date(2028, 5, 26),
]


@pytest.mark.parametrize("day", ROYAL_DECREE_DAYS, ids=str)
def test_termijnenwet_art_3_lid_3_days_equated_by_royal_decree(day):
    assert day.weekday() == 4  # each a Friday: a bridge day
    assert not is_working_day(day)
    assert next_working_day_on_or_after(day) == day + timedelta(days=3)


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        # 6 weeks on is Friday 15 May 2026, the day after Ascension Day: on to Monday.
        pytest.param(date(2026, 4, 3), date(2026, 5, 18), id="decision-friday-after-ascension-2026"),
        # 6 weeks on is Friday 2 January 2026: on to Monday 5 January.
        pytest.param(date(2025, 11, 21), date(2026, 1, 5), id="decision-2-january-2026"),
        pytest.param(date(2027, 3, 26), date(2027, 5, 10), id="decision-friday-after-ascension-2027"),
    ],
)
def test_termijnenwet_term_ending_on_a_royal_decree_day_moves_to_monday(received_on, due):
    assert decision_due(received_on) == due


def test_termijnenwet_royal_decree_days_are_not_counted_as_working_days():
    # Monday 11 May 2026: Thursday 14 (Ascension Day) and Friday 15 May (decree) do not count.
    assert first_contact_due(date(2026, 5, 11)) == date(2026, 5, 20)
    # Not handled notice: 4 weeks after Friday 17 April 2026 is Friday 15 May 2026.
    assert not_handled_notice_due(date(2026, 4, 17)) == date(2026, 5, 18)


def test_termijnenwet_a_day_an_administrator_adds_moves_a_term():
    # A made-up bridge day, Friday 6 March 2026, as an administrator would add a new decree's day.
    assert decision_due(date(2026, 1, 23)) == date(2026, 3, 6)
    assert first_contact_due(date(2026, 3, 2)) == date(2026, 3, 9)

    EquatedHoliday.objects.create(day=date(2026, 3, 6), decree="Besluit gelijkstelling (proef)")

    assert not is_working_day(date(2026, 3, 6))
    assert decision_due(date(2026, 1, 23)) == date(2026, 3, 9)
    assert first_contact_due(date(2026, 3, 2)) == date(2026, 3, 10)


def test_termijnenwet_a_day_an_administrator_deletes_no_longer_moves_a_term():
    assert decision_due(date(2026, 4, 3)) == date(2026, 5, 18)

    EquatedHoliday.objects.filter(day=date(2026, 5, 15)).delete()

    assert is_working_day(date(2026, 5, 15))
    assert decision_due(date(2026, 4, 3)) == date(2026, 5, 15)


def test_termijnenwet_a_day_moved_by_an_administrator_moves_the_term_with_it():
    day = EquatedHoliday.objects.get(day=date(2026, 5, 15))
    assert decision_due(date(2026, 4, 3)) == date(2026, 5, 18)

    day.day = date(2026, 5, 29)
    day.save()

    assert decision_due(date(2026, 4, 3)) == date(2026, 5, 15)
    assert decision_due(date(2026, 4, 17)) == date(2026, 6, 1)


def test_termijnenwet_equated_days_are_read_once_not_per_case(django_assert_num_queries):
    deadlines.forget_equated_days()
    with django_assert_num_queries(2):  # the table's existence, then every equated day
        for day in days_of(2025, 2027):
            is_working_day(day)
            first_contact_due(day)
            decision_due(day)


def test_termijnenwet_another_process_sees_a_change_after_the_refresh_period(monkeypatch):
    assert not is_working_day(date(2026, 5, 15))
    # Another process deletes the day: no signal reaches this one, the cache holds until it expires.
    EquatedHoliday.objects.filter(day=date(2026, 5, 15))._raw_delete(EquatedHoliday.objects.db)
    assert not is_working_day(date(2026, 5, 15))

    later = deadlines.time.monotonic() + deadlines.EQUATED_DAYS_REFRESH + 1
    monkeypatch.setattr(deadlines.time, "monotonic", lambda: later)

    assert is_working_day(date(2026, 5, 15))
    assert decision_due(date(2026, 4, 3)) == date(2026, 5, 15)


# --- Algemene termijnenwet art. 1: a term ending on a non-working day moves to the next working day ----------------


def test_termijnenwet_working_day_stays_put():
    assert next_working_day_on_or_after(date(2026, 3, 10)) == date(2026, 3, 10)


def test_termijnenwet_term_ending_on_saturday_moves_to_monday():
    assert next_working_day_on_or_after(date(2025, 10, 18)) == date(2025, 10, 20)
    # Received on a Saturday through the web form: 6 weeks on is a Saturday again.
    assert decision_due(date(2025, 9, 6)) == date(2025, 10, 20)
    assert not_handled_notice_due(date(2026, 2, 7)) == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        (date(2025, 4, 28), date(2025, 6, 10)),  # 6 weeks on is Whit Monday 9 June 2025
        (date(2026, 4, 13), date(2026, 5, 26)),  # Whit Monday 25 May 2026
        (date(2027, 4, 5), date(2027, 5, 18)),  # Whit Monday 17 May 2027
    ],
    ids=str,
)
def test_termijnenwet_term_ending_on_whit_monday_moves_to_tuesday(received_on, due):
    assert received_on + timedelta(weeks=6) == due - timedelta(days=1)
    assert decision_due(received_on) == due


def test_termijnenwet_term_ending_on_kings_day_2026_moves_to_tuesday():
    assert decision_due(date(2026, 3, 16)) == date(2026, 4, 28)


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        (date(2025, 11, 14), date(2025, 12, 29)),  # ends Boxing Day, Friday 26 December 2025
        (date(2026, 11, 13), date(2026, 12, 28)),  # ends Christmas Day, Friday 25 December 2026
        (date(2027, 11, 15), date(2027, 12, 27)),  # ends Monday 27 December 2027: a working day
    ],
    ids=str,
)
def test_termijnenwet_term_ending_at_christmas_moves_past_the_weekend(received_on, due):
    assert decision_due(received_on) == due


# --- Awb 9:8 lid 3: notice that a complaint is not taken into handling ---------------------------------------------


def test_art_9_8_not_handled_notice_four_weeks():
    assert not_handled_notice_due(date(2026, 6, 1)) == date(2026, 6, 29)
    # 28 April 2025 is the Monday after King's Day fell on Saturday: an ordinary working day.
    assert not_handled_notice_due(date(2025, 3, 31)) == date(2025, 4, 28)
    assert not_handled_notice_due(date(2026, 3, 30)) == date(2026, 4, 28)  # ends on King's Day 2026


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        (date(2025, 3, 21), date(2025, 4, 22)),  # ends Good Friday 18 April 2025
        (date(2026, 3, 6), date(2026, 4, 7)),  # ends Good Friday 3 April 2026
    ],
    ids=str,
)
def test_art_9_8_notice_ending_on_good_friday_runs_past_easter_monday(received_on, due):
    assert not_handled_notice_due(received_on) == due


# --- Awb 9:11: the decision -----------------------------------------------------------------------------------------


def test_art_9_11_decision_due_six_weeks_after_receipt():
    assert decision_due(date(2025, 3, 3)) == date(2025, 4, 14)
    assert decision_due(date(2027, 3, 18)) == date(2027, 4, 29)


@pytest.mark.parametrize(
    ("postponed_weeks", "due"),
    [
        (0, date(2025, 4, 14)),
        (1, date(2025, 4, 22)),  # 21 April 2025 is Easter Monday
        (2, date(2025, 4, 28)),
        (3, date(2025, 5, 6)),  # 5 May 2025 is Liberation Day
        (4, date(2025, 5, 12)),
    ],
)
def test_art_9_11_postponement_adds_weeks(postponed_weeks, due):
    assert decision_due(date(2025, 3, 3), postponed_weeks=postponed_weeks) == due


def test_art_9_11_postponement_beyond_four_weeks_with_consent():
    assert decision_due(date(2025, 3, 3), postponed_weeks=8) == date(2025, 6, 10)  # 9 June 2025 is Whit Monday


def test_art_9_11_postponement_counts_from_the_unmoved_term():
    # Six weeks end on King's Day (Monday 27 April 2026); one week more is Monday 4 May, not 5 May.
    assert decision_due(date(2026, 3, 16), postponed_weeks=1) == date(2026, 5, 4)


def test_art_9_11_advisory_committee_ten_weeks():
    assert decision_due(date(2026, 1, 5), committee=True) == date(2026, 3, 16)
    assert decision_due(date(2026, 1, 5), committee=True, postponed_weeks=4) == date(2026, 4, 13)
    assert decision_due(date(2026, 3, 16), committee=True) == date(2026, 5, 26)  # 10 weeks end on Whit Monday


@pytest.mark.parametrize("committee", [False, True])
@pytest.mark.parametrize("postponed_weeks", [0, 1, 2, 3, 4])
def test_art_9_11_decision_due_is_the_first_working_day_on_or_after_the_term(committee, postponed_weeks):
    weeks = (10 if committee else 6) + postponed_weeks
    for received_on in EVERY_DAY_2025_2027:
        due = decision_due(received_on, committee=committee, postponed_weeks=postponed_weeks)
        term_end = received_on + timedelta(weeks=weeks)
        assert is_working_day(due), received_on
        assert due >= term_end, received_on
        assert not any(is_working_day(term_end + timedelta(days=i)) for i in range((due - term_end).days)), received_on


def test_art_9_8_notice_due_is_the_first_working_day_on_or_after_the_term():
    for received_on in EVERY_DAY_2025_2027:
        due = not_handled_notice_due(received_on)
        term_end = received_on + timedelta(weeks=4)
        assert is_working_day(due), received_on
        assert due >= term_end, received_on
        assert not any(is_working_day(term_end + timedelta(days=i)) for i in range((due - term_end).days)), received_on


# --- Working days: the local first-contact target --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        pytest.param(date(2025, 4, 17), date(2025, 4, 28), id="easter-2025"),
        pytest.param(date(2027, 3, 24), date(2027, 4, 2), id="easter-2027"),
        pytest.param(date(2025, 4, 25), date(2025, 5, 2), id="kings-day-2025-on-saturday-costs-nothing"),
        pytest.param(date(2026, 4, 30), date(2026, 5, 8), id="liberation-day-2026"),
        # The Friday after Ascension Day is equated with a holiday by Royal Decree (Atw art. 3 lid 3).
        pytest.param(date(2026, 5, 11), date(2026, 5, 20), id="ascension-2026"),
        pytest.param(date(2027, 5, 3), date(2027, 5, 13), id="liberation-and-ascension-2027"),
        pytest.param(date(2025, 12, 22), date(2025, 12, 31), id="christmas-2025"),
        pytest.param(date(2026, 12, 28), date(2027, 1, 5), id="new-year-2027-across-the-year-end"),
    ],
)
def test_first_contact_due_five_working_days_across_holidays(received_on, due):
    assert first_contact_due(received_on) == due


def test_add_working_days_five_never_lands_on_a_non_working_day():
    for day in EVERY_DAY_2025_2027:
        due = add_working_days(day, 5)
        assert is_working_day(due), day
        counted = sum(is_working_day(day + timedelta(days=i)) for i in range(1, (due - day).days + 1))
        assert counted == 5, day


def test_add_working_days_zero_returns_the_day_unchanged_even_on_a_sunday():
    assert add_working_days(date(2026, 3, 10), 0) == date(2026, 3, 10)
    assert add_working_days(date(2026, 3, 8), 0) == date(2026, 3, 8)


def test_add_working_days_one_from_friday_is_monday():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)


# --- Wrong input -----------------------------------------------------------------------------------------------------


ENGINE = [
    is_working_day,
    next_working_day_on_or_after,
    first_contact_due,
    not_handled_notice_due,
    decision_due,
    lambda day: add_working_days(day, 5),
]


@pytest.mark.parametrize("function", ENGINE)
def test_a_datetime_is_refused_with_type_error(function):
    with pytest.raises(TypeError, match="not a datetime"):
        function(datetime(2026, 3, 10, 23, 30))


@pytest.mark.parametrize("function", ENGINE)
def test_a_string_is_refused_with_type_error(function):
    with pytest.raises(TypeError):
        function("2026-03-10")


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 3, 10), -1)


def test_add_working_days_refuses_a_fractional_count():
    with pytest.raises(TypeError):
        add_working_days(date(2026, 3, 10), 1.5)


def test_art_9_11_negative_postponement_is_refused():
    with pytest.raises(ValueError, match="negative"):
        decision_due(date(2026, 3, 10), postponed_weeks=-1)


@pytest.mark.django_db
def test_due_soon_is_the_same_day_in_the_listing_the_dashboard_and_the_case_file():
    """One rule (deadlines.DUE_SOON_DAYS) behind the listing's filter, the dashboard panel
    and the case file's term: a wrong copy in any of them shows here."""
    today = date(2026, 12, 1)
    last_soon = today + timedelta(days=deadlines.DUE_SOON_DAYS)
    municipality = MunicipalityFactory()
    by_due = {}
    for due in (last_soon, last_soon + timedelta(days=1)):
        complaint = ComplaintFactory(municipality=municipality, status=Status.HANDLING)
        Complaint.objects.filter(pk=complaint.pk).update(decision_due_on=due)
        by_due[due] = complaint

    soon = set(Complaint.objects.due_soon(today))
    in_case_file = {due for due in by_due if case_file.Term("", due).state(today) == "due_soon"}

    assert soon == {by_due[last_soon]}
    assert in_case_file == {last_soon}


def test_termijnenwet_a_day_an_administrator_adds_or_moves_changes_the_stored_due_dates(
    django_capture_on_commit_callbacks,
):
    # The list, the work queues, the reminders and the annual report read the stored dates.
    received = datetime(2026, 1, 23, 10, 0, tzinfo=UTC)
    case = ComplaintFactory(received_at=received)
    untouched = ComplaintFactory(received_at=received - timedelta(weeks=30))
    assert case.decision_due_on == date(2026, 3, 6)
    before = Complaint.objects.get(pk=untouched.pk).decision_due_on

    with django_capture_on_commit_callbacks(execute=True):
        day = EquatedHoliday.objects.create(day=date(2026, 3, 6), decree="Besluit gelijkstelling (proef)")
    assert Complaint.objects.get(pk=case.pk).decision_due_on == date(2026, 3, 9)
    with django_capture_on_commit_callbacks(execute=True):
        day.day = date(2026, 3, 13)
        day.save()
    assert Complaint.objects.get(pk=case.pk).decision_due_on == date(2026, 3, 6)
    assert Complaint.objects.get(pk=untouched.pk).decision_due_on == before
