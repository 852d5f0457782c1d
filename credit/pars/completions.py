"""Learner completion records for a year (SPEC §13): which learners of which series go to which
board, pre-validated, and the export that remembers what it sent.

A series reports to a certifying board when the office registered it for that board's MOC, and
to state medical boards when the office ticked "report to state medical boards". A learner is
reported when they gave an ID for that board (or a license or NPI for their state): that is how
a learner asks for it. Their permission is checked, not assumed: records without it are listed
by the pre-validation and never exported.
"""

from collections import defaultdict, namedtuple
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from activities.models import ParentState
from activities.rules import ChildStatus
from credit.models import Claim
from rss_dashboard.errors import DomainError

from .codes import ONCE_PER_SERIES_BOARDS, STATE_TARGET
from .learner_rules import (
    ADD,
    REJECTED,
    Candidate,
    Sent,
    candidate_problems,
    changes,
    once_for_series,
    per_session,
)
from .models import (
    BoardIdentifier,
    CompletionExport,
    CompletionRecord,
    LearnerIdentity,
    MocRegistration,
    ReportingYear,
    SeriesReport,
)


class ParsError(DomainError):
    pass


@dataclass(frozen=True)
class Planned:
    key: tuple  # (learner id, parent id, target, completion date)
    learner_name: str
    parent_name: str
    candidate: Candidate
    values: tuple  # CompletionRecord.VALUES
    problems: list[str]


def reporting_series(year: int):
    return (
        SeriesReport.objects.filter(parent__year=year, parent__state=ParentState.APPROVED)
        .filter(Q(state_boards=True) | Q(moc__isnull=False))
        .distinct()
        .select_related("parent")
        .prefetch_related("moc")
    )


_IDENTITY = (
    "birth_month",
    "birth_day",
    "npi",
    "license_state",
    "license_number",
    "state_consent_at",
)
_Identity = namedtuple("_Identity", _IDENTITY)


def _attendance(parent_ids: list[int], boards: set[str]) -> dict[tuple[int, int], dict]:
    """(learner, parent) -> {local date: credit awarded that day}, for learners who gave an
    identifier (nobody else can be reported, so nobody else is read)."""
    days: dict[tuple[int, int], dict] = defaultdict(lambda: defaultdict(Decimal))
    gave = Exists(
        BoardIdentifier.objects.filter(person_id=OuterRef("learner_id"), board__in=boards)
    ) | Exists(LearnerIdentity.objects.filter(person_id=OuterRef("learner_id")))
    rows = (
        Claim.objects.filter(
            child__parent_id__in=parent_ids, child__is_active=True, awarded_at__isnull=False
        )
        .exclude(child__status=ChildStatus.REJECTED)
        .filter(gave)
        .values_list(
            "learner_id", "child__parent_id", "child__start", "child__time_zone", "credit_hours"
        )
        .iterator(chunk_size=5000)
    )
    zones: dict[str, ZoneInfo] = {}
    for learner, parent, start, tz, credit in rows:
        zone = zones.get(tz) or zones.setdefault(tz, ZoneInfo(tz))
        days[(learner, parent)][start.astimezone(zone).date()] += credit
    return days


def plan_year(year: int) -> list[Planned]:
    reports = {r.parent_id: r for r in reporting_series(year)}
    if not reports:
        return []
    mocs = {pid: list(r.moc.all()) for pid, r in reports.items()}
    boards = {m.board for registered in mocs.values() for m in registered}
    names, ids, identity = {}, {}, {}
    # Plain rows, not model instances: a large centre has thousands of learners with IDs.
    rows = BoardIdentifier.objects.filter(board__in=boards).values_list(
        "person_id", "board", "board_id", "consent_at", "person__first_name", "person__last_name"
    )
    for person, board, board_id, consent_at, first, last in rows:
        ids[(person, board)] = (board_id, consent_at is not None)
        names[person] = (first, last)
    rows = LearnerIdentity.objects.values_list(
        "person_id", *_IDENTITY, "person__first_name", "person__last_name"
    )
    for row in rows:
        identity[row[0]] = _Identity(*row[1:-2])
        names[row[0]] = row[-2:]
    days = _attendance(list(reports), boards)
    out: list[Planned] = []
    for (learner, parent_id), by_day in sorted(days.items()):
        report = reports[parent_id]
        first, last = names[learner]
        who = identity.get(learner)
        base = {
            "accme_activity_id": report.accme_activity_id,
            "first_name": first,
            "last_name": last,
            "birth_month": who.birth_month if who else None,
            "birth_day": who.birth_day if who else None,
        }
        attended = list(by_day.items())
        for moc in mocs[parent_id]:
            entry = ids.get((learner, moc.board))
            if entry is None:
                continue
            plan = once_for_series if moc.board in ONCE_PER_SERIES_BOARDS else per_session
            types = MocRegistration.lines(moc.credit_types)
            for day, amount in plan(attended, moc.points):
                c = Candidate(
                    target=moc.board,
                    completed=day,
                    amount=amount,
                    board_id=entry[0],
                    consent=entry[1],
                    **base,
                )
                values = _values(c, report, board=moc.board, moc_type=types[0] if types else "")
                out.append(_planned(learner, report, c, values, names))
        if report.state_boards and who and (who.license_number or who.npi or who.state_consent_at):
            for day, amount in per_session(attended, None):
                c = Candidate(
                    target=STATE_TARGET,
                    completed=day,
                    amount=amount,
                    npi=who.npi,
                    license_state=who.license_state,
                    license_number=who.license_number,
                    consent=who.state_consent_at is not None,
                    **base,
                )
                out.append(_planned(learner, report, c, _values(c, report), names))
    return out


def _values(c: Candidate, report, *, board: str = "", moc_type: str = "") -> tuple:
    state = c.target == STATE_TARGET
    return (
        report.accme_activity_id,
        str(report.parent_id),
        c.first_name.strip(),
        c.last_name.strip(),
        c.birth_month,
        c.birth_day,
        c.completed,
        c.npi.strip() if state else "",
        c.license_state if state else "",
        c.license_number.strip() if state else "",
        board,
        c.board_id.strip(),
        c.amount if state else None,
        moc_type,
        None if state else c.amount,
    )


def _planned(learner: int, report, c: Candidate, values: tuple, names) -> Planned:
    first, last = names[learner]
    return Planned(
        key=(learner, report.parent_id, c.target, c.completed),
        learner_name=f"{last}, {first}".strip(", "),
        parent_name=report.parent.name,
        candidate=c,
        values=values,
        problems=candidate_problems(c),
    )


_KEY = ("learner_id", "parent_id", "target", "completed")


def last_sent(year: int) -> tuple[dict, dict]:
    """For every record key ever exported for the year's series: the last row sent (as Sent)
    and its id."""
    sent, pks = {}, {}
    rows = (
        CompletionRecord.objects.filter(parent__year=year)
        .order_by("id")
        .values_list("id", *_KEY, "action", "status", *CompletionRecord.VALUES)
        .iterator(chunk_size=5000)
    )
    for row in rows:
        pk, key, action, status, values = row[0], row[1:5], row[5], row[6], row[7:]
        sent[key] = Sent(action, tuple(values), status)
        pks[key] = pk
    return sent, pks


@dataclass(frozen=True)
class Preview:
    planned: list[Planned]
    todo: list  # (action, key, values)

    @property
    def invalid(self) -> list[Planned]:
        return [p for p in self.planned if p.problems]

    @property
    def to_add(self) -> int:
        return sum(1 for action, _, _ in self.todo if action == ADD)

    @property
    def to_delete(self) -> int:
        return len(self.todo) - self.to_add


def preview(year: int) -> Preview:
    planned = plan_year(year)
    wanted = {p.key: p.values for p in planned if not p.problems}
    sent, _ = last_sent(year)
    return Preview(planned, changes(wanted, sent))


@transaction.atomic
def export_completions(*, year: int, by, now: datetime | None = None) -> CompletionExport:
    """Send what changed since the last export: new records as adds, withdrawn ones as deletes,
    changed ones as a delete and an add. codes: nothing_to_export."""
    now = now or timezone.now()
    ReportingYear.objects.get_or_create(year=year)
    # One export of a year at a time: the second waits, then sees what the first sent.
    ReportingYear.objects.select_for_update().get(year=year)
    planned = plan_year(year)
    wanted = {p.key: p.values for p in planned if not p.problems}
    sent, pks = last_sent(year)
    todo = changes(wanted, sent)
    if not todo:
        raise ParsError("nothing_to_export", "Nothing changed since the last export.")
    export = CompletionExport.objects.create(year=year, by=by, at=now)
    records, resolved = [], []
    for action, key, values in todo:
        learner, parent, target, completed = key
        fields = dict(zip(CompletionRecord.VALUES, values, strict=True))
        fields["completed"] = completed
        records.append(
            CompletionRecord(
                export=export,
                action=action,
                learner_id=learner,
                parent_id=parent,
                target=target,
                **fields,
            )
        )
        if action == ADD and key in sent and sent[key].status == REJECTED:
            resolved.append(pks[key])
    CompletionRecord.objects.bulk_create(records, batch_size=2000)
    if resolved:
        CompletionRecord.objects.filter(pk__in=resolved, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=by
        )
    export.added = sum(1 for r in records if r.action == ADD)
    export.deleted = len(records) - export.added
    export.save(update_fields=["added", "deleted"])
    return export
