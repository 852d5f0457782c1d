"""Every write of attendance imports (SPEC §15, issue 18): preview (writes no row), import,
undo, confirming a person, the series' minimum. Claims are made by `claim_credit`, as every
other claim is (window, pending approval, one per learner and session).

- Preview: the file is checked, read, matched and decided; nothing is written to the database.
  The file waits in storage under a random name, referred to by a signed token in the form.
- Import: the same file is read again with fresh facts (somebody may have claimed meanwhile);
  one transaction writes the import, its claims and its entries, or nothing.
- The same file twice on a session is refused by the database (hash, unless undone).
- Undo: the import's claims are voided (kept, with who and why), never deleted.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import ChildActivity
from faculty.models import Person

from . import messages as msg
from .models import COUNTED, Claim, ClaimChannel
from .models_attendance import (
    TO_CONFIRM,
    AttendanceEntry,
    AttendanceImport,
    ImportSource,
)
from .readers_attendance import read_participant_report
from .readers_roster import read_roster
from .readers_tables import ReadReport, ReportError
from .rules_attendance import attendance_changes_until, minimum_minutes
from .rules_attendance_plan import (
    ALREADY,
    BELOW,
    CLAIMED,
    REFUSED,
    Counts,
    PlannedEntry,
    SessionFacts,
    count,
    plan_entries,
)
from .selectors_attendance import (
    claimed_learners,
    inactive_people,
    match_emails,
    minimum_percent,
    name_suggestions,
    people_by_id,
)
from .services import ClaimError, claim_credit, window_of
from .uploads_attendance import AttendanceError, keep_pending, read_upload

PREVIEW_SALT = "credit.attendance-preview"
PREVIEW_MAX_AGE = 6 * 3600
CHANNELS = {"zoom": ClaimChannel.ZOOM, "teams": ClaimChannel.TEAMS, "roster": ClaimChannel.ROSTER}


@dataclass
class Preview:
    child: ChildActivity
    source: str
    original_name: str
    size: int
    sha256: str
    read: ReadReport
    entries: list[PlannedEntry]
    counts: Counts
    minimum_percent: int
    minimum_minutes: int | None
    token: str
    people: dict[int, Person]


# --- checks --------------------------------------------------------------------------------------


def check_may_change(child: ChildActivity, now: datetime) -> None:
    """A session's attendance may change until its year is reported (docs/attendance.md)."""
    until = attendance_changes_until(
        year=child.parent.year, month_day=settings.ATTENDANCE_CHANGES_UNTIL, zone=child.zone
    )
    if now > until:
        raise AttendanceError(
            "year_reported",
            f"The attendance of {child.parent.year} was reported on {until:%b %-d, %Y}; it can no "
            "longer change. Ask the office if it must.",
        )
    if not child.is_active:
        raise AttendanceError(
            "inactive_session", "This session is deactivated; reactivate it first."
        )


def _read(child: ChildActivity, data: bytes, *, kind: str, extension: str, platform: str):
    try:
        if kind == "roster":
            return read_roster(data, excel=extension == "xlsx")
        return read_participant_report(
            data, session_day=child.local_start.date(), zone=child.zone, platform=platform
        )
    except ReportError as exc:
        raise AttendanceError(exc.code, exc.message) from None


def _plan(child: ChildActivity, read: ReadReport, now: datetime):
    percent = minimum_percent(child.parent_id)
    minimum = minimum_minutes(session_minutes=child.duration_minutes, percent=percent)
    window = window_of(child)
    session = SessionFacts(
        start=child.start,
        end=child.end,
        window_opens=window.opens,
        window_closes=window.closes,
        minimum_minutes=minimum,
        now=now,
    )
    matches = match_emails(r.email for r in read.rows if r.email)
    ids = {i for found in matches.values() for i in found}
    entries = plan_entries(
        read.rows,
        session=session,
        matches=matches,
        inactive=inactive_people(ids),
        claimed=claimed_learners(child.pk, ids),
        suggestions=name_suggestions(r.name for r in read.rows if not r.email),
    )
    # Times read, yet nobody was in the session: another session's report, or another time zone.
    # (When no time could be read at all, every row is listed as unreadable instead.)
    readable = any(e.intervals for e in entries) or any(
        r.kind == "span" and r.joined for r in read.rows
    )
    if readable and all((e.minutes or 0) == 0 for e in entries):
        raise AttendanceError(
            "times_outside",
            f"None of the join and leave times in this file fall within this session "
            f"({msg.when(child.start, child.zone)} to {child.local_end:%-I:%M %p}). Check that it "
            "is this session's report and that it was exported in the session's time zone "
            f"({child.time_zone}).",
        )
    return (
        entries,
        count(entries, read.rows),
        percent,
        (None if read.source == "roster" else minimum),
    )


def _already_imported(child: ChildActivity, sha256: str) -> None:
    earlier = (
        AttendanceImport.objects.filter(child=child, sha256=sha256, undone_at__isnull=True)
        .select_related("imported_by")
        .first()
    )
    if earlier is not None:
        who = earlier.imported_by.name if earlier.imported_by else "someone"
        raise AttendanceError(
            "already_imported",
            f"This file was already imported on {msg.when(earlier.imported_at, child.zone)} by "
            f"{who} (import {earlier.pk}); importing it again would change nothing.",
        )


# --- preview and import ---------------------------------------------------------------------------


def attendance_preview(
    *, child: ChildActivity, by, upload, kind: str, platform: str = "", now: datetime | None = None
) -> Preview:
    """What importing the file would do. Writes no row; keeps the file for the import."""
    now = now or timezone.now()
    check_may_change(child, now)
    data, name, extension = read_upload(upload, kind=kind)
    sha256 = hashlib.sha256(data).hexdigest()
    _already_imported(child, sha256)
    read = _read(child, data, kind=kind, extension=extension, platform=platform)
    entries, counts, percent, minimum = _plan(child, read, now)
    stored = keep_pending(data, now)
    token = signing.dumps(
        {
            "f": stored,
            "h": sha256,
            "c": child.pk,
            "u": by.pk,
            "k": kind,
            "p": read.source,
            "x": extension,
            "n": name,
        },
        salt=PREVIEW_SALT,
    )
    ids = {e.person_id for e in entries if e.person_id} | {i for e in entries for i in e.candidates}
    return Preview(
        child=child,
        source=read.source,
        original_name=name,
        size=len(data),
        sha256=sha256,
        read=read,
        entries=entries,
        counts=counts,
        minimum_percent=percent,
        minimum_minutes=minimum,
        token=token,
        people=people_by_id(ids),
    )


def _preview_ref(token: str, *, child: ChildActivity, by) -> dict:
    stale = AttendanceError(
        "stale_preview",
        "This preview has expired or is not for this session: upload the file again.",
    )
    try:
        ref = signing.loads(token or "", salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:
        raise stale from None
    if not isinstance(ref, dict) or ref.get("c") != child.pk or ref.get("u") != by.pk:
        raise stale
    return ref


def attendance_import(
    *, child: ChildActivity, by, token: str, now: datetime | None = None
) -> AttendanceImport:
    """Import the file a preview kept. One transaction; the same file twice changes nothing."""
    now = now or timezone.now()
    ref = _preview_ref(token, child=child, by=by)
    try:
        with default_storage.open(ref["f"], "rb") as stored:
            data = stored.read()
    except (FileNotFoundError, OSError):
        raise AttendanceError(
            "stale_preview", "The previewed file is no longer kept: upload it again."
        ) from None
    if hashlib.sha256(data).hexdigest() != ref["h"]:
        raise AttendanceError("stale_preview", "The previewed file changed: upload it again.")
    with transaction.atomic():
        # One import at a time per session: the second waits, then sees the first's claims.
        child = (
            ChildActivity.objects.select_for_update(of=("self",))
            .select_related("parent")
            .get(pk=child.pk)
        )
        check_may_change(child, now)
        _already_imported(child, ref["h"])
        read = _read(child, data, kind=ref["k"], extension=ref["x"], platform=ref["p"])
        entries, counts, percent, minimum = _plan(child, read, now)
        record = AttendanceImport(
            child=child,
            source=read.source if read.source in ImportSource.values else ImportSource.ROSTER,
            original_name=ref["n"],
            sha256=ref["h"],
            size=len(data),
            imported_by=by,
            imported_at=now,
            minimum_percent=percent if read.source != "roster" else None,
            minimum_minutes=minimum,
            rows=counts.rows,
            notes="\n".join(read.notes),
        )
        record.file.save("attendance", ContentFile(data), save=False)
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError:
            record.file.delete(save=False)
            _already_imported(child, ref["h"])
            raise
        _record_entries(record, child, entries, now)
    transaction.on_commit(lambda: default_storage.delete(ref["f"]))
    return record


def _record_entries(record, child, entries: list[PlannedEntry], now: datetime) -> None:
    people = people_by_id(
        e.person_id for e in entries if e.outcome == CLAIMED and e.person_id is not None
    )
    channel = CHANNELS[record.source]
    rows = []
    for planned in entries:
        claim = None
        if planned.outcome == CLAIMED and planned.person_id is not None:
            # The session's row is locked by the import (see attendance_import).
            claim = claim_entry(
                planned, people[planned.person_id], child, channel, child_locked=True
            )
        rows.append(_entry_row(record, planned, claim))
    AttendanceEntry.objects.bulk_create(rows, batch_size=500)
    recount(record)


def claim_entry(
    planned: PlannedEntry,
    person: Person,
    child: ChildActivity,
    channel: str,
    *,
    child_locked: bool = False,
):
    """The claim of one entry through the one claim service; a refusal becomes the outcome."""
    try:
        return claim_credit(
            learner=person,
            child_id=child.pk,
            channel=channel,
            now=planned.attended_at,
            child=child,
            child_locked=child_locked,
        )
    except ClaimError as exc:
        planned.outcome = ALREADY if exc.code == "already_claimed" else REFUSED
        planned.message = "" if exc.code == "already_claimed" else exc.message[:300]
        return None


def _entry_row(record, planned: PlannedEntry, claim) -> AttendanceEntry:
    return AttendanceEntry(
        import_run=record,
        name=planned.name[:255],
        emails=planned.emails,
        lines=planned.lines,
        intervals=[[s.isoformat(), e.isoformat()] for s, e in planned.intervals],
        extra_seconds=planned.extra_seconds,
        minutes=planned.minutes,
        problems=planned.problems[:20],
        candidates=planned.candidates,
        person_id=planned.person_id,
        claim=claim,
        outcome=planned.outcome,
        message=planned.message[:300],
        attended_at=planned.attended_at,
    )


def recount(record: AttendanceImport) -> None:
    """The counts of an import, from its entries (after the import and after each confirmation)."""
    outcomes: dict[str, int] = {}
    for outcome in record.entries.values_list("outcome", flat=True):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    record.matched = sum(outcomes.get(o, 0) for o in (CLAIMED, ALREADY, BELOW, REFUSED))
    record.unmatched = sum(outcomes.get(o, 0) for o in TO_CONFIRM)
    record.below_minimum = outcomes.get(BELOW, 0)
    record.already_claimed = outcomes.get(ALREADY, 0)
    record.claims_created = record.entries.filter(claim__isnull=False).count()
    record.unreadable_rows = sum(
        1 for problems in record.entries.values_list("problems", flat=True) for _p in problems
    )
    record.save(
        update_fields=[
            "matched",
            "unmatched",
            "below_minimum",
            "already_claimed",
            "claims_created",
            "unreadable_rows",
        ]
    )


# --- undo ------------------------------------------------------------------------------------------


@transaction.atomic
def attendance_import_undo(*, import_id: int, by, now: datetime | None = None) -> int:
    """Undo an import as a whole: its claims are voided (kept, with who, when and why; they count
    nowhere any more), the import is marked undone. Returns the number of claims voided."""
    now = now or timezone.now()
    record = (
        AttendanceImport.objects.select_for_update(of=("self",))
        .select_related("child", "child__parent")
        .get(pk=import_id)
    )
    if record.undone_at is not None:
        raise AttendanceError("already_undone", "This import was already undone.")
    check_may_change(record.child, now)
    claim_ids = list(record.entries.filter(claim__isnull=False).values_list("claim_id", flat=True))
    voided = Claim.objects.filter(COUNTED, pk__in=claim_ids).update(
        voided_at=now, voided_by=by, void_reason=f"Attendance import {record.pk} undone"[:200]
    )
    record.undone_at, record.undone_by = now, by
    record.save(update_fields=["undone_at", "undone_by"])
    return voided
