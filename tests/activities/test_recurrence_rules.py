"""Recurrence shapes and what applying a rule does to the upcoming sessions (no database)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from activities import recurrence as rec

DETROIT = ZoneInfo("America/Detroit")


def at(y, m, d, h=12, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=DETROIT)


def test_it_reads_and_writes_the_shapes_coordinators_use():
    for rule, text in [
        ("FREQ=WEEKLY;BYDAY=TH", "Every Thursday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", "Every other Monday and Wednesday"),
        ("FREQ=MONTHLY;BYDAY=2TU", "The 2nd Tuesday of each month"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "The last Friday of each month"),
    ]:
        parsed = rec.parse(rule)
        assert parsed is not None and parsed.rrule() == rule
        assert rec.describe(rule) == text
    assert rec.parse("FREQ=DAILY") is None
    assert rec.parse("FREQ=WEEKLY;BYDAY=TH;COUNT=3") is None
    assert rec.describe("FREQ=DAILY") == "FREQ=DAILY"
    assert rec.describe("").startswith("No recurrence")


def test_it_lists_the_starts_of_the_year_skipping_exceptions_and_the_past():
    starts = rec.occurrences(
        "FREQ=WEEKLY;BYDAY=TH",
        year=2026,
        start_time=time(12, 0),
        zone=DETROIT,
        exceptions=[date(2026, 11, 26)],
        after=at(2026, 11, 1),
    )
    assert starts[0] == at(2026, 11, 5)
    assert at(2026, 11, 26) not in starts
    assert starts[-1] == at(2026, 12, 31)
    assert all(s.hour == 12 for s in starts)  # wall time kept across the DST change


def test_it_plans_moves_creations_and_deactivations():
    upcoming = [
        rec.Session(1, at(2026, 11, 5), "A"),  # Thursday -> Wednesday Nov 4
        rec.Session(2, at(2026, 11, 12), "B"),
        rec.Session(3, at(2026, 11, 25), "Thanksgiving eve"),  # on an exception date
        rec.Session(4, at(2026, 11, 13, 8), "Extra, added by hand"),
    ]
    starts = [at(2026, 11, 4), at(2026, 11, 11), at(2026, 12, 2)]
    plan = rec.plan(upcoming, starts, exceptions=[date(2026, 11, 25)])
    assert [(s.id, new) for s, new in plan.moves] == [(1, at(2026, 11, 4)), (2, at(2026, 11, 11))]
    assert plan.creates == [at(2026, 12, 2)]
    assert [s.id for s in plan.deactivations] == [3]
    assert [s.id for s in plan.untouched_extra] == [4]
    assert plan.changes == 4


def test_it_changes_nothing_when_the_sessions_already_follow_the_rule():
    upcoming = [rec.Session(1, at(2026, 11, 5)), rec.Session(2, at(2026, 11, 12))]
    plan = rec.plan(upcoming, [s.start for s in upcoming], exceptions=[])
    assert plan.changes == 0


def test_it_draws_whole_weeks_around_a_month():
    weeks = rec.week_grid(2026, 2)
    assert weeks[0][0] == date(2026, 1, 26) and weeks[-1][-1] == date(2026, 3, 1)
    assert all(len(w) == 7 for w in weeks)
