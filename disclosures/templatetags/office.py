"""The admin index's "office work" panel: what waits for the reviewers now."""

from django import template
from django.utils import timezone

from activities.models import ChildActivity
from activities.rules import ChildStatus

from ..queue import review_queue

register = template.Library()


@register.simple_tag
def office_work() -> dict[str, int]:
    return {
        "coi": review_queue().count(),
        "ready": ChildActivity.objects.filter(is_active=True, status=ChildStatus.PENDING).count(),
        "overdue": ChildActivity.objects.filter(
            is_active=True,
            status__in=[ChildStatus.PENDING, ChildStatus.IN_REVIEW],
            start__lt=timezone.now(),
        ).count(),
    }
