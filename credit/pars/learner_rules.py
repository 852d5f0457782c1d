"""Learner completion records for the boards (SPEC §13): what is reported, what would be
rejected, and what a new export must add or delete. Plain values; no database.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .codes import BOARD_SHORT, STATE_TARGET, US_STATES
from .rules import birth_day_ok, in_quarter_steps, npi_ok

ADD, DELETE = "add", "delete"
ACCEPTED, REJECTED = "accepted", "rejected"


# --- how much is reported, and when ----------------------------------------------------------


def per_session(days: Iterable[tuple[date, Decimal]], cap: Decimal | None) -> list:
    """One record per day the learner attended (credit of that day's sessions summed: a board
    takes one completion of an activity per day), never more in total than the registered
    amount `cap` (None: no cap, e.g. CME credit for a state board)."""
    out, left = [], cap
    for day, credit in sorted(days):
        amount = credit if left is None else min(credit, left)
        if amount > 0:
            out.append((day, amount))
        if left is not None:
            left -= amount
    return out


def once_for_series(days: Iterable[tuple[date, Decimal]], points: Decimal | None) -> list:
    """ABP takes an RSS learner once, with the registered points, when the learner has earned
    them (ABP cannot take partial, variable or repeated credit); until then nothing."""
    if not points or points <= 0:
        return []
    total = Decimal("0")
    for day, credit in sorted(days):
        total += credit
        if total >= points:
            return [(day, points)]
    return []


# --- pre-validation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One completion the app would report, with what it knows about the learner."""

    target: str  # a Board code or STATE_TARGET
    completed: date
    amount: Decimal
    accme_activity_id: str
    first_name: str
    last_name: str
    birth_month: int | None
    birth_day: int | None
    board_id: str = ""
    npi: str = ""
    license_state: str = ""
    license_number: str = ""
    consent: bool = False


def target_label(target: str, license_state: str = "") -> str:
    if target == STATE_TARGET:
        name = US_STATES.get(license_state, "")
        return f"the {name} medical board" if name else "the state medical board"
    return BOARD_SHORT.get(target, target)


def candidate_problems(c: Candidate) -> list[str]:
    """Why PARS or the board would reject this record; [] means it can be exported."""
    out = []
    if not c.accme_activity_id:
        out.append("The series has no ACCME Activity ID yet (the office enters it from PARS).")
    if not (c.first_name.strip() and c.last_name.strip()):
        out.append("First or last name missing.")
    if c.birth_month is None or c.birth_day is None:
        out.append("Birth month and day missing.")
    elif not birth_day_ok(c.birth_month, c.birth_day):
        out.append("Birth month and day are not a real date.")
    who = target_label(c.target, c.license_state)
    if c.target == STATE_TARGET:
        if not c.license_number.strip() and not c.npi.strip():
            out.append("Missing ID: no license number and no NPI.")
        if c.license_number.strip() and c.license_state not in US_STATES:
            out.append("License number without its state.")
        if c.npi.strip() and not npi_ok(c.npi):
            out.append(f"Bad NPI {c.npi!r}: not 10 digits with a valid check digit.")
    elif not c.board_id.strip():
        out.append(f"Missing ID: no {who} ID.")
    if not c.consent:
        out.append(f"No permission from the learner to share with {who}.")
    if not in_quarter_steps(c.amount):
        out.append(f"Amount {c.amount} is not in steps of 0.25.")
    return out


# --- add / delete bookkeeping ---------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """The last row exported for a record's key: its action, its values, the board's answer."""

    action: str
    values: tuple
    status: str = ""


def changes(wanted: dict[Hashable, tuple], sent: dict[Hashable, Sent]) -> list:
    """What the next export sends: (action, key, values) in a stable order. Records are added
    or deleted, never edited: a changed record is deleted and added again; a record the board
    rejected is added again only when something in it changed (unchanged, it would be rejected
    again, so it stays on the office's worklist); a record no longer wanted is deleted unless the
    board never took it."""
    out = []
    for key in sorted(wanted):
        values, last = wanted[key], sent.get(key)
        if last is None or last.action == DELETE:
            out.append((ADD, key, values))
        elif last.status == REJECTED:
            if values != last.values:
                out.append((ADD, key, values))
        elif values != last.values:
            out.append((DELETE, key, last.values))
            out.append((ADD, key, values))
    for key in sorted(set(sent) - set(wanted)):
        last = sent[key]
        if last.action == ADD and last.status != REJECTED:
            out.append((DELETE, key, last.values))
    return out
