"""Reads of the office's year pages: every series of a year with what it lacks (one table,
filtered, 50 a page), the program summary's totals, the year-end checklist."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Sum

from activities.dashboard.cache import dashboard_generation, remember
from activities.models import Department, ParentActivity
from credit.models import Claim

from .checks import SeriesLite, with_sessions, year_checks
from .codes import SupportKind
from .learner_rules import REJECTED
from .models import (
    ActivityExport,
    CommercialSupport,
    CompletionExport,
    CompletionRecord,
    ReportingYear,
    SeriesReport,
)
from .rules import (
    TOPICS,
    Problem,
    SeriesFacts,
    learner_data_due,
    moc_deadline,
    problems,
    year_end_deadline,
)
from .selectors_facts import Counts, Sessions, counts_of, sessions_of, year_parents

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
    """The page, from the dashboard's cache when nothing it shows has changed: the dashboard
    generation (sessions, series, departments), the newest claim and the series' PARS fields
    (every save moves `updated_at`) are in the key, and the minute (what is "still to come")."""
    generation = dashboard_generation()
    if generation is None:
        return _year_page(year, filters, page, now, render)
    minute = now.replace(second=0, microsecond=0).isoformat()
    parts = (year, filters, page, minute, *_markers(year))
    return remember(
        "pars-year", parts, generation, lambda: _year_page(year, filters, page, now, render)
    )


def _markers(year: int) -> tuple:
    """The newest claim, and the newest change and number of the year's PARS fields (one
    statement): with the dashboard generation, everything the year's table shows."""
    claim, report, parent = (m._meta.db_table for m in (Claim, SeriesReport, ParentActivity))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {claim}), MAX(r.updated_at), COUNT(r.id) "
            f"FROM {report} r JOIN {parent} p ON p.id = r.parent_id WHERE p.year = %s",
            [year],
        )
        return tuple(cursor.fetchone())


def _year_page(year: int, filters: YearFilters, page: int, now: datetime, render) -> YearPage:
    """`render(page)` turns the page's rows into their HTML, kept with the page."""
    rows = year_rows(year, now)
    kept = [r for r in rows if filters.keep(r)]
    pages = max(1, -(-len(kept) // PER_PAGE))
    page = min(max(1, page), pages)
    shown = kept[(page - 1) * PER_PAGE : page * PER_PAGE]
    with_figures(shown, now)
    result = YearPage(
        rows=shown,
        total=len(rows),
        ready=sum(1 for r in rows if r.ready),
        matching=len(kept),
        page=page,
        pages=pages,
        departments=list(
            Department.objects.filter(parents__year=year)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        ),
    )
    if render is not None:
        # Cached as HTML: the rows (model instances) are not kept.
        result.html, result.rows = render(result), []
    return result


# --- program summary and checklist --------------------------------------------------------------


@dataclass(frozen=True)
class YearTotals:
    activities: int
    hours: Decimal
    physicians: int
    others: int
    commercial_support: Decimal


def year_totals(year: int, now: datetime) -> YearTotals:
    parents = list(year_parents(year))
    sessions = sessions_of(parents, now)
    counts = counts_of([p.pk for p in parents])
    money = CommercialSupport.objects.filter(
        report__parent__in=parents, kind=SupportKind.MONETARY, report__commercial_support="yes"
    ).aggregate(total=Sum("amount"))["total"]
    return YearTotals(
        activities=len(parents),
        hours=sum((s.hours for s in sessions.values()), Decimal("0")),
        physicians=sum(c.physicians for c in counts.values()),
        others=sum(c.others for c in counts.values()),
        commercial_support=money or Decimal("0"),
    )


@dataclass(frozen=True)
class Step:
    what: str
    due: date | None
    done: bool
    detail: str
    link: str = ""


def checklist(year: int, now: datetime, *, learner_pending: int, oldest_pending: date | None):
    rows = year_rows(year, now)
    ready = sum(1 for r in rows if r.ready)
    exported = ActivityExport.objects.filter(year=year, draft=False).first()
    summary = ReportingYear.objects.filter(year=year).first()
    answers = CompletionRecord.objects.filter(
        parent__year=year, status=REJECTED, resolved_at__isnull=True
    ).count()
    last_learners = CompletionExport.objects.filter(year=year).first()
    first_claim = oldest_pending
    overdue = first_claim is not None and learner_data_due(first_claim) < now.date()
    return [
        Step(
            "Every series of the year ready to close",
            year_end_deadline(year),
            bool(rows) and ready == len(rows),
            f"{ready} of {len(rows)} series ready.",
            "year",
        ),
        Step(
            "Activities uploaded to PARS (activity file exported)",
            year_end_deadline(year),
            exported is not None,
            f"Last exported {exported.at:%b %d, %Y}." if exported else "Not exported yet.",
            "year",
        ),
        Step(
            "Learner completions reported (within 30 days of each completion)",
            learner_data_due(first_claim) if first_claim else None,
            learner_pending == 0,
            (
                f"{learner_pending} record(s) not sent yet"
                + (", some older than 30 days." if overdue else ".")
                if learner_pending
                else "Nothing waiting."
            )
            + (f" Last file {last_learners.at:%b %d, %Y}." if last_learners else ""),
            "learners",
        ),
        Step(
            "MOC learner data for the year sent to the boards",
            moc_deadline(year),
            learner_pending == 0,
            "MOC credit reaches the boards' records for the year only if reported by December 31.",
            "learners",
        ),
        Step(
            "Board rejections dealt with",
            None,
            answers == 0,
            f"{answers} rejected record(s) on the worklist." if answers else "None waiting.",
            "answers",
        ),
        Step(
            "Program summary submitted",
            year_end_deadline(year),
            bool(summary and summary.summary_submitted_on),
            (
                f"Submitted {summary.summary_submitted_on:%b %d, %Y}."
                if summary and summary.summary_submitted_on
                else "Not recorded as submitted."
            ),
            "summary",
        ),
    ]
