"""Business days for the "3 by 5" deadline (SPEC §7): weekends, public holidays, closure days.

Holiday sets are computed once per (country, subdivision, year) per process and shared by all
calendars, so building a calendar per request is cheap and checking 20,000 sessions stays fast.
"""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from threading import Lock
from typing import ClassVar

_ONE_DAY = timedelta(days=1)


def _as_date(d: date) -> date:
    # A datetime never equals a date, so it would slip past the holiday and closure sets.
    return d.date() if isinstance(d, datetime) else d


def _weekdays_through(ordinal: int) -> int:
    """Weekdays among ordinals 1..ordinal (ordinal 1, Jan 1 of year 1, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


class BusinessCalendar:
    _holidays: ClassVar[dict[tuple[str, str | None, int], frozenset[date]]] = {}
    _lock: ClassVar[Lock] = Lock()

    def __init__(
        self,
        *,
        country: str = "US",
        subdivision: str | None = "MI",
        closure_days: Iterable[date] = (),
    ) -> None:
        self.country = country
        self.subdivision = subdivision or None
        self.closure_days = frozenset(_as_date(d) for d in closure_days)
        self._off_weekdays: dict[int, list[date]] = {}

    def __repr__(self) -> str:
        return (
            f"BusinessCalendar(country={self.country!r}, subdivision={self.subdivision!r}, "
            f"closure_days={len(self.closure_days)})"
        )

    def holidays_in(self, year: int) -> frozenset[date]:
        key = (self.country, self.subdivision, year)
        found = self._holidays.get(key)
        if found is None:
            with self._lock:
                found = self._holidays.get(key)
                if found is None:
                    # ~9 MB (and every country's module on first use): loaded by the first
                    # deadline computed, not by every process that imports the activities app.
                    import holidays

                    found = frozenset(
                        holidays.country_holidays(
                            self.country, subdiv=self.subdivision, years=year
                        ).keys()
                    )
                    self._holidays[key] = found
        return found

    def is_business_day(self, d: date) -> bool:
        d = _as_date(d)
        return d.weekday() < 5 and d not in self.closure_days and d not in self.holidays_in(d.year)

    def subtract_business_days(self, d: date, n: int) -> date:
        """The n-th business day before d; d itself need not be one. n=0 returns d."""
        if n < 0:
            return self.add_business_days(d, -n)
        d = _as_date(d)
        while n > 0:
            d -= _ONE_DAY
            if self.is_business_day(d):
                n -= 1
        return d

    def add_business_days(self, d: date, n: int) -> date:
        """The n-th business day after d; d itself need not be one. n=0 returns d."""
        if n < 0:
            return self.subtract_business_days(d, -n)
        d = _as_date(d)
        while n > 0:
            d += _ONE_DAY
            if self.is_business_day(d):
                n -= 1
        return d

    def _weekday_days_off(self, year: int) -> list[date]:
        found = self._off_weekdays.get(year)
        if found is None:
            days = self.holidays_in(year) | {c for c in self.closure_days if c.year == year}
            found = sorted(d for d in days if d.weekday() < 5)
            self._off_weekdays[year] = found
        return found

    def _off_through(self, d: date) -> int:
        """Weekday holidays and closures in d's year up to and including d."""
        return bisect_right(self._weekday_days_off(d.year), d)

    def business_days_between(self, start: date, end: date) -> int:
        """Business days d with start < d <= end; negated when end is before start.

        Arithmetic on weekdays minus the days off, so a distant session costs no day-by-day walk.
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.business_days_between(end, start)
        count = _weekdays_through(end.toordinal()) - _weekdays_through(start.toordinal())
        if start.year == end.year:
            return count - (self._off_through(end) - self._off_through(start))
        off = len(self._weekday_days_off(start.year)) - self._off_through(start)
        for year in range(start.year + 1, end.year):
            off += len(self._weekday_days_off(year))
        off += self._off_through(end)
        return count - off

    def three_by_five_due(self, session_date: date) -> date:
        """Name, faculty and disclosures are due 5 business days before the session."""
        return self.subtract_business_days(session_date, 5)
