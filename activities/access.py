"""Who may see and change which series (SPEC §1). One helper per object, as views need them.

Outsiders get 404 (they must not learn a child exists); read-only people get 403 on writes.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from faculty.models import Assignment, Person

from .models import (  # noqa: F401
    VIEW_ROLES,
    ChildActivity,
    ParentActivity,
    ParentRole,
    ParentRoleKind,
    sees_everything,
)


def visible_parents(user) -> QuerySet[ParentActivity]:
    if not user.is_authenticated:
        return ParentActivity.objects.none()
    if sees_everything(user):
        return ParentActivity.objects.all()
    return ParentActivity.objects.filter(
        Exists(ParentRole.objects.filter(parent=OuterRef("pk"), person=user, role__in=VIEW_ROLES))
    )


def has_a_series(user) -> bool:
    """Whether the user sees any series: the office does, others by a role (every role belongs
    to a series, so one indexed lookup of the person's roles answers; the navigation asks on
    every page)."""
    if not user.is_authenticated:
        return False
    if sees_everything(user):
        return True
    return ParentRole.objects.filter(person=user, role__in=VIEW_ROLES).exists()


def editable_parent_ids(user) -> set[int] | None:
    """Parent ids the user may edit; None means all (administrators)."""
    if not user.is_authenticated:
        return set()
    if user.is_administrator:
        return None
    return set(
        ParentRole.objects.filter(person=user, role=ParentRoleKind.COORDINATOR).values_list(
            "parent_id", flat=True
        )
    )


def report_parent_ids(user) -> set[int] | None:
    """Parent ids whose attendance and reports the user may read (owners and coordinators,
    credit/access.py); None means all (administrators). A reviewer reads only their own series'."""
    if not user.is_authenticated:
        return set()
    if user.is_administrator:
        return None
    return set(
        ParentRole.objects.filter(person=user, role__in=VIEW_ROLES).values_list(
            "parent_id", flat=True
        )
    )


def can_edit_parent(user, parent_id: int) -> bool:
    ids = editable_parent_ids(user)
    return ids is None or parent_id in ids


def visible_children(user) -> QuerySet[ChildActivity]:
    if not user.is_authenticated:
        return ChildActivity.objects.none()
    if sees_everything(user):
        return ChildActivity.objects.all()
    return ChildActivity.objects.filter(
        Exists(
            ParentRole.objects.filter(
                parent=OuterRef("parent_id"), person=user, role__in=VIEW_ROLES
            )
        )
    )


def get_parent_for_user(user, parent_id: int, *, edit: bool = False) -> ParentActivity:
    try:
        parent = visible_parents(user).get(pk=parent_id)
    except ParentActivity.DoesNotExist:
        raise Http404("No such series.") from None
    if edit and not can_edit_parent(user, parent.pk):
        raise PermissionDenied("Only the series' coordinators may change it.")
    return parent


def get_child_for_user(user, child_id: int, *, edit: bool = False) -> ChildActivity:
    try:
        child = (
            visible_children(user).select_related("parent", "parent__department").get(pk=child_id)
        )
    except ChildActivity.DoesNotExist:
        raise Http404("No such session.") from None
    if edit and not can_edit_parent(user, child.parent_id):
        raise PermissionDenied("Only the series' coordinators may change this session.")
    return child


def role_filter_for(user) -> Q:
    """A Q on ChildActivity limiting to what the user may see (for composing dashboard queries)."""
    if sees_everything(user):
        return Q()
    return Q(parent__roles__person=user, parent__roles__role__in=VIEW_ROLES)


# --- people and their assignments, seen through the series (SPEC §1) -----------------------------


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


def get_person_to_ask(user, person_id: int) -> Person:
    """The person whose disclosure `user` may request: the office (reviewers, administrators) for
    anyone; a coordinator for the faculty of their series' current sessions and their series'
    planners. Someone the user may not see: 404; may see but not ask (owners, the person): 403."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not may_see_person(user, person):
        raise Http404("No such person.")
    if sees_everything(user):
        return person
    mine = ParentRole.objects.filter(person=user, role=ParentRoleKind.COORDINATOR).values(
        "parent_id"
    )
    if (
        Assignment.objects.current()
        .filter(person=person, child__parent_id__in=mine, child__is_active=True)
        .exists()
        or ParentRole.objects.filter(
            person=person, role=ParentRoleKind.PLANNER, parent_id__in=mine
        ).exists()
    ):
        return person
    raise PermissionDenied("Only the series' coordinators and the office request disclosures.")
