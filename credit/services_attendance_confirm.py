"""A coordinator confirms whom an imported row is (a row that matched nobody or several
people), and sets the series' minimum (issue 18). Same rules as the import decide the outcome."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from faculty.models import Person
from faculty.services import PersonError, find_person_by_email, person_create

from .models_attendance import TO_CONFIRM, AttendanceEntry, AttendanceSettings, ImportSource
from .rules import window_of
from .rules_attendance import attended_minutes
from .rules_attendance_plan import CLAIMED, PlannedEntry, SessionFacts, attended_at, decide
from .selectors_attendance import claimed_learners
from .services_attendance import CHANNELS, check_may_change, claim_entry, recount
from .uploads_attendance import AttendanceError


def chosen_person(*, person_id: int | None, email: str = "", new_person: dict | None = None):
    """The person a coordinator picked (from the suggestions, or by an account's address), or a
    new one they added (never a second account: person_create refuses an existing address)."""
    if new_person:
        try:
            return person_create(**new_person)
        except PersonError as exc:
            raise AttendanceError(exc.code, exc.message) from None
    if email:
        person = find_person_by_email(email)
        if person is None:
            raise AttendanceError("no_person", f"Nobody on file has the address {email}.")
        return person
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise AttendanceError("no_person", "Choose a person, give an account's email or add one.")
    return person


@transaction.atomic
def attendance_entry_confirm(
    *, entry_id: int, by, choice: dict, now: datetime | None = None
) -> AttendanceEntry:
    """A row that matched nobody or several people, confirmed as the person `choice` names
    (`chosen_person`'s arguments; a new person is created in the same transaction, so a refused
    confirmation creates nobody): the minutes are their rows of this file taken together, then
    the same rules as the import decide."""
    now = now or timezone.now()
    entry = (
        AttendanceEntry.objects.select_for_update(of=("self",))
        .select_related("import_run", "import_run__child", "import_run__child__parent")
        .get(pk=entry_id)
    )
    record = entry.import_run
    if record.undone_at is not None:
        raise AttendanceError("undone", "This import was undone.")
    if entry.outcome not in TO_CONFIRM:
        raise AttendanceError("not_to_confirm", "This row was already confirmed.")
    child = record.child
    check_may_change(child, now)
    person = chosen_person(**choice)
    planned = _replan_for(entry, person, child, record, now)
    claim = None
    if planned.outcome == CLAIMED:
        claim = claim_entry(planned, person, child, CHANNELS[record.source])
    entry.person = person
    entry.claim = claim
    entry.minutes = planned.minutes
    entry.outcome = planned.outcome
    entry.message = planned.message[:300]
    entry.attended_at = planned.attended_at
    entry.confirmed_by, entry.confirmed_at = by, now
    entry.save()
    recount(record)
    return entry


def _replan_for(entry, person, child, record, now) -> PlannedEntry:
    others = AttendanceEntry.objects.filter(import_run=record, person=person).exclude(pk=entry.pk)
    intervals, extra = _intervals(entry), entry.extra_seconds
    for other in others:
        intervals += _intervals(other)
        extra += other.extra_seconds
    window = window_of(child)
    session = SessionFacts(
        start=child.start,
        end=child.end,
        window_opens=window.opens,
        window_closes=window.closes,
        minimum_minutes=record.minimum_minutes or 0,
        now=now,
    )
    roster = record.source == ImportSource.ROSTER
    planned = PlannedEntry(name=entry.name, intervals=intervals, extra_seconds=extra)
    planned.person_id = person.pk
    planned.minutes = (
        None
        if roster
        else attended_minutes(intervals, start=child.start, end=child.end, extra_seconds=extra)
    )
    planned.attended_at = attended_at(intervals, session=session, roster=roster)
    decide(
        planned,
        session=session,
        inactive=set() if person.is_active else {person.pk},
        claimed=claimed_learners(child.pk, [person.pk]),
        readable=True,
    )
    return planned


def _intervals(entry: AttendanceEntry):
    return [(datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in entry.intervals]


# --- the series' minimum -----------------------------------------------------------------------------


def attendance_minimum_set(*, parent, percent: int, by, now: datetime | None = None):
    """The share of a session's length that earns its credit, for every later import of the series."""
    if not 1 <= int(percent) <= 100:
        raise AttendanceError("percent", "The minimum is a share between 1% and 100%.")
    row = AttendanceSettings.objects.filter(parent=parent).first() or AttendanceSettings(
        parent=parent
    )
    row.minimum_percent = int(percent)
    row.updated_by, row.updated_at = by, now or timezone.now()
    row._history_user = by  # type: ignore[attr-defined]  # simple-history
    row.save()
    return row
