"""SPEC §7: the 3 by 5 deadline in business days (weekends, US/MI holidays, closure days)."""

from datetime import date, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from activities.business_days import BusinessCalendar
from activities.rules import ThreeByFive, three_by_five, three_by_five_requirements

CAL = BusinessCalendar()
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(
    ("session", "due"),
    [
        (date(2026, 3, 13), date(2026, 3, 6)),  # Fri -> previous Fri
        (date(2026, 3, 16), date(2026, 3, 9)),  # Mon -> previous Mon, across a weekend
        (date(2026, 3, 14), date(2026, 3, 9)),  # a Saturday session counts from Fri
        (date(2026, 1, 23), date(2026, 1, 15)),  # MLK Day, Mon Jan 19
        (date(2026, 12, 1), date(2026, 11, 20)),  # Thanksgiving and the day after
        (date(2026, 12, 30), date(2026, 12, 21)),  # Christmas Eve and Christmas Day
        (date(2027, 1, 6), date(2026, 12, 28)),  # New Year's Eve, New Year's Day, across a year
    ],
    ids=["weekday", "weekend", "saturday-session", "mlk", "thanksgiving", "christmas", "new-year"],
)
def test_three_by_five_due(session, due):
    assert CAL.three_by_five_due(session) == due


def test_holidays():
    for holiday in (date(2026, 1, 19), date(2026, 11, 26), date(2026, 12, 25), date(2027, 1, 1)):
        assert not CAL.is_business_day(holiday)
    assert not CAL.is_business_day(date(2026, 3, 14))  # Saturday
    assert CAL.is_business_day(date(2026, 3, 16))


def test_closure_day():
    closed = BusinessCalendar(closure_days=[date(2026, 3, 10)])
    assert not closed.is_business_day(date(2026, 3, 10))
    assert CAL.is_business_day(date(2026, 3, 10))
    assert closed.three_by_five_due(date(2026, 3, 13)) == date(2026, 3, 5)
    assert closed.business_days_between(date(2026, 3, 9), date(2026, 3, 13)) == 3


def test_other_places():
    assert BusinessCalendar(subdivision=None).is_business_day(date(2026, 11, 27))
    assert not CAL.is_business_day(date(2026, 11, 27))  # Michigan: day after Thanksgiving
    assert not BusinessCalendar(country="GB", subdivision=None).is_business_day(date(2026, 12, 28))


def test_datetimes_are_treated_as_their_date():
    assert not CAL.is_business_day(datetime(2026, 12, 25, 9, 0))
    assert CAL.three_by_five_due(datetime(2026, 3, 13, 12, 0)) == date(2026, 3, 6)


def test_business_days_between():
    assert CAL.business_days_between(date(2026, 3, 13), date(2026, 3, 16)) == 1  # Fri -> Mon
    assert CAL.business_days_between(date(2026, 3, 13), date(2026, 3, 13)) == 0
    assert CAL.business_days_between(date(2026, 3, 16), date(2026, 3, 13)) == -1
    assert CAL.business_days_between(date(2026, 11, 25), date(2026, 11, 30)) == 1
    # Dec 24, 25 and 31 and Jan 1 are Michigan holidays: Dec 28, 29, 30 and Jan 4 remain.
    assert CAL.business_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 4


def test_add_and_subtract():
    assert CAL.add_business_days(date(2026, 11, 25), 1) == date(2026, 11, 30)
    assert CAL.subtract_business_days(date(2026, 11, 30), 1) == date(2026, 11, 25)
    assert CAL.add_business_days(date(2026, 3, 14), 0) == date(2026, 3, 14)
    assert CAL.subtract_business_days(date(2026, 3, 16), -1) == date(2026, 3, 17)


@given(dates, st.integers(min_value=0, max_value=40))
def test_subtract_then_add_round_trips(d, n):
    assume(CAL.is_business_day(d))
    assert CAL.add_business_days(CAL.subtract_business_days(d, n), n) == d
    assert CAL.subtract_business_days(CAL.add_business_days(d, n), n) == d


@given(dates, st.integers(min_value=1, max_value=40))
def test_result_is_a_business_day(d, n):
    assert CAL.is_business_day(CAL.subtract_business_days(d, n))
    assert CAL.is_business_day(CAL.add_business_days(d, n))


@given(dates, st.integers(min_value=0, max_value=40))
def test_between_counts_what_subtract_skipped(d, n):
    assume(CAL.is_business_day(d))
    assert CAL.business_days_between(CAL.subtract_business_days(d, n), d) == n


offsets = st.integers(min_value=-800, max_value=800)


@given(dates, offsets, st.sets(offsets, max_size=8))
def test_between_matches_a_day_by_day_count(a, offset, closure_offsets):
    cal = BusinessCalendar(
        closure_days=[date.fromordinal(a.toordinal() + o) for o in closure_offsets]
    )
    b = date.fromordinal(a.toordinal() + offset)
    lo, hi = min(a, b), max(a, b)
    walked = sum(
        cal.is_business_day(date.fromordinal(o))
        for o in range(lo.toordinal() + 1, hi.toordinal() + 1)
    )
    assert cal.business_days_between(a, b) == (walked if a <= b else -walked)


# --- ThreeByFive -----------------------------------------------------------------------------


def _state(today, met_on=None, due=date(2026, 1, 5), fast=False):
    return three_by_five(
        due=due,
        met_on=met_on,
        today=today,
        is_business_day=CAL.is_business_day,
        business_days_between=CAL.business_days_between if fast else None,
    )


@pytest.mark.parametrize("fast", [False, True], ids=["walk", "calendar"])
@pytest.mark.parametrize(
    ("today", "met_on", "state", "left", "text"),
    [
        (date(2025, 12, 29), None, "due", 3, "3 by 5 due Mon Jan 5 (3 business days left)"),
        (date(2026, 1, 2), None, "due", 1, "3 by 5 due Mon Jan 5 (1 business day left)"),
        (date(2026, 1, 3), None, "due", 1, "3 by 5 due Mon Jan 5 (1 business day left)"),
        (date(2026, 1, 5), None, "due", 0, "3 by 5 due Mon Jan 5 (due today)"),
        (date(2026, 1, 6), None, "missed", 0, "3 by 5 missed"),
        (date(2026, 1, 6), date(2025, 12, 20), "met", 0, "3 by 5 met Dec 20"),
        (date(2025, 12, 1), date(2025, 12, 1), "met", 0, "3 by 5 met Dec 1"),
    ],
    ids=["3-left", "1-left", "weekend", "today", "missed", "met-late-view", "met-early"],
)
def test_three_by_five(today, met_on, state, left, text, fast):
    result = _state(today, met_on, fast=fast)
    assert result == ThreeByFive(
        state=state, due=date(2026, 1, 5), met_on=met_on, business_days_left=left
    )
    assert str(result) == text


def test_three_by_five_requirements():
    assert (
        three_by_five_requirements(
            name_ok=True, faculty_count=1, faculty_without_active_disclosure=[]
        )
        == []
    )
    assert three_by_five_requirements(
        name_ok=False, faculty_count=0, faculty_without_active_disclosure=()
    ) == ["Name must say the topic", "Assign at least one faculty member"]
    assert three_by_five_requirements(
        name_ok=True,
        faculty_count=2,
        faculty_without_active_disclosure=["Smith, Jane", "Doe, John"],
    ) == ["Disclosure missing or expired: Smith, Jane; Doe, John"]


def test_many_sessions_are_fast():
    import time

    cal = BusinessCalendar(closure_days=[date(2026, 3, 10)])
    sessions = [date.fromordinal(date(2026, 1, 1).toordinal() + i % 700) for i in range(20_000)]
    started = time.perf_counter()
    for s in sessions:
        cal.three_by_five_due(s)
        cal.business_days_between(date(2026, 1, 1), s)
    assert time.perf_counter() - started < 2.0
