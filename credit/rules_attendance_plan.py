"""What an attendance file would do to a session, decided from plain values (no database).

The rows of a file are taken together per person: first by address; rows whose addresses lead
to the same account (a person who joined from jdoe@med.umich.edu and from jdoe@umich.edu) become
one entry, so their minutes are one union of intervals. Rows without an address are grouped by
name and never matched by it: the name only suggests whom a coordinator might pick.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from .readers_tables import ReportRow
from .rules_attendance import Interval, attended_minutes, clip, meets_minimum

CLAIMED = "claimed"
ALREADY = "already_claimed"
BELOW = "below_minimum"
UNMATCHED = "unmatched"
AMBIGUOUS = "ambiguous"
UNREADABLE = "unreadable"
REFUSED = "refused"
MATCHED_OUTCOMES = (CLAIMED, ALREADY, BELOW, REFUSED)

_SUFFIX = re.compile(r"\s*\((?:[^()]*)\)\s*$")


@dataclass
class PlannedEntry:
    name: str
    emails: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    intervals: list[Interval] = field(default_factory=list)
    extra_seconds: int = 0
    minutes: int | None = None
    person_id: int | None = None
    candidates: list[int] = field(default_factory=list)
    outcome: str = UNMATCHED
    message: str = ""
    problems: list[str] = field(default_factory=list)
    attended_at: datetime | None = None


@dataclass(frozen=True)
class SessionFacts:
    start: datetime
    end: datetime
    window_opens: datetime
    window_closes: datetime
    minimum_minutes: int
    now: datetime


@dataclass(frozen=True)
class Counts:
    rows: int
    people: int
    matched: int
    unmatched: int
    below_minimum: int
    already_claimed: int
    to_claim: int
    refused: int
    unreadable_rows: int


def display_name_parts(name: str) -> tuple[str, str]:
    """("doe", "jane") from "Jane Doe", "Doe, Jane" or "Jane Doe (Guest)": for suggestions."""
    text = " ".join(_SUFFIX.sub("", name or "").split())
    if "," in text:
        last, _, first = text.partition(",")
        first = first.split()[0] if first.split() else ""
        return last.strip().lower(), first.lower()
    parts = text.split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0].lower(), ""
    return parts[-1].lower(), parts[0].lower()


def name_key(name: str) -> str:
    last, first = display_name_parts(name)
    return f"{last}|{first}"


def _counted(row: ReportRow) -> bool:
    if row.kind == "roster":
        return True
    if row.kind in ("interval", "span"):
        return row.joined is not None and row.left is not None
    return row.seconds is not None


def _group(rows, matches: dict[str, tuple[int, ...]]) -> list[tuple[tuple, list[ReportRow]]]:
    groups: dict[tuple, list[ReportRow]] = {}
    for row in rows:
        if row.email:
            ids = matches.get(row.email, ())
            key = ("person", ids[0]) if len(ids) == 1 else ("email", row.email)
        else:
            key = ("name", name_key(row.name) if row.name.strip() else f"line {row.line}")
        groups.setdefault(key, []).append(row)
    return list(groups.items())


def plan_entries(
    rows: tuple[ReportRow, ...] | list[ReportRow],
    *,
    session: SessionFacts,
    matches: dict[str, tuple[int, ...]],
    inactive: set[int],
    claimed: set[int],
    suggestions: dict[str, tuple[int, ...]],
) -> list[PlannedEntry]:
    """One entry per person of the file, with what importing it would do.

    `matches`: address -> ids of the accounts it leads to; `inactive`: deactivated accounts;
    `claimed`: learners with a counted claim on the session; `suggestions`: name_key -> ids of
    people of that name (for rows without an address)."""
    entries = []
    for key, group in _group(rows, matches):
        entry = PlannedEntry(
            name=next((r.name for r in group if r.name), ""),
            emails=sorted({r.email for r in group if r.email}),
            lines=[r.line for r in group],
            problems=[f"line {r.line}: {r.problem}" for r in group if r.problem],
        )
        counted = [r for r in group if _counted(r)]
        entry.intervals = [
            (r.joined, r.left)
            for r in counted
            if r.kind == "interval" and r.joined is not None and r.left is not None
        ]
        extra = 0
        for r in counted:
            if r.kind == "span" and r.joined is not None and r.left is not None:
                span = clip([(r.joined, r.left)], start=session.start, end=session.end)
                covered = int(sum((e - s).total_seconds() for s, e in span))
                extra += covered if r.seconds is None else min(r.seconds, covered)
            elif r.kind == "duration" and r.seconds is not None:
                extra += r.seconds
        entry.extra_seconds = extra
        roster = all(r.kind == "roster" for r in group)
        if not roster:
            entry.minutes = attended_minutes(
                entry.intervals, start=session.start, end=session.end, extra_seconds=extra
            )
        entry.attended_at = attended_at(entry.intervals, session=session, roster=roster)
        if key[0] == "person":
            entry.person_id = key[1]
        elif key[0] == "email":
            entry.candidates = sorted({i for e in entry.emails for i in matches.get(e, ())})
        else:
            entry.candidates = list(suggestions.get(key[1], ()))
        decide(entry, session=session, inactive=inactive, claimed=claimed, readable=bool(counted))
        entries.append(entry)
    return entries


def attended_at(intervals, *, session: SessionFacts, roster: bool) -> datetime:
    """The moment a claim from a file is recorded as made: when the person left (within the
    session), or the session's end for a roster or durations; never later than now."""
    clipped = clip(intervals, start=session.start, end=session.end)
    moment = max(e for _s, e in clipped) if clipped and not roster else session.end
    return min(moment, session.now)


def decide(
    entry: PlannedEntry, *, session: SessionFacts, inactive: set[int], claimed: set[int], readable
) -> None:
    """The outcome of one entry. Also used again when a coordinator confirms a person."""
    if not readable:
        entry.outcome, entry.message = UNREADABLE, "No time of this person could be read."
    elif entry.person_id is None:
        several = entry.emails and len(entry.candidates) > 1
        entry.outcome = AMBIGUOUS if several else UNMATCHED
        entry.message = (
            "This address leads to several accounts: choose one."
            if several
            else "Nobody on file has this address: choose a person or add one."
            if entry.emails
            else "No email address: choose a person or add one."
        )
    elif entry.person_id in claimed:
        entry.outcome, entry.message = ALREADY, ""
    elif entry.person_id in inactive:
        entry.outcome, entry.message = REFUSED, "This account is deactivated."
    elif not meets_minimum(entry.minutes, session.minimum_minutes):
        entry.outcome = BELOW
        entry.message = f"{entry.minutes} of the {session.minimum_minutes} minutes needed."
    elif entry.attended_at is None or not (
        session.window_opens <= entry.attended_at <= session.window_closes
    ):
        entry.outcome, entry.message = REFUSED, "Outside the session's claim window."
    else:
        entry.outcome, entry.message = CLAIMED, ""


def count(entries: list[PlannedEntry], rows) -> Counts:
    by: dict[str, int] = {}
    for e in entries:
        by[e.outcome] = by.get(e.outcome, 0) + 1
    return Counts(
        rows=len(rows),
        people=len(entries),
        matched=sum(by.get(o, 0) for o in MATCHED_OUTCOMES),
        unmatched=by.get(UNMATCHED, 0) + by.get(AMBIGUOUS, 0),
        below_minimum=by.get(BELOW, 0),
        already_claimed=by.get(ALREADY, 0),
        to_claim=by.get(CLAIMED, 0),
        refused=by.get(REFUSED, 0),
        unreadable_rows=sum(1 for r in rows if not _counted(r)),
    )
