"""Reads of the office's year-end pages: the program summary's totals and the checklist with
ACCME's deadlines (the year's table of series is year.py)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Sum

from .codes import SupportKind
from .learner_rules import REJECTED
from .models import (
    ActivityExport,
    CommercialSupport,
    CompletionExport,
    CompletionRecord,
    ReportingYear,
)
from .rules import learner_data_due, moc_deadline, year_end_deadline
from .selectors_facts import counts_of, sessions_of, year_parents
from .year import year_rows


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
