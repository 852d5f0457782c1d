"""A merge of two people records what it changed, so the office can undo it (SPEC §16).

`snapshot` reads every row that points at either person (every foreign key to Person found by
introspection: claims, assignments, disclosures, series roles, SSO links, phone and alias
fields on the people themselves, and any relation added later) before and after the merge;
`merge_record` keeps the difference (rows changed field by field, rows deleted whole).
`merge_undo` puts it back:
- every field the merge changed returns to its value before the merge, if it still holds the
  value the merge gave it; a field changed again since keeps the later value (reported);
- rows the merge deleted (a role both held) are recreated with their id;
- a row the merge moved goes back to the duplicate with whatever happened to it since (a claim
  awarded, a COI review of a moved assignment): it is the duplicate's record;
- rows added for the kept person after the merge stay with the kept person (reported): nobody
  can tell which of the two humans they belong to.
Undo is offered for MERGE_UNDO_DAYS (the records' retention period) and refused when the kept
person was merged into someone else since (undo that merge first).
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone
from simple_history.models import HistoricalChanges

from rss_dashboard.errors import DomainError

from .merge_registry import after_merge
from .models import DistinctPeople, LikelyDuplicate, Person, PersonMerge, SignInRecord

# Records of the past: they describe what happened to one account and never move with a merge.
PAST_RECORDS = (PersonMerge, SignInRecord, LikelyDuplicate, DistinctPeople)


class UndoError(DomainError):
    pass


def _is_history(model) -> bool:
    return issubclass(model, HistoricalChanges)


def person_relations() -> list[models.ForeignObject]:
    """Every foreign key to Person outside the history tables, the admin log and the records
    of the past."""
    fields = []
    for rel in Person._meta.get_fields(include_hidden=True):  # related_name="+" ones too
        if not isinstance(rel, ForeignObjectRel) or not rel.auto_created or rel.many_to_many:
            continue  # only reverse foreign keys and one-to-ones
        model = rel.related_model
        if model is None or _is_history(model) or model is LogEntry or model._meta.auto_created:
            continue  # history and the admin log record the past; m2m tables are merged apart
        if issubclass(model, PAST_RECORDS):
            continue
        fields.append(rel.field)
    return fields


def _fields(obj) -> dict:
    """The row's fields as Django's JSON serializer writes them (m2m as sorted lists of ids)."""
    fields = json.loads(serializers.serialize("json", [obj]))[0]["fields"]
    for m2m in obj._meta.many_to_many:
        if m2m.name in fields:
            fields[m2m.name] = sorted(fields[m2m.name])
    return fields


Key = tuple[str, str]  # ("app.model", "pk" as text)


def _key(obj) -> Key:
    return (obj._meta.label_lower, str(obj.pk))


def snapshot(person_ids: list[int]) -> dict[Key, dict]:
    """Every row pointing at these people, and the people themselves."""
    rows: dict[Key, dict] = {}
    for fk in person_relations():
        for obj in fk.model._base_manager.filter(**{f"{fk.name}__in": person_ids}):
            rows[_key(obj)] = _fields(obj)
    for person in Person._base_manager.filter(pk__in=person_ids):
        rows[_key(person)] = _fields(person)
    return rows


def keys_pointing_at(person_id: int) -> list[Key]:
    keys: list[Key] = []
    for fk in person_relations():
        model = fk.model
        label = model._meta.label_lower
        pks = model._base_manager.filter(**{fk.name: person_id}).values_list("pk", flat=True)
        keys.extend((label, str(pk)) for pk in pks)
    return keys


def _reread(keys) -> dict[Key, dict]:
    by_model: dict[str, list[str]] = {}
    for label, pk in keys:
        by_model.setdefault(label, []).append(pk)
    rows = {}
    for label, pks in by_model.items():
        model = apps.get_model(label)
        for obj in model._base_manager.filter(pk__in=pks):
            rows[_key(obj)] = _fields(obj)
    return rows


def merge_record(
    *,
    keep: Person,
    duplicate: Person,
    by,
    before: dict[Key, dict],
    keep_rows: list[Key],
    summary: str,
    now: datetime,
) -> PersonMerge:
    """Compare with `before` (taken by `snapshot` at the start of the merge; `keep_rows` by
    `keys_pointing_at(keep)`) and keep the difference on a PersonMerge row."""
    after = snapshot([keep.pk, duplicate.pk])
    after.update(_reread(set(before) - set(after)))
    changes = []
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            changes.append({"model": key[0], "pk": key[1], "action": "deleted", "before": old})
            continue
        changed = [name for name in old if old[name] != new.get(name)]
        if changed:
            changes.append(
                {
                    "model": key[0],
                    "pk": key[1],
                    "action": "changed",
                    "before": {name: old[name] for name in changed},
                    "after": {name: new.get(name) for name in changed},
                }
            )
    for key in set(after) - set(before):
        changes.append({"model": key[0], "pk": key[1], "action": "created", "after": after[key]})
    return PersonMerge.objects.create(
        keep=keep,
        duplicate=duplicate,
        merged_by=by,
        merged_at=now,
        summary=summary,
        changes={"rows": changes, "keep_rows": [list(key) for key in keep_rows]},
    )


@dataclass
class UndoResult:
    merge_id: int
    restored: dict[str, int] = field(default_factory=dict)
    kept_later: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{label}: {n}" for label, n in sorted(self.restored.items())]
        text = f"Undid merge #{self.merge_id}; restored " + (", ".join(parts) or "nothing")
        return "; ".join([text, *self.kept_later])


def undo_deadline(merge: PersonMerge) -> datetime:
    return merge.merged_at + timedelta(days=settings.MERGE_UNDO_DAYS)


def undo_refusal(merge: PersonMerge, now: datetime | None = None) -> str:
    """Why this merge cannot be undone now ("" when it can)."""
    now = now or timezone.now()
    if merge.undone_at is not None:
        return "This merge was already undone."
    if now > undo_deadline(merge):
        return f"Merges can be undone for {settings.MERGE_UNDO_DAYS} days; this one is older."
    keep = Person._base_manager.get(pk=merge.keep_id)
    if keep.merged_into_id is not None:
        return (
            f"{keep.email} was merged into another account since; undo that merge first "
            "(it is newer, in the merge history)."
        )
    duplicate = Person._base_manager.get(pk=merge.duplicate_id)
    if duplicate.merged_into_id != keep.pk:
        return f"{duplicate.email} is no longer merged into {keep.email}."
    return ""


def added_since(merge: PersonMerge) -> dict[str, int]:
    """Rows pointing at the kept person now that were neither theirs before the merge nor moved
    by it: added since. They stay with the kept person when the merge is undone."""
    known = {tuple(k) for k in merge.changes.get("keep_rows", [])}
    known |= {(c["model"], c["pk"]) for c in merge.changes.get("rows", [])}
    counts: dict[str, int] = {}
    for key, _row in snapshot([merge.keep_id]).items():
        if key not in known and key[0] != "faculty.person":
            counts[key[0]] = counts.get(key[0], 0) + 1
    return counts


def _person_order(change: dict) -> tuple:
    # People first, and among them those who give a phone back before those who take it back,
    # so the unique phone is never on two people at once.
    if change["model"] != "faculty.person":
        return (1, 0)
    takes_phone = bool(change.get("before", {}).get("mobile_phone"))
    return (0, 1 if takes_phone else 0)


def _before_object(change: dict):
    data = [{"model": change["model"], "pk": change["pk"], "fields": change["before"]}]
    return next(serializers.deserialize("json", json.dumps(data), ignorenonexistent=True))


@transaction.atomic
def merge_undo(*, merge_id: int, by, now: datetime | None = None) -> UndoResult:
    if not getattr(by, "is_administrator", False):
        raise UndoError("forbidden", "Only administrators may undo a merge.")
    now = now or timezone.now()
    merge = PersonMerge.objects.select_for_update().filter(pk=merge_id).first()
    if merge is None:
        raise UndoError("unknown", "No such merge.")
    list(
        Person._base_manager.select_for_update().filter(pk__in=[merge.keep_id, merge.duplicate_id])
    )
    refusal = undo_refusal(merge, now)
    if refusal:
        raise UndoError("refused", refusal)
    result = UndoResult(merge_id=merge.pk)
    reason = f"Undo of merge #{merge.pk}"
    rows = sorted(merge.changes.get("rows", []), key=_person_order)
    for change in rows:
        if change["action"] == "changed":
            _restore_fields(change, by, reason, result)
        elif change["action"] == "deleted":
            _recreate(change, by, reason, result)
    merge.undone_at, merge.undone_by = now, by
    merge.undo_summary = result.summary()
    merge.save(update_fields=["undone_at", "undone_by", "undo_summary"])
    content_type = ContentType.objects.get_for_model(Person)
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=by.pk,
            content_type=content_type,
            object_id=str(pk),
            object_repr=str(Person._base_manager.get(pk=pk))[:200],
            action_flag=CHANGE,
            change_message=merge.undo_summary,
        )
        for pk in (merge.keep_id, merge.duplicate_id)
    )
    after_merge([merge.keep_id, merge.duplicate_id])
    return result


def _count(result: UndoResult, label: str) -> None:
    result.restored[label] = result.restored.get(label, 0) + 1


def _restore_fields(change: dict, by, reason: str, result: UndoResult) -> None:
    model = apps.get_model(change["model"])
    obj = model._base_manager.filter(pk=change["pk"]).first()
    if obj is None:
        result.kept_later.append(f"{change['model']} {change['pk']} no longer exists")
        return
    current = _fields(obj)
    old = _before_object(change)
    names, m2m = [], {}
    for name, merged_value in change["after"].items():
        if current.get(name) != merged_value:
            result.kept_later.append(
                f"{model._meta.verbose_name} {obj.pk}: {name} was changed since the merge; "
                "the later value stays"
            )
            continue
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            m2m[name] = old.m2m_data.get(name, [])
        else:
            setattr(obj, model_field.attname, getattr(old.object, model_field.attname))
            names.append(name)
    if names:
        obj._change_reason, obj._history_user = reason, by
        try:
            with transaction.atomic():
                obj.save(update_fields=names)
        except IntegrityError as exc:
            result.kept_later.append(
                f"{model._meta.verbose_name} {obj.pk}: could not restore {', '.join(names)} "
                f"({exc.__class__.__name__}: another row holds that value now)"
            )
            return
    for name, ids in m2m.items():
        getattr(obj, name).set(ids)
    if names or m2m:
        _count(result, change["model"])


def _recreate(change: dict, by, reason: str, result: UndoResult) -> None:
    model = apps.get_model(change["model"])
    if model._base_manager.filter(pk=change["pk"]).exists():
        return
    old = _before_object(change)
    obj = old.object
    obj._change_reason, obj._history_user = reason, by
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
    except IntegrityError:
        result.kept_later.append(
            f"{model._meta.verbose_name} {change['pk']} could not be recreated: an equal row "
            "exists now"
        )
        return
    for name, ids in old.m2m_data.items():
        getattr(obj, name).set(ids)
    _count(result, change["model"])
