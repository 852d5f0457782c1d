"""Closure days (SPEC §7: business days skip them): saving or removing one moves the 3-by-5 due
dates of the sessions in the weeks after it, so those recompute at once."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from rss_dashboard.audit import attribute

from ..models import ChildActivity, ClosureDay
from ..selectors_calendar import forget_closure_days
from .status import recompute_children

# How far after a closure day a 3-by-5 due date can move (5 business days, holidays around).
CLOSURE_REACH_DAYS = 21


def _recompute_around(days: Iterable[date | None]) -> None:
    forget_closure_days()
    zone = timezone.get_current_timezone()
    for day in {d for d in days if d is not None}:
        start = datetime.combine(day, time.min, tzinfo=zone)
        recompute_children(
            ChildActivity.objects.filter(
                start__gte=start, start__lt=start + timedelta(days=CLOSURE_REACH_DAYS)
            )
        )


@transaction.atomic
def closure_day_save(closure: ClosureDay, *, by=None) -> ClosureDay:
    """Add or change a closure day; the sessions around its old and new date recompute."""
    old = ClosureDay.objects.filter(pk=closure.pk).values_list("date", flat=True).first()
    attribute(closure, by).save()
    _recompute_around([closure.date, old])
    return closure


@transaction.atomic
def closure_days_delete(closures, *, by=None) -> int:
    """Remove closure days (a queryset or a list); the sessions around them recompute."""
    rows = list(closures)
    for row in rows:
        attribute(row, by).delete()
    _recompute_around(row.date for row in rows)
    return len(rows)
