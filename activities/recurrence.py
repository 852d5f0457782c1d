"""A series' recurrence in the shapes coordinators use, and what changing it does to the upcoming
sessions. Plain functions over plain values (no database).

Shapes: every week on some weekdays, every other week, or the n-th (or last) weekday of each month.
The stored form is an RFC 5545 RRULE; a rule in another shape is shown as it is and replaced only
when the coordinator saves a new one.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

WEEKDAYS = [
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
]
WEEKDAY_NAMES = dict(WEEKDAYS)
FREQUENCIES = [
    ("weekly", "Every week"),
    ("biweekly", "Every other week"),
    ("monthly", "Once a month"),
]
ORDINALS = [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (-1, "last")]
ORDINAL_NAMES = dict(ORDINALS)
MATCH_WINDOW_DAYS = 3


@dataclass(frozen=True)
class Recurrence:
    frequency: str  # weekly | biweekly | monthly
    weekdays: tuple[str, ...]
    ordinal: int | None = None  # monthly only

    def rrule(self) -> str:
        days = [d for d, _ in WEEKDAYS if d in self.weekdays]
        if self.frequency == "monthly":
            return f"FREQ=MONTHLY;BYDAY={','.join(f'{self.ordinal}{d}' for d in days)}"
        interval = ";INTERVAL=2" if self.frequency == "biweekly" else ""
        return f"FREQ=WEEKLY{interval};BYDAY={','.join(days)}"

    def describe(self) -> str:
        names = _join([WEEKDAY_NAMES[d] for d, _ in WEEKDAYS if d in self.weekdays])
        if self.frequency == "monthly":
            return f"The {ORDINAL_NAMES.get(self.ordinal, self.ordinal)} {names} of each month"
        if self.frequency == "biweekly":
            return f"Every other {names}"
        return f"Every {names}"


def _join(words: Sequence[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def parse(rule: str) -> Recurrence | None:
    """The rule in one of the shapes above, or None when it is something else (or empty)."""
    parts: dict[str, str] = {}
    for piece in (rule or "").strip().upper().removeprefix("RRULE:").split(";"):
        key, _, value = piece.partition("=")
        if key:
            parts[key.strip()] = value.strip()
    freq, interval, byday = (
        parts.pop("FREQ", ""),
        parts.pop("INTERVAL", "1"),
        parts.pop("BYDAY", ""),
    )
    parts.pop("WKST", None)
    if parts or not byday:
        return None
    days = byday.split(",")
    if freq == "WEEKLY" and interval in ("1", "2") and all(d in WEEKDAY_NAMES for d in days):
        return Recurrence("weekly" if interval == "1" else "biweekly", tuple(days))
    if freq == "MONTHLY" and interval == "1":
        ordinals = {d[:-2] for d in days}
        names = tuple(d[-2:] for d in days)
        if len(ordinals) == 1 and all(n in WEEKDAY_NAMES for n in names):
            try:
                ordinal = int(ordinals.pop())
            except ValueError:
                return None
            if ordinal in ORDINAL_NAMES:
                return Recurrence("monthly", names, ordinal)
    return None


def describe(rule: str) -> str:
    found = parse(rule)
    if found is not None:
        return found.describe()
    return rule or "No recurrence: sessions are added one at a time."


def occurrences(
    rule: str,
    *,
    year: int,
    start_time: time,
    zone: ZoneInfo,
    exceptions: Iterable[date] = (),
    after: datetime | None = None,
    anchor: date | None = None,
) -> list[datetime]:
    """The rule's session starts in the year (local wall time), skipping exception dates.

    `anchor` is the first date of the series (every-other-week rules count from it).
    """
    if not rule:
        return []
    # Weeks count from the anchor's week (every-other-week rules keep their phase); the year's
    # first day bounds it, and a weekly rule is the same whichever week it starts from.
    first = date(year, 1, 1)
    if anchor and anchor.year == year:
        first = max(first, anchor - timedelta(days=anchor.weekday()))
    dtstart = datetime.combine(first, start_time, tzinfo=zone)
    end = datetime(year, 12, 31, 23, 59, 59, tzinfo=zone)
    skip = set(exceptions)
    found = []
    for start in rrulestr(rule, dtstart=dtstart).between(dtstart, end, inc=True):
        start = start.replace(tzinfo=zone)
        if start.date() in skip or (after is not None and start <= after):
            continue
        found.append(start)
    return found


@dataclass(frozen=True)
class Session:
    id: int
    start: datetime  # local
    name: str = ""


@dataclass(frozen=True)
class Plan:
    moves: list[tuple[Session, datetime]] = field(default_factory=list)
    creates: list[datetime] = field(default_factory=list)
    deactivations: list[Session] = field(default_factory=list)
    untouched_extra: list[Session] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.moves) + len(self.creates) + len(self.deactivations)


def plan(
    upcoming: Sequence[Session], starts: Sequence[datetime], exceptions: Iterable[date]
) -> Plan:
    """What applying a rule to the upcoming sessions does.

    Each new start takes the existing session on the same day, else the nearest one within three
    days (so Thursday's session moves to Wednesday when the weekday changes, keeping its faculty).
    Starts with no session create one. Sessions left over are deactivated when they fall on an
    exception date, and otherwise left as they are (sessions added by hand).
    """
    skip = set(exceptions)
    free = sorted(upcoming, key=lambda s: s.start)
    matched: dict[datetime, Session] = {}
    by_day: dict[date, list[Session]] = {}
    for s in free:
        by_day.setdefault(s.start.date(), []).append(s)
    for start in starts:
        same = by_day.get(start.date())
        if same:
            matched[start] = same.pop(0)
    taken = {s.id for s in matched.values()}
    for start in starts:
        if start in matched:
            continue
        candidates = [
            s
            for s in free
            if s.id not in taken and abs((s.start.date() - start.date()).days) <= MATCH_WINDOW_DAYS
        ]
        if candidates:
            best = min(candidates, key=lambda s: (abs(s.start - start), s.start))
            matched[start] = best
            taken.add(best.id)
    moves = [(s, start) for start, s in sorted(matched.items()) if s.start != start]
    creates = [start for start in starts if start not in matched]
    left = [s for s in free if s.id not in taken]
    return Plan(
        moves=moves,
        creates=creates,
        deactivations=[s for s in left if s.start.date() in skip],
        untouched_extra=[s for s in left if s.start.date() not in skip],
    )


def week_grid(year: int, month: int) -> list[list[date]]:
    """The weeks (Monday first) covering a month, with the days of the months around it."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    weeks, day = [], start
    while True:
        weeks.append([day + timedelta(days=i) for i in range(7)])
        day += timedelta(days=7)
        if day.month != month and (day.year, day.month) > (year, month):
            return weeks
        if day.year > year + 1:  # pragma: no cover - defensive
            return weeks
