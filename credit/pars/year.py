"""Reads of the office's year page: every series of a year with what it lacks (one table,
filtered, 50 a page), cached per series. The program summary and checklist: year_summary.py."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.core.cache import caches

from activities.dashboard.cache import (
    CACHE,
    CACHE_SECONDS,
    ROWS,
    ROWS_SECONDS,
    dashboard_generation,
)
from activities.models import Department

from .checks import SeriesLite, with_sessions, year_checks, year_checks_until
from .rules import (
    TOPICS,
    Problem,
    SeriesFacts,
    problems,
)
from .selectors_facts import Counts, Sessions, counts_of, sessions_of
from .year_keys import cache_key, series_marks, year_mark

PER_PAGE = 50


@dataclass
class YearRow:
    parent: SeriesLite
    facts: SeriesFacts
    problems: list[Problem]
    sessions: Sessions = field(default_factory=Sessions)
    counts: Counts = field(default_factory=Counts)

    @property
    def ready(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class YearFilters:
    q: str = ""
    department: int | None = None
    ready: str = ""  # "", "ready", "not_ready"
    topic: str = ""

    @classmethod
    def from_query(cls, query) -> "YearFilters":
        dept = query.get("department", "")
        ready = query.get("ready", "")
        topic = query.get("topic", "")
        return cls(
            q=query.get("q", "").strip()[:100],
            department=int(dept) if dept.isdigit() and len(dept) < 10 else None,
            ready=ready if ready in ("ready", "not_ready") else "",
            topic=topic if topic in TOPICS else "",
        )

    def keep(self, row: YearRow) -> bool:
        p = row.parent
        if self.q and self.q.lower() not in p.name.lower() and self.q != str(p.pk):
            return False
        if self.department and p.department_id != self.department:
            return False
        if self.ready == "ready" and not row.ready:
            return False
        if self.ready == "not_ready" and row.ready:
            return False
        return not (self.topic and not any(pr.topic == self.topic for pr in row.problems))


def year_rows(year: int, now: datetime) -> list[YearRow]:
    """Every approved series of the year, checked (pars.checks: a fixed number of queries);
    `with_figures` adds the dates, credit and counts of the rows that are shown."""
    return [YearRow(lite, facts, problems(facts)) for lite, facts in year_checks(year, now)]


def with_figures(rows: list[YearRow], now: datetime) -> None:
    parents = [r.parent for r in rows]
    sessions, counts = sessions_of(parents, now), counts_of([p.pk for p in parents])
    for r in rows:
        r.sessions = sessions.get(r.parent.pk, Sessions())
        r.counts = counts.get(r.parent.pk, Counts())
        r.problems = problems(with_sessions(r.facts, r.sessions))


@dataclass
class YearPage:
    rows: list[YearRow]
    total: int
    ready: int
    matching: int
    page: int
    pages: int
    departments: list
    html: str = ""


def year_page(year: int, filters: YearFilters, page: int, now: datetime, render=None) -> YearPage:
    """The page, cached per series (docs/pars.md, "Right after a change"): each series' check is
    kept under what it is read from, so after a change only the series that changed are checked
    again, and the table's HTML is kept under the keys of every series of the year."""
    if dashboard_generation() is None:
        return _year_page(year, filters, page, now, render, _Fresh(year))
    return _year_page(year, filters, page, now, render, _Cached(year, now))


@dataclass
class SeriesCheck:
    """One series' check, cached under its key (`_Cached`): the facts hold until `until` (the end
    of its first session still to come); the dates and credit are added once it is shown."""

    parent: SeriesLite
    facts: SeriesFacts
    until: datetime | None
    sessions: Sessions | None = None
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        # What it lacks, once: the year's 400 checks are read on every rebuild of the page.
        if not self.problems:
            self.problems = problems(self.facts)


class _Fresh:
    """Everything read from the database (SQLite, DEBUG, a transaction that has written)."""

    def __init__(self, year: int):
        self.year = year

    def departments(self) -> list:
        return list(
            Department.objects.filter(parents__year=self.year)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        )

    def checks(self, now: datetime) -> list[SeriesCheck]:
        found = year_checks_until(self.year, now)
        return [SeriesCheck(lite, facts, until) for lite, facts, until in found]

    def page(self, parts: tuple, now: datetime):
        return None

    def keep_page(self, parts: tuple, result: "YearPage", until: datetime | None) -> None:
        return None

    def counts(self, ids: list[int]) -> dict[int, Counts]:
        return counts_of(ids)

    def keep_sessions(self, checks: list[SeriesCheck]) -> None:
        return None


# Each process's copies of the checks it read, by key (a key names everything a check depends
# on, so a copy is never out of date; `until` is checked on use). Bounded: a few years' series.
_LOCAL: dict[str, SeriesCheck] = {}
CHECK_SECONDS = 10 * 60  # the longest a check is used without reading it again
_LOCAL_MAX = 5000


class _Cached(_Fresh):
    """Reads one digest of what every series of the year is read from (`year_keys.year_mark`): the page
    when it is in the cache. If not, the series and their keys (`_keys`), then each series' check
    from the cache, checking again only those whose key moved or whose `until` passed."""

    def __init__(self, year: int, now: datetime):
        super().__init__(year)
        self.store = caches[ROWS]
        mark, newest_claim = year_mark(year)
        # The counts change with a new claim, and with one awarded, revoked or voided, which
        # nothing cheap marks: they are read again each minute the page is asked for.
        self.claims = (newest_claim, now.replace(second=0, microsecond=0).isoformat())
        self.mark = mark

    @cached_property
    def _read(self) -> tuple[dict[int, tuple], list[int], list]:
        # Read after the mark: a page built from it is never older than its key.
        return series_marks(self.year)

    @property
    def marks(self) -> dict[int, tuple]:
        return self._read[0]

    @property
    def order(self) -> list[int]:
        return self._read[1]

    def departments(self) -> list:
        return self._read[2]

    def page(self, parts: tuple, now: datetime):
        found = caches[CACHE].get(self._page_key(parts))
        if found is None:
            return None
        result, until = found
        return result if until is None or now < until else None

    def keep_page(self, parts: tuple, result: "YearPage", until: datetime | None) -> None:
        caches[CACHE].set(self._page_key(parts), (result, until), CACHE_SECONDS)

    def _page_key(self, parts: tuple) -> str:
        return cache_key("pars-year", (parts, self.claims, self.mark))

    @cached_property
    def keys(self) -> dict[int, str]:
        """Each series' key, when the page is not in the cache."""
        return {
            pid: cache_key("pars-series", (self.year, pid, *m)) for pid, m in self.marks.items()
        }

    def checks(self, now: datetime) -> list[SeriesCheck]:
        # First this process's own copies (no unpickling 400 checks: about 30 ms), then the
        # shared cache.
        local = {pid: _LOCAL.get(self.keys[pid]) for pid in self.order}
        need = [self.keys[pid] for pid, check in local.items() if check is None]
        found = self.store.get_many(need) if need else {}
        cached = {}
        for pid in self.order:
            check = local[pid] or found.get(self.keys[pid])
            if check is not None and (check.until is None or now < check.until):
                cached[pid] = check
        missing = [pid for pid in self.order if pid not in cached]
        if missing:
            # Checked again within CHECK_SECONDS whatever the keys say: a transaction touching
            # more sessions than the triggers note one by one moves only `everything`, which the
            # keys leave out (activities/dashboard/triggers.py MAX_NOTED).
            latest = now + timedelta(seconds=CHECK_SECONDS)
            fresh = {
                lite.pk: SeriesCheck(lite, facts, min(until, latest) if until else latest)
                for lite, facts, until in year_checks_until(self.year, now, only=missing)
            }
            self.store.set_many(
                {self.keys[pid]: check for pid, check in fresh.items()}, ROWS_SECONDS
            )
            cached.update(fresh)
        if len(_LOCAL) + len(cached) > _LOCAL_MAX:
            _LOCAL.clear()
        _LOCAL.update((self.keys[pid], check) for pid, check in cached.items())
        # A series approved after `_keys` read the year waits for the next load.
        return [cached[pid] for pid in self.order if pid in cached]

    def keep_sessions(self, checks: list[SeriesCheck]) -> None:
        self.store.set_many({self.keys[c.parent.pk]: c for c in checks}, ROWS_SECONDS)

    def counts(self, ids: list[int]) -> dict[int, Counts]:
        """The claim counts of the shown series, under their keys and the newest claim."""
        keys = {pid: cache_key("pars-counts", (self.keys[pid], self.claims)) for pid in ids}
        found = self.store.get_many(list(keys.values()))
        out = {pid: found[keys[pid]] for pid in ids if keys[pid] in found}
        missing = [pid for pid in ids if pid not in out]
        if missing:
            fresh = counts_of(missing)
            fresh = {pid: fresh.get(pid, Counts()) for pid in missing}
            self.store.set_many({keys[pid]: c for pid, c in fresh.items()}, ROWS_SECONDS)
            out.update(fresh)
        return out


def _year_page(year, filters: YearFilters, page: int, now: datetime, render, source) -> YearPage:
    """`render(page)` turns the page's rows into their HTML, kept with the page."""
    parts = (year, filters, page, render is not None)
    found = source.page(parts, now)
    if found is not None:
        return found
    checks = source.checks(now)
    rows = [YearRow(c.parent, c.facts, list(c.problems)) for c in checks]
    kept = [r for r in rows if filters.keep(r)]
    pages = max(1, -(-len(kept) // PER_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * PER_PAGE
    shown = kept[start : start + PER_PAGE]
    by_pk = {c.parent.pk: c for c in checks}
    _figures(shown, [by_pk[r.parent.pk] for r in shown], now, source)
    departments = source.departments()
    result = YearPage(
        rows=shown,
        total=len(rows),
        ready=sum(1 for r in rows if r.ready),
        matching=len(kept),
        page=page,
        pages=pages,
        departments=departments,
    )
    if render is not None:
        # Cached as HTML: the rows are not kept.
        result.html, result.rows = render(result), []
    ends = [c.until for c in checks if c.until is not None]
    source.keep_page(parts, result, min(ends) if ends else None)
    return result


def _figures(rows: list[YearRow], checks: list[SeriesCheck], now: datetime, source) -> None:
    """The dates, credit and counts of the shown rows; the dates and credit kept with each
    series' check (they change with its sessions), the counts under the newest claim."""
    new = [c for c in checks if c.sessions is None]
    if new:
        found = sessions_of([c.parent for c in new], now)
        for c in new:
            c.sessions = found.get(c.parent.pk, Sessions())
        source.keep_sessions(new)
    counts = source.counts([r.parent.pk for r in rows])
    for r, c in zip(rows, checks, strict=True):
        r.sessions = c.sessions or Sessions()
        r.counts = counts.get(r.parent.pk, Counts())
        r.problems = problems(with_sessions(r.facts, r.sessions))
