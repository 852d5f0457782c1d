"""Statuses that change with time and settings, recomputed by a scheduled job."""

from datetime import datetime, timedelta

from django.utils import timezone

from activities.models import (
    ChildActivity,
)
from activities.services.status import recompute_children


def recompute_statuses(now: datetime | None = None) -> int:
    """The daily safety net: upcoming and recent sessions, e.g. after closure days were edited.

    Past sessions keep their status: whether a disclosure was active is judged at the session's
    start, so time alone does not change it (`manage.py recompute_statuses` does every session).
    """
    now = now or timezone.now()
    return recompute_children(
        ChildActivity.objects.filter(start__gte=now - timedelta(days=7)).order_by("pk"), now=now
    )
