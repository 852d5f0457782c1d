"""`seed_demo --years N` (issue 21): the years before the current one, held and approved, the
same series renewed each year; the current year is the one a one-year seed makes."""

from datetime import datetime
from datetime import timezone as tz

import pytest
from django.db.models import Count

from activities.models import ChildActivity, ParentActivity
from activities.rules import ChildStatus
from credit.models import Claim
from rss_dashboard.demo import seed_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # builds a whole demo institution twice

NOW = datetime(2026, 6, 10, 15, 0, tzinfo=tz.utc)


def _current_year() -> list[tuple]:
    return list(
        Claim.objects.filter(child__parent__year=2026)
        .order_by("learner__email", "child__start", "child__parent__name")
        .values_list("learner__email", "child__start", "child__parent__name", "claimed_at")
    )


def test_history_adds_held_approved_years_and_leaves_this_year_as_it_was(transactional_db):
    seed_demo(seed=4, scale=1, now=NOW)
    one_year = _current_year()
    from django.core.management import call_command

    call_command("flush", "--no-input", verbosity=0)
    result = seed_demo(seed=4, scale=1, now=NOW, years=3)

    assert _current_year() == one_year
    per_year = dict(
        ChildActivity.objects.values_list("parent__year").annotate(n=Count("id")).order_by()
    )
    assert set(per_year) - {2027} == {2024, 2025, 2026}  # 2027: the office's renewal draft
    assert per_year[2024] > 1500 and per_year[2025] > 1500
    assert result.history_children == per_year[2024] + per_year[2025]
    held = ChildActivity.objects.filter(parent__year__lt=2026)
    assert set(held.values_list("status", flat=True)) == {ChildStatus.APPROVED}
    assert Claim.objects.filter(child__parent__year__lt=2026).count() == result.history_claims
    assert Claim.objects.filter(
        learner__email="learner@example.org", child__parent__year=2024
    ).exists()
    # Each series was renewed from its year before.
    for parent in ParentActivity.objects.filter(year__in=(2025, 2026), renewed_from__isnull=False):
        assert parent.renewed_from.year == parent.year - 1
        assert parent.renewed_from.name == parent.name
    assert ParentActivity.objects.filter(year=2026, renewed_from__year=2025).count() == 40
