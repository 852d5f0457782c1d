"""Moving a series to the next year for its renewal (SPEC §2). No database.

A series' recurrence is an RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=TH", times from the default start),
possibly with UNTIL, and sometimes written as full lines (DTSTART, RRULE, EXDATE, RDATE). The
exception dates are a list of ISO dates.

Choices:
- Dates inside the rule (UNTIL, DTSTART, EXDATE, RDATE) move by whole years: 2026-06-30 becomes
  2027-06-30 (Feb 29 becomes Feb 28).
- Exception dates move by whole weeks, so they keep their weekday: a weekly Thursday series that
  skips Thanksgiving (Thu Nov 26, 2026) skips Thu Nov 25, 2027, which is Thanksgiving again. The
  shift is 52 weeks, or 53 when 52 would stay in the old year (early January).
"""

import re
from datetime import date, timedelta

_RULE_DATE = re.compile(
    r"(?P<lead>(?:UNTIL=|DTSTART[^:\n]*:|EXDATE[^:\n]*:|RDATE[^:\n]*:|,))"
    r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"
)


def shift_year(d: date, years: int = 1) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # Feb 29 in a year without one
        return d.replace(year=d.year + years, day=28)


def shift_recurrence(rule: str, years: int = 1) -> str:
    """The same rule with every date in it moved by `years` calendar years."""

    def move(m: re.Match[str]) -> str:
        try:
            d = date(int(m["year"]), int(m["month"]), int(m["day"]))
        except ValueError:
            return m.group()  # not a date (a number in a list): leave it alone
        return f"{m['lead']}{shift_year(d, years):%Y%m%d}"

    return _RULE_DATE.sub(move, rule)


def shift_exception_dates(dates: list[str], to_year: int) -> list[str]:
    """ISO dates moved into `to_year` keeping their weekday; dates that cannot are dropped."""
    moved: list[str] = []
    for raw in dates:
        try:
            d = date.fromisoformat(str(raw))
        except ValueError:
            continue
        weeks = 52 * (to_year - d.year)
        shifted = d + timedelta(weeks=weeks)
        if shifted.year < to_year:
            shifted += timedelta(weeks=1)
        if shifted.year == to_year:
            moved.append(shifted.isoformat())
    return sorted(set(moved))
