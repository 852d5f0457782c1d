"""Faculty on a child (SPEC §4): assigning and removing people, the requests that go with it
(disclosure, presentation), and changes the office makes in the admin."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import ChildActivity
from activities.services.status import recompute_children
from disclosures.links import disclosure_link
from disclosures.models import DisclosureRequest, DisclosureRequestKind
from disclosures.rules import is_active
from disclosures.selectors import latest_disclosures
from faculty.models import Assignment, FacultyRole, Person
from rss_dashboard.audit import attribute
from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email


class AssignmentError(DomainError):
    pass


def has_active_disclosure(person: Person, child: ChildActivity) -> bool:
    latest = latest_disclosures([person.pk]).get(person.pk)
    return latest is not None and is_active(latest.submitted_at, child.start)


@transaction.atomic
def assignment_add(
    *,
    child: ChildActivity,
    person: Person,
    role: str = FacultyRole.SPEAKER,
    request_disclosure: bool | None = None,
    request_presentation: bool = False,
    by=None,
) -> Assignment:
    """Assign faculty; email the disclosure request (or "no action needed") and the presentation
    request. Coordinators are not copied (SPEC §4)."""
    active = has_active_disclosure(person, child)
    if request_disclosure is None:
        request_disclosure = not active
    if Assignment.objects.current().filter(child=child, person=person).exists():
        raise AssignmentError(
            "already_assigned", f"{person.name} is already faculty on this session."
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                child=child,
                person=person,
                role=role,
                request_disclosure=request_disclosure,
                request_presentation=request_presentation,
                added_by=by,
            )
    except IntegrityError:
        raise AssignmentError(
            "already_assigned", f"{person.name} is already faculty on this session."
        ) from None
    context = {"person": person, "child": child, "parent": child.parent, "assignment": assignment}
    if request_disclosure:
        if active:
            queue_email(
                event_key=f"disclosure-no-action:{assignment.pk}",
                kind="disclosure_no_action",
                to=[person.email],
                template="disclosure_no_action",
                context=context,
            )
        else:
            DisclosureRequest.objects.create(
                person=person, kind=DisclosureRequestKind.FACULTY, child=child, requested_by=by
            )
            queue_email(
                event_key=f"disclosure-request:{assignment.pk}",
                kind="disclosure_request",
                to=[person.email],
                template="disclosure_request",
                context={**context, "link": disclosure_link(person)},
            )
    if request_presentation:
        queue_email(
            event_key=f"presentation-request:{assignment.pk}",
            kind="presentation_request",
            to=[person.email],
            template="presentation_request",
            context={**context, "link": presentation_upload_link(assignment)},
        )
    recompute_children([child.pk])
    return assignment


@transaction.atomic
def assignment_remove(assignment: Assignment, *, by=None) -> Assignment:
    """Soft removal: the row and its COI decisions stay for audit; the status recomputes."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.removed_at is not None:
        raise AssignmentError("already_removed", "That person was already removed.")
    locked.removed_at = timezone.now()
    locked.removed_by = by
    locked.save(update_fields=["removed_at", "removed_by"])
    recompute_children([locked.child_id])
    return locked


def presentation_upload_link(assignment: Assignment) -> str:
    return f"{settings.SITE_URL}/presentations/upload/{assignment.presentation_token}/"


@transaction.atomic
def assignment_update(assignment: Assignment, *, by=None, **fields) -> Assignment:
    """The office's edit of an assignment in the admin (role, the two requests, the file): the
    person and the session never change (reviews belong to that pair); the status recomputes."""
    if {"person", "person_id", "child", "child_id"} & set(fields):
        raise AssignmentError("fixed", "An assignment's person and session cannot change.")
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    attribute(locked, by).save()
    recompute_children([locked.child_id])
    return locked
