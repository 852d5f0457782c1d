"""Counts of series, sessions and assignments for `status_report` (credit adds its claims):
one query per figure, no rows loaded."""

from django.db.models import Count
from django.utils import timezone

from activities.models import ChildActivity, ParentActivity
from activities.rules import ChildStatus
from disclosures.rules import CoiStatus
from faculty.models import Assignment


def status_counts(today=None) -> dict:
    today = today or timezone.localdate()
    active = ChildActivity.objects.filter(is_active=True)
    by_status = dict(active.values_list("status").annotate(n=Count("id")).order_by())
    by_coi = dict(
        Assignment.objects.current()
        .filter(child__is_active=True)
        .values_list("coi_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "parents": ParentActivity.objects.count(),
        "children": active.count(),
        "children_deactivated": ChildActivity.objects.filter(is_active=False).count(),
        "status": {s.label: by_status.get(s.value, 0) for s in ChildStatus},
        "flags": {
            "name_needs_update": active.filter(name_needs_update=True).count(),
            "3_by_5_met": active.filter(requirements_met_on__isnull=False).count(),
            "3_by_5_due": active.filter(
                requirements_met_on__isnull=True, three_by_five_due__gte=today
            ).count(),
            "3_by_5_missed": active.filter(
                requirements_met_on__isnull=True, three_by_five_due__lt=today
            ).count(),
            "planners_with_coi": active.exclude(planners_without_disclosure="").count(),
        },
        "assignments": {s.label: by_coi.get(s.value, 0) for s in CoiStatus},
    }
