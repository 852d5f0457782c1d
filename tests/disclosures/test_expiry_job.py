"""The daily recompute (activities.tasks.recompute_statuses, the one beat entry for it) and the
one-year line of disclosures."""

from datetime import timedelta

import pytest
import time_machine

from activities import tasks
from activities.models import ChildActivity, ClosureDay
from activities.monitoring import recompute_statuses
from activities.rules import ChildStatus
from disclosures.models import Disclosure
from disclosures.rules import CoiStatus
from faculty.models import Assignment
from tests import factories as f

pytestmark = pytest.mark.django_db

SUBMITTED = f.local(2025, 1, 10, 9)


@pytest.fixture
def sessions(series, speaker):
    """Two sessions either side of the day the disclosure turns one year old."""
    with time_machine.travel(SUBMITTED, tick=False):
        f.disclosure(speaker, at=SUBMITTED)
        covered = f.child(series, start=f.local(2026, 1, 10, 8))  # 364 days and 23 h later
        beyond = f.child(series, start=f.local(2026, 1, 10, 10))  # a year and an hour later
        for c in (covered, beyond):
            f.assign(c, speaker)
    return covered, beyond


def coi(child):
    return Assignment.objects.get(child=child).coi_status


def test_expiry_is_measured_against_each_sessions_date(sessions):
    covered, beyond = sessions
    assert coi(covered) == CoiStatus.PENDING
    assert coi(beyond) == CoiStatus.INCOMPLETE
    # A year later, on the day between them, nothing changes: the line is the session's date.
    with time_machine.travel(f.local(2026, 1, 10, 9), tick=False):
        assert tasks.recompute_statuses.delay().get() == 0
    assert coi(covered) == CoiStatus.PENDING
    assert coi(beyond) == CoiStatus.INCOMPLETE


def test_the_daily_job_repairs_what_changed_without_a_service(sessions, speaker):
    covered, beyond = sessions
    # A data fix moved the disclosure back by two days, outside any service.
    Disclosure.objects.filter(person=speaker).update(submitted_at=SUBMITTED - timedelta(days=2))
    with time_machine.travel(f.local(2025, 6, 1, 3), tick=False):
        changed = tasks.recompute_statuses.delay().get()
        assert changed == 1
    covered.refresh_from_db()
    assert coi(covered) == CoiStatus.INCOMPLETE
    assert covered.status == ChildStatus.INCOMPLETE
    assert covered.status_computed_at == f.local(2025, 6, 1, 3)


def test_the_daily_job_leaves_sessions_already_held_alone(sessions, speaker):
    covered, beyond = sessions
    Disclosure.objects.filter(person=speaker).update(submitted_at=f.local(2025, 12, 1))
    with time_machine.travel(f.local(2026, 1, 18, 9), tick=False):  # both over for 8 days
        assert recompute_statuses() == 0
    assert coi(beyond) == CoiStatus.INCOMPLETE  # history, untouched
    with time_machine.travel(f.local(2026, 1, 10, 9), tick=False):  # within the last week
        assert recompute_statuses() == 1
    assert coi(covered) == CoiStatus.PENDING
    assert coi(beyond) == CoiStatus.PENDING  # now covered by the fixed date


def test_the_daily_job_moves_due_dates_for_new_closure_days(series, speaker):
    with time_machine.travel(f.local(2026, 3, 2, 9), tick=False):
        child = f.child(series, start=f.local(2026, 3, 16, 12))  # a Monday
        assert child.three_by_five_due.isoformat() == "2026-03-09"
        ClosureDay.objects.bulk_create([ClosureDay(date=f.local(2026, 3, 12).date())])
        from activities.selectors_calendar import forget_closure_days

        forget_closure_days()
        assert recompute_statuses() == 1
    child = ChildActivity.objects.get(pk=child.pk)
    assert child.three_by_five_due.isoformat() == "2026-03-06"
