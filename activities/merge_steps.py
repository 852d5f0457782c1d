"""What a merge of two people (faculty.services_merge) does to series roles and session statuses:
registered from ActivitiesConfig.ready(), so faculty never imports activities."""

from faculty.services_merge import MergeContext

from .models import ParentRole
from .services.status import recompute_for_person


def merge_series_roles(context: MergeContext) -> None:
    """A role the kept person already holds is the same fact twice: the duplicate's is dropped
    (the deletion is in the role's history); the others move."""
    keep, duplicate, by = context.keep, context.duplicate, context.by
    held = set(ParentRole.objects.filter(person=keep).values_list("parent_id", "role"))
    twice = [
        r for r in ParentRole.objects.filter(person=duplicate) if (r.parent_id, r.role) in held
    ]
    for role in twice:
        role._change_reason = f"Dropped by merge #{duplicate.pk}->#{keep.pk}: both held this role"
        role._history_user = by
        role.delete()
    if twice:
        context.result.notes.append(
            "Dropped roles held by both: "
            + ", ".join(f"{r.get_role_display()} of series {r.parent_id}" for r in twice)
        )
    context.move(ParentRole, "person", ParentRole.objects.filter(person=duplicate))


def recompute_people(person_ids: list[int]) -> None:
    for person_id in person_ids:
        recompute_for_person(person_id)
