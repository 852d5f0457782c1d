"""Counts come from the claims, hours from the sessions: never typed (SPEC §13)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection

from activities.models import ChildActivity
from activities.rules import ChildStatus
from credit.pars.rules import problems
from credit.pars.selectors_facts import (
    counts_of,
    facts_of,
    hours_in_python,
    sessions_of,
    year_parents,
)
from credit.selectors_reports import pars_activity
from faculty.models import Profession
from tests import factories as f
from tests.pars.conftest import (
    AFTER_THE_YEAR,
    FIRST,
    YEAR,
    attend,
    complete,
    people,
    register_moc,
    sessions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(series):
    """20 physicians at 52 approved weekly sessions; 7 nurses and 3 without a profession at 10;
    noise that must not count: a pending session, a rejected one, a deactivated one."""
    physicians = people(20, Profession.PHYSICIAN, "doc")
    others = people(7, Profession.NURSE, "nurse") + people(3, "", "anon")
    weekly = sessions(series, 52)
    attend(physicians, weekly)
    attend(others, weekly[:10])
    attend(
        physicians,
        sessions(series, 1, ChildStatus.PENDING, start=FIRST + timedelta(hours=3)),
        awarded=False,
    )
    attend(
        physicians[:5], sessions(series, 1, ChildStatus.REJECTED, start=FIRST + timedelta(hours=5))
    )
    gone = sessions(series, 1, start=FIRST + timedelta(hours=7))
    attend(physicians, gone)
    ChildActivity.objects.filter(pk=gone[0].pk).update(is_active=False)
    return series


def test_learners_are_counted_once_per_session_attended_20_x_52_is_1040(known):
    counts = counts_of([known.pk])[known.pk]
    assert (counts.physicians, counts.others, counts.pending) == (1040, 100, 20)
    s = sessions_of([known], AFTER_THE_YEAR)[known.pk]
    assert s.approved == 52
    assert s.hours == Decimal("52.00")  # the credit a learner could earn over the year
    assert (s.first.isoformat(), s.last.isoformat()) == ("2026-01-08", "2026-12-31")
    assert s.to_come == 0
    # The same figures as the series' reports page (credit.selectors_reports.pars_activity).
    plain = pars_activity(known)
    assert (plain.physicians, plain.other_learners, plain.hours_of_instruction) == (
        1040,
        100,
        s.hours,
    )


def test_a_series_with_sessions_still_to_come_cannot_close(known):
    mid_year = f.local(YEAR, 6, 30)
    s = sessions_of([known], mid_year)[known.pk]
    assert s.to_come == 27  # the Thursdays from July 2 to December 31
    assert s.last_to_come.isoformat() == "2026-12-31"
    complete(known)
    words = [p.text for p in problems(facts_of(known, s))]
    assert words == [
        "27 sessions still to come (the last on Dec 31, 2026): PARS closes an activity only "
        "after its end date."
    ]
    after = sessions_of([known], AFTER_THE_YEAR)[known.pk]
    assert problems(facts_of(known, after)) == []


@pytest.mark.postgres
def test_the_sql_sum_of_hours_is_the_rule_applied_session_by_session(series):
    """Odd lengths round to the quarter hour (7 minutes down, 8 up) and stop at the series'
    credit per session (credit.rules.credit_hours); PostgreSQL's sum must agree."""
    other = f.parent(name="Tumor Board", year=YEAR)
    other.credit_hours = Decimal("1.25")
    other.save()
    for parent in (series, other):
        for i, minutes in enumerate((7, 8, 22, 23, 37, 38, 52, 53, 59, 60, 67, 68, 90, 240)):
            sessions(parent, 1, start=FIRST + timedelta(days=i), minutes=minutes)
    ids = [series.pk, other.pk]
    assert connection.vendor == "postgresql"
    in_sql = {pid: s.hours for pid, s in sessions_of([series, other], AFTER_THE_YEAR).items()}
    assert in_sql == hours_in_python(ids)
    assert hours_in_python(ids)[other.pk] > hours_in_python(ids)[series.pk]  # a higher cap


def test_reading_the_year_takes_the_same_queries_for_few_or_many_series(
    django_assert_max_num_queries,
):
    def build(n):
        for i in range(n):
            p = f.parent(name=f"Series {i:03}", year=YEAR)
            complete(p)
            attend(people(2, Profession.PHYSICIAN, f"p{n}x{i}x"), sessions(p, 2))

    def read():
        parents = list(year_parents(YEAR))
        s = sessions_of(parents, AFTER_THE_YEAR)
        c = counts_of([p.pk for p in parents])
        return [problems(facts_of(p, s.get(p.pk))) for p in parents], c

    build(2)
    with django_assert_max_num_queries(7):
        read()
    build(20)
    with django_assert_max_num_queries(7):
        rows, counts = read()
    assert len(rows) == 22 and all(r == [] for r in rows)
    assert all(c.physicians == 4 for c in counts.values())


def test_the_year_table_checks_from_cheap_reads_what_the_aggregates_would_say():
    """pars.year.year_rows reads whether a session is approved or earns credit, and what is
    still to come, without aggregating every session: the same problems, word for word."""
    from credit.pars.checks import with_sessions
    from credit.pars.models import CommercialSupport
    from credit.pars.selectors_facts import Sessions
    from credit.pars.year import year_rows

    def series(name, *builds):
        p = f.parent(name=name, year=YEAR)
        complete(p)
        for build in builds:
            build(p)
        return p

    series("Ready", lambda p: sessions(p, 3))
    series("No sessions")
    series("Only pending", lambda p: sessions(p, 2, ChildStatus.PENDING))
    series("Too short for credit", lambda p: sessions(p, 2, minutes=5))
    series(
        "Still running",
        lambda p: sessions(p, 2),
        lambda p: sessions(p, 2, start=f.local(YEAR, 11, 5)),
    )
    series(
        "Rejected ahead",
        lambda p: sessions(p, 2),
        lambda p: sessions(p, 1, ChildStatus.REJECTED, start=f.local(YEAR, 12, 3)),
    )
    gone = series("Deactivated", lambda p: sessions(p, 2))
    ChildActivity.objects.filter(parent=gone).update(is_active=False)
    joint = series("Jointly provided, supported, MOC", lambda p: sessions(p, 1))
    report = complete(
        joint, providership="Joint", joint_providers="MSMS\nMSU", commercial_support="yes"
    )
    register_moc(report)
    CommercialSupport.objects.create(report=report, source="Acme", kind="monetary")
    f.parent(name="Nothing filled", year=YEAR)
    for now in (f.local(YEAR, 6, 30), f.local(YEAR, 12, 1, 12, 30), AFTER_THE_YEAR):
        rows = year_rows(YEAR, now)
        assert len(rows) == 9
        parents = {p.pk: p for p in year_parents(YEAR)}
        full = sessions_of(list(parents.values()), now)
        for r in rows:
            s = full.get(r.parent.pk, Sessions())
            orm = facts_of(parents[r.parent.pk], s)
            assert with_sessions(r.facts, s) == orm, r.parent.name  # the same facts
            assert r.problems == problems(orm), r.parent.name  # the same words
    assert {r.parent.name for r in year_rows(YEAR, AFTER_THE_YEAR) if r.ready} == {
        "Ready",
        "Rejected ahead",
        "Still running",
    }
