"""Who may read a series' attendance and reports: its coordinators and owners, and administrators.

Everybody else, reviewers included, gets 404 (SPEC §1's role table gives reports to owners and
coordinators; administrators may do everything). Deciding late claims needs a coordinator.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404

from activities.access import VIEW_ROLES, can_edit_parent
from activities.models import ChildActivity, ParentActivity, ParentRole


def _parents_for_reports(user):
    if not user.is_authenticated or not user.is_active:
        return ParentActivity.objects.none()
    if user.is_administrator:
        return ParentActivity.objects.all()
    return ParentActivity.objects.filter(
        Exists(ParentRole.objects.filter(parent=OuterRef("pk"), person=user, role__in=VIEW_ROLES))
    )


def get_parent_for_reports(user, parent_id: int, *, decide: bool = False) -> ParentActivity:
    try:
        parent = _parents_for_reports(user).select_related("department").get(pk=parent_id)
    except ParentActivity.DoesNotExist:
        raise Http404("No such series.") from None
    if decide and not can_edit_parent(user, parent.pk):
        raise PermissionDenied("Only the series' coordinators decide late claims.")
    return parent


def get_child_for_reports(user, child_id: int) -> ChildActivity:
    try:
        return (
            ChildActivity.objects.select_related("parent")
            .filter(parent__in=_parents_for_reports(user))
            .get(pk=child_id)
        )
    except ChildActivity.DoesNotExist:
        raise Http404("No such session.") from None
