"""Attendance from other sources (SPEC §15): plain rules, no database.

Minutes from join/leave intervals (rejoins summed, overlaps counted once, only the session's own
time counts), the series' minimum, the durations and times meeting platforms write, and until
when a session's attendance may still change.
"""

import math
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]

DEFAULT_MINIMUM_PERCENT = 75


# --- minutes -------------------------------------------------------------------------------------


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined; empty or reversed ones dropped."""
    merged: list[list[datetime]] = []
    for start, end in sorted((s, e) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def clip(intervals: Iterable[Interval], *, start: datetime, end: datetime) -> list[Interval]:
    """The parts of the intervals inside [start, end]."""
    return [(max(s, start), min(e, end)) for s, e in intervals if min(e, end) > max(s, start)]


def attended_seconds(intervals: Iterable[Interval], *, start: datetime, end: datetime) -> int:
    """Seconds a person was in the session: every join/leave pair (a rejoin after a dropped
    connection, a second device) clipped to the session, overlaps counted once."""
    total = timedelta()
    for s, e in merge_intervals(clip(intervals, start=start, end=end)):
        total += e - s
    return int(total.total_seconds())


def attended_minutes(
    intervals: Iterable[Interval],
    *,
    start: datetime,
    end: datetime,
    extra_seconds: int = 0,
) -> int:
    """Whole minutes (seconds dropped, as `session_credit` does). `extra_seconds`: time a report
    gives only as a duration (no join and leave times), added as it is; never more than the
    session's length."""
    seconds = attended_seconds(intervals, start=start, end=end) + max(extra_seconds, 0)
    session = int((end - start).total_seconds())
    return min(seconds, session) // 60


def minimum_minutes(*, session_minutes: int, percent: int) -> int:
    """The minutes that earn the credit: a share of the session's length, rounded up (75% of a
    50-minute session is 37.5, so 38 minutes)."""
    return math.ceil(max(session_minutes, 0) * percent / 100)


def meets_minimum(minutes: int | None, minimum: int) -> bool:
    """A roster (sign-in sheet) has no minutes: signing in is attending."""
    return minutes is None or minutes >= minimum


# --- durations as the platforms write them ------------------------------------------------------

_HMS_TEXT = re.compile(
    r"^(?:(?P<h>\d+)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+)\s*m(?:in(?:utes?|s)?)?)?\s*"
    r"(?:(?P<s>\d+)\s*s(?:ec(?:onds?|s)?)?)?$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{2})$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def parse_duration(text: str, *, bare_unit: str = "minutes") -> int | None:
    """Seconds, or None when the text is not a duration.

    Teams writes "1h 2m 3s", "47m 3s" or "5s"; Zoom writes whole minutes in a "(Minutes)" column;
    some exports use "1:02:03". A bare number is in `bare_unit` ("minutes" or "seconds")."""
    value = (text or "").strip()
    if not value:
        return None
    if _NUMBER.match(value):
        number = float(value.replace(",", "."))
        return round(number * 60) if bare_unit == "minutes" else round(number)
    if (clock := _CLOCK.match(value)) is not None:
        h, m, s = (int(clock.group(k) or 0) for k in ("h", "m", "s"))
        return h * 3600 + m * 60 + s
    found = _HMS_TEXT.match(value)
    if found is None or not any(found.group(k) for k in ("h", "m", "s")):
        return None
    h, m, s = (int(found.group(k) or 0) for k in ("h", "m", "s"))
    return h * 3600 + m * 60 + s


# --- times as the platforms write them ----------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
_NUMERIC_DATE = re.compile(
    rf"^(?P<a>\d{{1,4}})[/.\-](?P<b>\d{{1,2}})[/.\-](?P<c>\d{{1,4}})\.?[,\sT]*(?:{_TIME})?$",
    re.IGNORECASE,
)
_NAMED_MONTH_FIRST = re.compile(
    rf"^(?P<month>[a-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})[,\s]*(?:{_TIME})?$",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(
    rf"^(?P<day>\d{{1,2}})\.?\s+(?P<month>[a-z]{{3,9}})\.?,?\s+(?P<year>\d{{4}})[,\s]*(?:{_TIME})?$",
    re.IGNORECASE,
)
_TIME_ONLY = re.compile(rf"^{_TIME}$", re.IGNORECASE)
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def _clock(match) -> time | None:
    if match.group("hour") is None:
        return time(0, 0)
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    second = int(match.group("second") or 0)
    ampm = (match.group("ampm") or "").replace(".", "").replace(" ", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _year(text: str) -> int:
    number = int(text)
    return number + 2000 if len(text) <= 2 else number


def _dates(match) -> list[date]:
    """Every reading of a numeric date: year-first, month-first and day-first where they exist."""
    a, b, c = match.group("a"), match.group("b"), match.group("c")
    readings = []
    if len(a) == 4:
        readings.append((int(a), int(b), int(c)))
    elif len(c) in (2, 4):
        readings.append((_year(c), int(a), int(b)))  # 1/5/2026: January 5 (US)
        readings.append((_year(c), int(b), int(a)))  # 5/1/2026: January 5 (most elsewhere)
    found = []
    for year, month, day in readings:
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    return found


def _named(match) -> list[date]:
    month = _MONTHS.get(match.group("month").lower())
    if month is None:
        return []
    try:
        return [date(int(match.group("year")), month, int(match.group("day")))]
    except ValueError:
        return []


def parse_report_time(text: str, *, session_day: date, zone: ZoneInfo) -> datetime | None:
    """A join or leave time as Zoom and Teams write it, in the session's time zone, or None.

    Reports carry no time zone (Zoom's is the downloading account's, Teams' the downloader's); we
    read them in the session's. A date that reads two ways (3/4/2026: March 4 or April 3) is read
    the one way that falls within a day of the session; when neither or both do, the time is
    unreadable and listed, never guessed. A time without a date is on the session's day.
    """
    value = " ".join((text or "").split())
    if not value:
        return None
    if _OFFSET.search(value):  # an ISO time with its offset says its own zone
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(zone)
        except ValueError:
            pass
    match = None
    days: list[date] = []
    for pattern, reader in (
        (_NUMERIC_DATE, _dates),
        (_NAMED_MONTH_FIRST, _named),
        (_DAY_FIRST, _named),
    ):
        match = pattern.match(value)
        if match is not None:
            days = reader(match)
            break
    else:
        match = _TIME_ONLY.match(value)
        if match is None:
            return None
        days = [session_day]
    clock = _clock(match)
    if clock is None:
        return None
    near = {d for d in days if abs((d - session_day).days) <= 1}
    if len(near) != 1:
        return None
    return datetime.combine(near.pop(), clock, tzinfo=zone)


def readable_dates(text: str) -> list[date]:
    """The dates a time's text could mean (for telling a coordinator which day a file is about)."""
    value = " ".join((text or "").split())
    for pattern, reader in (
        (_NUMERIC_DATE, _dates),
        (_NAMED_MONTH_FIRST, _named),
        (_DAY_FIRST, _named),
    ):
        match = pattern.match(value)
        if match is not None:
            return reader(match)
    return []


# --- until when attendance may change ------------------------------------------------------------


def attendance_changes_until(*, year: int, month_day: tuple[int, int], zone: ZoneInfo) -> datetime:
    """The end of the day a series' year is reported (SPEC §13: the office's deadline is the end
    of March of the following year). Imports, confirmations and undos of a session's attendance
    are accepted until then; after it the year's figures stand."""
    month, day = month_day
    return datetime.combine(date(year + 1, month, day), time.max, tzinfo=zone)


def attendance_may_change(
    *, year: int, now: datetime, month_day: tuple[int, int], zone: ZoneInfo
) -> bool:
    return now <= attendance_changes_until(year=year, month_day=month_day, zone=zone)


# --- the kiosk -------------------------------------------------------------------------------------

KIOSK_HOURS_AFTER_END = 2
KIOSK_LATE_DELIVERY = timedelta(hours=12)


def kiosk_expires_at(*, session_end: datetime, window_closes: datetime) -> datetime:
    """A kiosk link works until two hours after the session ends (people arrive late and leave
    through the same door), and never after claiming closes."""
    return min(session_end + timedelta(hours=KIOSK_HOURS_AFTER_END), window_closes)


def kiosk_accepts(
    *, checked_in_at: datetime, now: datetime, opened_at: datetime, open_until: datetime
) -> bool:
    """A check-in counts when it was made while the kiosk was open; one queued on the tablet
    during a network loss may arrive up to 12 hours after the kiosk closed."""
    return opened_at <= checked_in_at <= open_until and now <= open_until + KIOSK_LATE_DELIVERY


def clamp_check_in_time(
    *, reported: datetime | None, now: datetime, opened_at: datetime
) -> datetime:
    """The tablet's clock says when the learner checked in (a queued check-in arrives later);
    it is trusted only between the kiosk's opening and now."""
    if reported is None:
        return now
    return min(max(reported, opened_at), now)
