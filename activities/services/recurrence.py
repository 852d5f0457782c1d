"""Changing a series' recurrence, and optionally its upcoming sessions to match (SPEC §2-3)."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from activities import recurrence as rec
from activities.models import ChildActivity, ParentActivity
from activities.services.children import ChildError
from activities.services.status import recompute_children
from rss_dashboard.audit import attribute


def upcoming_sessions(parent: ParentActivity, now: datetime) -> list[rec.Session]:
    zone = parent.zone
    return [
        rec.Session(id=pk, start=start.astimezone(zone), name=name)
        for pk, start, name in ChildActivity.objects.filter(
            parent=parent, is_active=True, start__gt=now
        )
        .order_by("start", "id")
        .values_list("id", "start", "name")
    ]


def series_anchor(parent: ParentActivity) -> date | None:
    first = ChildActivity.objects.filter(parent=parent).order_by("start").values("start").first()
    return first["start"].astimezone(parent.zone).date() if first else None


def next_free_meeting_day(parent: ParentActivity, now: datetime) -> date | None:
    """The series' next meeting day (its recurrence, exception dates skipped) after now that has
    no active session yet: what "Add a session" proposes. None without a rule or a day left."""
    taken = {s.start.date() for s in upcoming_sessions(parent, now)}
    exceptions = []
    for value in parent.exception_dates or []:
        try:
            exceptions.append(date.fromisoformat(str(value)))
        except ValueError:
            continue
    for start in rec.occurrences(
        parent.recurrence,
        year=parent.year,
        start_time=parent.default_start_time or time(12, 0),
        zone=parent.zone,
        exceptions=exceptions,
        after=now,
        anchor=series_anchor(parent),
    ):
        if start.date() not in taken:
            return start.date()
    return None


def preview(
    parent: ParentActivity,
    *,
    rule: str,
    start_time: time,
    exception_dates: Sequence[date],
    now: datetime | None = None,
) -> rec.Plan:
    now = now or timezone.now()
    starts = rec.occurrences(
        rule,
        year=parent.year,
        start_time=start_time,
        zone=parent.zone,
        exceptions=exception_dates,
        after=now,
        anchor=series_anchor(parent),
    )
    return rec.plan(upcoming_sessions(parent, now), starts, exception_dates)


def _check(parent: ParentActivity, rule: str, exception_dates: Sequence[date]) -> None:
    outside = sorted(d for d in exception_dates if d.year != parent.year)
    if outside:
        raise ChildError(
            "outside_parent_year",
            f"Exception dates must be in {parent.year}: {', '.join(map(str, outside))}.",
        )
    if rule and rec.parse(rule) is None:
        raise ChildError("rule_invalid", "Choose how often the series meets.")


@transaction.atomic
def parent_recurrence_update(
    parent: ParentActivity,
    *,
    rule: str,
    start_time: time,
    exception_dates: Sequence[date],
    apply_to_upcoming: bool,
    by=None,
    now: datetime | None = None,
) -> rec.Plan:
    """Save the rule; with apply_to_upcoming, move, create and deactivate upcoming sessions so
    they follow it (faculty stay with their session when it moves). Returns what was done."""
    now = now or timezone.now()
    exception_dates = sorted(set(exception_dates))
    _check(parent, rule, exception_dates)
    locked = ParentActivity.objects.select_for_update().get(pk=parent.pk)
    locked.recurrence = rule
    locked.default_start_time = start_time
    locked.exception_dates = [d.isoformat() for d in exception_dates]
    attribute(locked, by).save(
        update_fields=["recurrence", "default_start_time", "exception_dates"]
    )
    if not apply_to_upcoming:
        return rec.Plan()
    changes = preview(
        locked, rule=rule, start_time=start_time, exception_dates=exception_dates, now=now
    )
    touched: list[int] = []
    moving = {s.id: new for s, new in changes.moves}
    for child in ChildActivity.objects.select_for_update().filter(pk__in=moving):
        duration = child.end - child.start
        child.start = moving[child.pk]
        child.end = child.start + duration
        child.version += 1
        child.save(update_fields=["start", "end", "version", "updated_at"])
        touched.append(child.pk)
    gone = [s.id for s in changes.deactivations]
    for child in ChildActivity.objects.select_for_update().filter(pk__in=gone):
        child.is_active = False
        child.version += 1
        child.save(update_fields=["is_active", "version", "updated_at"])
    specialties = list(locked.specialties.all())
    for start in changes.creates:
        child = ChildActivity.objects.create(
            parent=locked,
            start=start,
            end=start + timedelta(minutes=locked.default_duration_minutes),
            time_zone=locked.time_zone,
            location=locked.default_location,
            professions=list(locked.professions),
        )
        child.specialties.set(specialties)
        touched.append(child.pk)
    recompute_children(touched, now=now)
    return changes
