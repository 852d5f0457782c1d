"""Reads for attendance imports and the kiosk: people by address in bulk, what a session's page
shows. Each read is a fixed number of queries whatever the number of rows."""

from collections.abc import Iterable

from django.db.models import Count, Q

from faculty.models import Person
from faculty.people import email_candidates
from faculty.selectors import domain_aliases

from .models import COUNTED, Claim
from .models_attendance import (
    TO_CONFIRM,
    AttendanceEntry,
    AttendanceImport,
    AttendanceSettings,
    Kiosk,
    KioskCheckIn,
)
from .rules_attendance import DEFAULT_MINIMUM_PERCENT
from .rules_attendance_plan import display_name_parts, name_key

CHUNK = 2000
MERGE_HOPS = 10


def _chunks(values: list, size: int = CHUNK):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def match_emails(emails: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """Address -> the accounts it leads to, through the domain aliases both ways and merges, in
    a few queries for any number of addresses: the bulk form of
    `faculty.services.find_person_by_email` (which picks one account when an address has two;
    here both are returned so that a coordinator chooses)."""
    aliases = domain_aliases()
    variants = {email: email_candidates(email, aliases) for email in set(emails) if email}
    spellings = sorted(set().union(*variants.values())) if variants else []
    found: dict[str, tuple[int, int | None]] = {}
    for chunk in _chunks(spellings):
        for pk, email, merged in Person.objects.filter(email__in=chunk).values_list(
            "pk", "email", "merged_into_id"
        ):
            found[email] = (pk, merged)
    # A merged duplicate keeps its address and leads to the account it was merged into.
    target = {pk: merged for pk, merged in found.values()}
    for _ in range(MERGE_HOPS):
        unknown = {m for m in target.values() if m is not None and m not in target}
        if not unknown:
            break
        target.update(Person.objects.filter(pk__in=unknown).values_list("pk", "merged_into_id"))

    def final(pk: int) -> int:
        for _ in range(MERGE_HOPS):
            merged_into = target.get(pk)
            if merged_into is None:
                return pk
            pk = merged_into
        return pk

    return {
        email: tuple(sorted({final(found[v][0]) for v in spellings_ if v in found}))
        for email, spellings_ in variants.items()
    }


def inactive_people(ids: Iterable[int]) -> set[int]:
    ids = list(set(ids))
    return set(Person.objects.filter(pk__in=ids, is_active=False).values_list("pk", flat=True))


def claimed_learners(child_id: int, ids: Iterable[int]) -> set[int]:
    ids = list(set(ids))
    if not ids:
        return set()
    return set(
        Claim.objects.filter(COUNTED, child_id=child_id, learner_id__in=ids).values_list(
            "learner_id", flat=True
        )
    )


def name_suggestions(names: Iterable[str], *, limit: int = 5) -> dict[str, tuple[int, ...]]:
    """name_key -> active people whose last name is the name's last word and whose first name
    starts with its first (suggestions for rows without an address; never a match)."""
    wanted = {name_key(n): display_name_parts(n) for n in names if n and n.strip()}
    lasts = sorted({last for last, _first in wanted.values() if last})
    people: dict[str, list[tuple[int, str]]] = {}
    for chunk in _chunks(lasts):
        for pk, last, first in (
            Person.objects.filter(last_name_lower__in=chunk, is_active=True)
            .order_by("last_name_lower", "first_name", "pk")
            .values_list("pk", "last_name_lower", "first_name")
        ):
            people.setdefault(last, []).append((pk, first.lower()))
    return {
        key: tuple(
            pk for pk, given in people.get(last, []) if not first or given.startswith(first)
        )[:limit]
        for key, (last, first) in wanted.items()
    }


def minimum_percent(parent_id: int) -> int:
    value = (
        AttendanceSettings.objects.filter(parent_id=parent_id)
        .values_list("minimum_percent", flat=True)
        .first()
    )
    return value or DEFAULT_MINIMUM_PERCENT


def people_by_id(ids: Iterable[int]) -> dict[int, Person]:
    ids = list(set(ids))
    return {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids).only(
            "pk", "email", "first_name", "last_name", "is_active"
        )
    }


# --- the session's attendance page ---------------------------------------------------------------


def imports_for_page(child_id: int):
    """The session's imports, newest first, with who imported or undid them and how many
    entries still wait for a coordinator (one query)."""
    return (
        AttendanceImport.objects.filter(child_id=child_id)
        .select_related("imported_by", "undone_by")
        .annotate(to_confirm=Count("entries", filter=Q(entries__outcome__in=TO_CONFIRM)))
        .order_by("-imported_at", "-id")
    )


def kiosks_for_page(child_id: int):
    return (
        Kiosk.objects.filter(child_id=child_id)
        .select_related("opened_by", "closed_by")
        .annotate(n_check_ins=Count("check_ins"))
        .order_by("-opened_at")[:20]
    )


def check_ins_for_page(child_id: int, *, limit: int = 500):
    return (
        KioskCheckIn.objects.filter(kiosk__child_id=child_id)
        .select_related("person", "confirmed_by")
        .order_by("-checked_in_at", "-id")[:limit]
    )


def entries_for_page(import_id: int):
    return (
        AttendanceEntry.objects.filter(import_run_id=import_id)
        .select_related("person", "confirmed_by", "claim")
        .order_by("id")
    )
