"""Who may see a person and an assignment (SPEC §1): through the children they may see."""

from django.db.models import Exists, OuterRef
from django.http import Http404

from activities.access import VIEW_ROLES, get_child_for_user, sees_everything
from activities.models import ChildActivity, ParentRole

from .models import Assignment, Person


def get_assignment_for_user(user, assignment_id: int, *, edit: bool = False) -> Assignment:
    """A current assignment on a child the user may see (404) and, with edit, change (403)."""
    assignment = (
        Assignment.objects.current().select_related("person").filter(pk=assignment_id).first()
    )
    if assignment is None:
        raise Http404("No such faculty assignment.")
    assignment.child = get_child_for_user(user, assignment.child_id, edit=edit)
    return assignment


def may_see_person(user, person: Person) -> bool:
    """Reviewers, the person themself, and owners or coordinators of a series the person is on
    (as faculty of one of its children, or as one of its people)."""
    if not user.is_authenticated:
        return False
    if sees_everything(user) or user.pk == person.pk:
        return True
    mine = ParentRole.objects.filter(parent=OuterRef("parent_id"), person=user, role__in=VIEW_ROLES)
    on_child = ChildActivity.objects.filter(
        Exists(mine),
        Exists(Assignment.objects.current().filter(child=OuterRef("pk"), person=person)),
    )
    shared_series = ParentRole.objects.filter(
        person=person,
        parent__in=ParentRole.objects.filter(person=user, role__in=VIEW_ROLES).values("parent"),
    )
    return on_child.exists() or shared_series.exists()
