"""Merge two accounts of the same human (SPEC §1: duplicates are the top support problem).

Everything that points to the duplicate moves to the kept person: assignments (with their COI
reviews), disclosures (with their relationships and reviews), claims, late claims, series roles,
authorship (comments, tickets, decisions...) and any relation added later, found by introspection.
Nothing is deleted except a series role the kept person already holds (the same fact twice; the
deletion is in the role's history). Where both people hold the same one-per-person row:
- both on the same session as faculty: the duplicate's assignment is removed (soft, audited)
  and kept with its reviews;
- both claimed the same session: the kept person's claim counts; the duplicate's claim stays on
  the (inactive) duplicate so no participation record is lost;
- both asked for a late claim on the same session: the duplicate's request is closed as a
  duplicate and moved.
The duplicate ends inactive with `merged_into` set, keeping its email (links and searches by
that address lead to the kept person). The merge is written to the admin log of both people
and to their history, with who did it; statuses are recomputed.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from rss_dashboard.audit import attribute
from rss_dashboard.errors import DomainError

from .merge_registry import _STEPS, after_merge, register_after_merge, register_merge_step  # noqa: F401
from .models import Assignment, Person
from .services_merge_undo import (
    _is_history,
    keys_pointing_at,
    merge_record,
    person_relations,
    snapshot,
)

FILLED_FROM_DUPLICATE = ("first_name", "credentials", "affiliation", "profession")


class MergeError(DomainError):
    pass


@dataclass
class MergeResult:
    keep_id: int
    duplicate_id: int
    moved: dict[str, int] = field(default_factory=dict)  # "app.Model.field" -> rows moved
    notes: list[str] = field(default_factory=list)
    merge_id: int | None = None  # the PersonMerge that records it (and undoes it)

    def summary(self) -> str:
        moved = ", ".join(f"{label}: {n}" for label, n in sorted(self.moved.items()) if n)
        return "; ".join(
            [f"Merged person {self.duplicate_id} into {self.keep_id}", moved or "nothing moved"]
            + self.notes
        )


@dataclass
class MergeContext:
    """What a merge step gets: the two people (locked), who merges, and the result to report to."""

    keep: Person
    duplicate: Person
    by: object
    now: datetime
    reason: str
    result: MergeResult
    handled: set[str] = field(default_factory=set)

    def moved(self, model, name: str, count: int) -> None:
        label = f"{model._meta.label}.{name}"
        self.handled.add(label)
        self.result.moved[label] = self.result.moved.get(label, 0) + count

    def move(self, model, name: str, queryset) -> int:
        """Point the rows at the kept person (through the model's history when it keeps one)."""
        count = _move(model._meta.get_field(name), queryset, self.keep, self.by, self.reason)
        self.moved(model, name, count)
        return count


def _label(fk) -> str:
    return f"{fk.model._meta.label}.{fk.name}"


def merge_preview(duplicate: Person) -> dict[str, int]:
    """What would move: rows pointing to the duplicate, per relation (for the confirmation)."""
    counts = {}
    for fk in person_relations():
        n = fk.model._base_manager.filter(**{fk.name: duplicate}).count()
        if n:
            counts[_label(fk)] = n
    return counts


def _move(fk, queryset, keep: Person, by, reason: str) -> int:
    """Point the rows at `keep`, through the history when the model keeps one."""
    model = fk.model
    if hasattr(model, "history") and not _is_history(model):
        rows = list(queryset)
        for row in rows:
            setattr(row, fk.name, keep)
        if rows:
            bulk_update_with_history(
                rows, model, [fk.name], default_user=by, default_change_reason=reason
            )
        return len(rows)
    return queryset.update(**{fk.name: keep})


@transaction.atomic
def person_merge(
    *, keep: Person, duplicate: Person, by, now: datetime | None = None
) -> MergeResult:
    if not getattr(by, "is_administrator", False):
        raise MergeError("forbidden", "Only administrators may merge people.")
    if keep.pk == duplicate.pk:
        raise MergeError("same_person", "Choose two different people.")
    if by.pk == duplicate.pk:
        raise MergeError("own_account", "You cannot merge away the account you are signed in with.")
    now = now or timezone.now()
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")
    }
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if duplicate.merged_into_id is not None:
        raise MergeError("already_merged", f"{duplicate.email} was already merged.")
    if keep.merged_into_id is not None or not keep.is_active:
        raise MergeError("keep_inactive", f"{keep.email} is not an active account; keep another.")
    # Everything pointing at either person, to record what the merge changes (and undo it).
    before = snapshot([keep.pk, duplicate.pk])
    keep_rows = keys_pointing_at(keep.pk)

    # History keeps 100 characters of reason; the admin log entry has the full summary.
    reason = f"Merged {duplicate.email} (#{duplicate.pk}) into {keep.email} (#{keep.pk})"[:100]
    result = MergeResult(keep_id=keep.pk, duplicate_id=duplicate.pk)
    for person in (keep, duplicate):
        attribute(person, by, reason)  # read by django-simple-history on every save below
    context = MergeContext(
        keep=keep, duplicate=duplicate, by=by, now=now, reason=reason, result=result
    )

    # Faculty on the same session twice: the duplicate's assignment is removed, not lost.
    keep_children = set(
        Assignment.objects.current().filter(person=keep).values_list("child_id", flat=True)
    )
    clashes = list(
        Assignment.objects.current().filter(person=duplicate, child_id__in=keep_children)
    )
    for a in clashes:
        a.removed_at, a.removed_by = now, by
        a._change_reason = f"Removed by merge #{duplicate.pk}->#{keep.pk}: both were faculty here"
        a._history_user = by
        a.save(update_fields=["removed_at", "removed_by"])
    if clashes:
        result.notes.append(
            "Removed the duplicate's assignment on sessions where both were faculty: "
            + ", ".join(str(a.child_id) for a in clashes)
        )
    context.move(Assignment, "person", Assignment.objects.filter(person=duplicate))
    context.moved(
        Person, "merged_into", Person.objects.filter(merged_into=duplicate).update(merged_into=keep)
    )
    # The other apps' one-per-person rows (claims, late claims, series roles, identifiers),
    # registered from their AppConfig.ready(): faculty imports none of them.
    for step in _STEPS:
        step(context)

    # Everything else that points to a person: authorship, decisions, later additions.
    for fk in person_relations():
        if _label(fk) in context.handled:
            continue
        queryset = fk.model._base_manager.filter(**{fk.name: duplicate})
        try:
            with transaction.atomic():
                count = _move(fk, queryset, keep, by, reason)
        except IntegrityError as exc:
            raise MergeError(
                "conflict",
                f"Both people hold a {fk.model._meta.verbose_name} that cannot be merged: {exc}",
            ) from None
        if count:
            result.moved[_label(fk)] = count

    keep.groups.add(*duplicate.groups.all())
    keep.user_permissions.add(*duplicate.user_permissions.all())

    _merge_profile(keep, duplicate, result)
    duplicate.merged_into = keep
    duplicate.is_active = False
    duplicate.save()
    keep.save()

    message = result.summary()
    record = merge_record(
        keep=keep,
        duplicate=duplicate,
        by=by,
        before=before,
        keep_rows=keep_rows,
        summary=message,
        now=now,
    )
    result.merge_id = record.pk
    content_type = ContentType.objects.get_for_model(Person)
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=by.pk,
            content_type=content_type,
            object_id=str(p.pk),
            object_repr=str(p)[:200],
            action_flag=CHANGE,
            change_message=message,
        )
        for p in (keep, duplicate)
    )
    after_merge([keep.pk])
    return result


def _merge_profile(keep: Person, duplicate: Person, result: MergeResult) -> None:
    """Fill the kept person's empty fields from the duplicate; move or release the phone."""
    for name in FILLED_FROM_DUPLICATE:
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
            result.notes.append(f"Took {name} from the duplicate.")
    phone = duplicate.mobile_phone
    if phone:
        duplicate.mobile_phone = None
        duplicate.save(update_fields=["mobile_phone"])  # free the unique phone first
        if not keep.mobile_phone:
            keep.mobile_phone = phone
            result.notes.append(f"Moved mobile phone {phone} to the kept person.")
        elif keep.mobile_phone != phone:
            result.notes.append(
                f"Released the duplicate's phone {phone}; texts from it will ask for an email."
            )
    if duplicate.site_role and duplicate.site_role != keep.site_role:
        result.notes.append(
            f"The duplicate was {duplicate.get_site_role_display()}; the kept person's role "
            "was not changed."
        )
