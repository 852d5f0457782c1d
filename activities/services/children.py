"""Writes on child activities. Each checks its rule, saves, and recomputes the status at once."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from activities.models import (
    ChildActivity,
    ChildReview,
    ParentActivity,
    ParentRole,
    ParentRoleKind,
)
from activities.rules import ChildDecision, ChildStatus, name_problems
from rss_dashboard.audit import attribute
from rss_dashboard.errors import DomainError

from ..signals import child_decided
from .decision_notices import notify_session_decided
from .status import recompute_children


class ChildError(DomainError):
    pass


def check_in_parent_year(
    parent: ParentActivity, start: datetime, tz_name: str | None = None
) -> None:
    """SPEC §2: a child must start within its parent's calendar year (local time of the session)."""
    from zoneinfo import ZoneInfo

    local = start.astimezone(ZoneInfo(tz_name or parent.time_zone))
    if local.year != parent.year:
        raise ChildError(
            "outside_parent_year",
            f"{parent.name} is approved for {parent.year} only (through December 31, {parent.year}); "
            f"this session would start {local:%b %-d, %Y}.",
        )


def check_reviewer(user) -> None:
    """Only the office decides on sessions (SPEC §1), whichever screen calls the service."""
    if not getattr(user, "is_reviewer", False):
        raise ChildError("forbidden", "Only the office's reviewers may decide on sessions.")


def check_times(start: datetime, end: datetime) -> None:
    if end <= start:
        raise ChildError("end_before_start", "The end must be after the start.")


@transaction.atomic
def child_create(
    *,
    parent: ParentActivity,
    start: datetime,
    end: datetime | None = None,
    name: str = "",
    location: str | None = None,
    objectives: str = "",
    by=None,
) -> ChildActivity:
    end = end or start + timedelta(minutes=parent.default_duration_minutes)
    check_times(start, end)
    check_in_parent_year(parent, start)
    child = ChildActivity(
        parent=parent,
        name=name.strip(),
        start=start,
        end=end,
        time_zone=parent.time_zone,
        location=parent.default_location if location is None else location,
        objectives=objectives,
        professions=list(parent.professions),
    )
    attribute(child, by).save(force_insert=True)
    child.specialties.set(parent.specialties.all())
    recompute_children([child.pk])
    child.refresh_from_db()
    return child


@transaction.atomic
def child_update(
    child: ChildActivity, *, expected_version: int | None = None, by=None, **fields
) -> ChildActivity:
    """Change a child's fields; a stale version means someone else saved first (no overwrite)."""
    locked = ChildActivity.objects.select_for_update().select_related("parent").get(pk=child.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ChildError(
            "changed_by_someone_else",
            "This session was changed by someone else while you were editing. "
            "Reload to see their changes, then make yours again.",
        )
    for field, value in fields.items():
        setattr(locked, field, value)
    check_times(locked.start, locked.end)
    check_in_parent_year(locked.parent, locked.start, locked.time_zone)
    locked.version += 1
    attribute(locked, by).save()
    recompute_children([locked.pk])
    locked.refresh_from_db()
    return locked


def child_move(
    child: ChildActivity, *, new_start: datetime, by=None, expected_version=None
) -> ChildActivity:
    """Move to a new start keeping the duration (the calendar's drag and drop)."""
    duration = child.end - child.start
    return child_update(
        child, start=new_start, end=new_start + duration, by=by, expected_version=expected_version
    )


@transaction.atomic
def child_set_active(child: ChildActivity, *, active: bool, by=None) -> ChildActivity:
    locked = ChildActivity.objects.select_for_update().get(pk=child.pk)
    locked.is_active = active
    locked.version += 1
    attribute(locked, by).save(update_fields=["is_active", "version", "updated_at"])
    return locked


def planner_names_without_disclosure(child: ChildActivity) -> list[str]:
    """The names of the series' planners whose latest disclosure is not active for this child
    (SPEC §5; the rule is `disclosures.rules.planners_without_active_disclosure`)."""
    from disclosures.rules import PlannerFacts, planners_without_active_disclosure
    from disclosures.selectors import latest_disclosures

    roles = list(
        ParentRole.objects.filter(parent_id=child.parent_id, role=ParentRoleKind.PLANNER)
        .select_related("person")
        .order_by("person__last_name_lower", "person__first_name", "person_id")
    )
    latest = latest_disclosures([r.person_id for r in roles])
    facts = [
        PlannerFacts(
            r.person_id, r.person.name, getattr(latest.get(r.person_id), "submitted_at", None)
        )
        for r in roles
    ]
    return [p.name for p in planners_without_active_disclosure(facts, session_start=child.start)]


def _planners_note(lacking: list[str], confirm_reason: str) -> str:
    """Refuse an approval while planners lack an active disclosure, unless the reviewer gives a
    reason (SPEC §5: the flyer must name every planner's relationships); the reason is kept."""
    if not lacking:
        return ""
    names = "; ".join(lacking)
    plural = "s" if len(lacking) != 1 else ""
    if not confirm_reason.strip():
        raise ChildError(
            "planners_without_disclosure",
            f"Planner{plural} without an active disclosure for this session: {names}. Approve "
            "only with a reason (it is recorded), or wait for the disclosure.",
        )
    return (
        f"Approved without an active disclosure of planner{plural} {names}: "
        f"{confirm_reason.strip()}"
    )[:2000]


@transaction.atomic
def child_approve(
    child: ChildActivity,
    *,
    reviewer,
    now: datetime | None = None,
    confirm_planners_reason: str = "",
) -> ChildActivity:
    """SPEC §7: only a PENDING child whose name says the topic; its PENDING assignments approve too.

    A series planner without an active disclosure refuses the approval
    (`planners_without_disclosure`) unless `confirm_planners_reason` says why it goes ahead;
    the reason is recorded with the approval."""
    from activities.services.coi_reviews import approve_pending_assignments

    check_reviewer(reviewer)
    now = now or timezone.now()
    locked = ChildActivity.objects.select_for_update().select_related("parent").get(pk=child.pk)
    recompute_children([locked.pk], now=now)
    locked.refresh_from_db()
    if locked.name_needs_update:
        problems = "; ".join(name_problems(locked.name, locked.parent.name))
        raise ChildError(
            "name_needs_update", f"The name needs an update before approval: {problems}"
        )
    if locked.status not in (ChildStatus.PENDING, ChildStatus.APPROVED):
        raise ChildError(
            "not_ready",
            f"Only a PENDING session can be approved; this one is {locked.get_status_display()}.",
        )
    note = _planners_note(planner_names_without_disclosure(locked), confirm_planners_reason)
    approve_pending_assignments(locked, reviewer=reviewer, now=now)
    locked.decision = ChildDecision.APPROVED
    locked.decided_by = reviewer
    locked.decided_at = now
    locked.version += 1
    locked.save(update_fields=["decision", "decided_by", "decided_at", "version"])
    review = ChildReview.objects.create(
        child=locked, action=ChildReview.Action.APPROVED, reviewer=reviewer, reason=note, at=now
    )
    recompute_children([locked.pk], now=now)
    locked.refresh_from_db()
    _on_child_decided(locked, now)
    notify_session_decided(locked, review)
    return locked


@transaction.atomic
def child_reject(
    child: ChildActivity, *, reviewer, reason: str, now: datetime | None = None
) -> ChildActivity:
    check_reviewer(reviewer)
    now = now or timezone.now()
    if not reason.strip():
        raise ChildError(
            "reason_required", "Say why the session is rejected; coordinators will read it."
        )
    locked = ChildActivity.objects.select_for_update().select_related("parent").get(pk=child.pk)
    locked.decision = ChildDecision.REJECTED
    locked.decided_by = reviewer
    locked.decided_at = now
    locked.version += 1
    locked.save(update_fields=["decision", "decided_by", "decided_at", "version"])
    review = ChildReview.objects.create(
        child=locked,
        action=ChildReview.Action.REJECTED,
        reviewer=reviewer,
        reason=reason.strip(),
        at=now,
    )
    recompute_children([locked.pk], now=now)
    locked.refresh_from_db()
    notify_session_decided(locked, review)
    return locked


@transaction.atomic
def child_clear_name_flag(child: ChildActivity, *, reviewer, reason: str) -> ChildActivity:
    """A reviewer overrides a wrong name check for this exact name; renaming re-arms the check."""
    check_reviewer(reviewer)
    if not reason.strip():
        raise ChildError("reason_required", "Clearing the name flag needs a reason.")
    locked = ChildActivity.objects.select_for_update().get(pk=child.pk)
    locked.name_flag_cleared_for = locked.name
    locked.name_flag_cleared_reason = reason.strip()[:500]
    locked.save(update_fields=["name_flag_cleared_for", "name_flag_cleared_reason"])
    ChildReview.objects.create(
        child=locked,
        action=ChildReview.Action.NAME_FLAG_CLEARED,
        reviewer=reviewer,
        reason=reason.strip(),
    )
    recompute_children([locked.pk])
    locked.refresh_from_db()
    return locked


def _on_child_decided(child: ChildActivity, now: datetime) -> None:
    """Tell the apps that act on a decision (credit awards the claims that waited for it)."""
    child_decided.send(sender=ChildActivity, child=child, now=now)
