"""Reads for the checker and the exports: the facts of many series-years in a fixed number of
queries, whatever their number (the office's year page reads every series of the year).

Counting follows SPEC §11/§13 and credit.selectors_reports: learners are counted once per session attended,
physicians apart, counting awarded credit on active sessions that were not rejected; hours are
what a learner could earn (each approved session's credit, summed), never typed.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, DecimalField, F, Max, Min, Prefetch, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least

from activities.models import ChildActivity, ParentActivity, ParentState
from activities.rules import ChildStatus
from credit.models import Claim
from credit.rules import session_credit
from credit.selectors_reports import AWARDED, PHYSICIAN

from .models import MocRegistration, SeriesReport
from .rules import MocFacts, SeriesFacts, Supporter

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Sessions:
    approved: int = 0
    first: date | None = None
    last: date | None = None
    to_come: int = 0
    last_to_come: date | None = None
    hours: Decimal = ZERO


@dataclass(frozen=True)
class Counts:
    physicians: int = 0
    others: int = 0
    pending: int = 0


def year_parents(year: int):
    """The approved series of a year, with their PARS fields, sources and MOC registrations."""
    return (
        ParentActivity.objects.filter(year=year, state=ParentState.APPROVED)
        .select_related("department", "pars")
        .prefetch_related(
            "pars__supporters",
            Prefetch("pars__moc", queryset=MocRegistration.objects.order_by("board")),
        )
        .order_by("name", "id")
    )


def to_come(parents: list, now: datetime) -> dict[int, tuple[int, date | None, datetime]]:
    """Sessions still to come per series (active, not rejected, not over): count, last day, and
    the end of the first to finish (until then the count and the last day stay as they are)."""
    rows = (
        ChildActivity.objects.filter(
            parent_id__in=[p.pk for p in parents], is_active=True, end__gt=now
        )
        .exclude(status=ChildStatus.REJECTED)
        .values("parent_id")
        .annotate(n=Count("id"), last=Max("start"), soonest=Min("end"))
        .order_by()
    )
    zones = {p.pk: p.time_zone for p in parents}
    return {
        r["parent_id"]: (r["n"], _local(r["last"], zones[r["parent_id"]]), r["soonest"])
        for r in rows
    }


def _local(moment: datetime | None, zone: str) -> date | None:
    return moment.astimezone(ZoneInfo(zone)).date() if moment else None


def sessions_of(parents: list, now: datetime) -> dict[int, Sessions]:
    """Approved sessions, their first and last day, what is still to come and the credit a
    learner could earn, per series, in one statement on PostgreSQL (two elsewhere)."""
    ids = [p.pk for p in parents]
    if not ids:
        return {}
    live = ~Q(status=ChildStatus.REJECTED) & Q(end__gt=now)
    approved = Q(status=ChildStatus.APPROVED)
    figures = {
        "n": Count("id", filter=approved),
        "first": Min("start", filter=approved),
        "last": Max("start", filter=approved),
        "to_come": Count("id", filter=live),
        "last_to_come": Max("start", filter=live),
    }
    in_sql = connection.vendor == "postgresql"
    if in_sql:
        figures["hours"] = Sum(
            Least(RawSQL(_QUARTERS, [], output_field=HOURS), F("parent__credit_hours")),
            filter=approved,
            output_field=HOURS,
        )
    rows: Any = (
        ChildActivity.objects.filter(parent_id__in=ids, is_active=True)
        .values("parent_id")
        .annotate(**figures)
        .order_by()
    )
    hours = {} if in_sql else hours_in_python(ids)
    zones = {p.pk: p.time_zone for p in parents}
    out = {}
    for r in rows:
        pid, zone = r["parent_id"], zones[r["parent_id"]]
        total = r["hours"] if in_sql else hours.get(pid)
        out[pid] = Sessions(
            approved=r["n"],
            first=_local(r["first"], zone),
            last=_local(r["last"], zone),
            to_come=r["to_come"],
            last_to_come=_local(r["last_to_come"], zone),
            hours=Decimal(total or 0).quantize(CENT),
        )
    return out


# credit.rules.session_credit in SQL: whole minutes, then quarters rounded half up
# ((2m + 15) // 30), as hours; capped at the series' credit per session by the caller.
_CHILD = ChildActivity._meta.db_table
_QUARTERS = (
    f'FLOOR((2 * FLOOR(EXTRACT(EPOCH FROM ("{_CHILD}"."end" - "{_CHILD}"."start")) / 60) + 15)'
    " / 30) / 4"
)
HOURS = DecimalField(max_digits=8, decimal_places=2)
CENT = Decimal("0.01")


def hours_in_python(ids: list[int]) -> dict[int, Decimal]:
    """The plain path: each approved active session's credit (credit.rules.session_credit),
    summed per series. tests/pars/test_facts.py compares it with the SQL of sessions_of."""
    out: dict[int, Decimal] = {}
    rows = ChildActivity.objects.filter(
        parent_id__in=ids, is_active=True, status=ChildStatus.APPROVED
    ).values_list("parent_id", "start", "end", "parent__credit_hours")
    for parent_id, start, end, cap in rows:
        out[parent_id] = out.get(parent_id, ZERO) + session_credit(
            start=start, end=end, maximum=cap
        )
    return out


def counts_of(ids: list[int]) -> dict[int, Counts]:
    if not ids:
        return {}
    rows = (
        Claim.objects.filter(child__parent_id__in=ids, child__is_active=True)
        .values("child__parent_id")
        .annotate(
            physicians=Count("id", filter=AWARDED & PHYSICIAN),
            others=Count("id", filter=AWARDED & ~PHYSICIAN),
            pending=Count(
                "id", filter=Q(awarded_at__isnull=True) & ~Q(child__status=ChildStatus.REJECTED)
            ),
        )
        .order_by()
    )
    return {r["child__parent_id"]: Counts(r["physicians"], r["others"], r["pending"]) for r in rows}


def report_of(parent: ParentActivity) -> SeriesReport | None:
    """The saved PARS fields of the series, or None (an unsaved set on a page counts as none)."""
    try:
        report = parent.pars
    except SeriesReport.DoesNotExist:
        return None
    return report if report.pk else None


def facts_of(parent: ParentActivity, sessions: Sessions | None) -> SeriesFacts:
    s = sessions or Sessions()
    base: dict[str, Any] = {
        "title": parent.name,
        "credit_type": parent.credit_type,
        "approved_sessions": s.approved,
        "first_session": s.first,
        "last_session": s.last,
        "sessions_to_come": s.to_come,
        "last_to_come": s.last_to_come,
        "hours": s.hours,
    }
    r = report_of(parent)
    if r is None:
        return SeriesFacts(**base)
    return SeriesFacts(
        **base,
        description=r.description,
        delivery=tuple(r.delivery),
        city=r.city,
        state=r.state,
        country=r.country,
        cme_finder=r.cme_finder,
        finder_fee=r.finder_fee,
        finder_registration=r.finder_registration,
        finder_url=r.finder_url,
        providership=r.providership,
        joint_providers=tuple(r.joint_provider_names),
        designed=frozenset(r.designed),
        evaluated=frozenset(r.evaluated),
        commercial_support=r.commercial_support,
        supporters=tuple(
            Supporter(s.source, s.kind, s.amount, s.in_kind) for s in r.supporters.all()
        ),
        moc=tuple(
            MocFacts(
                board=m.board,
                practice_areas=tuple(MocRegistration.lines(m.practice_areas)),
                credit_types=tuple(MocRegistration.lines(m.credit_types)),
                points=m.points,
                fee=m.fee,
                registration=m.registration,
                url=m.url,
                claim_date=m.claim_date,
            )
            for m in r.moc.all()
        ),
        locked=r.locked_at is not None,
    )
