"""Reads for the checker and the exports: the facts of many series-years in a fixed number of
queries, whatever their number (the office's year page reads every series of the year).

Counting follows SPEC §11/§13 and credit.reports: learners are counted once per session attended,
physicians apart, counting awarded credit on active sessions that were not rejected; hours are
what a learner could earn (each approved session's credit, summed), never typed.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Max, Min, Prefetch, Q

from activities.models import ChildActivity, ParentActivity, ParentState
from activities.rules import ChildStatus
from credit.models import Claim
from credit.reports import AWARDED, PHYSICIAN
from credit.rules import session_credit

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


def _local(moment: datetime | None, zone: str) -> date | None:
    return moment.astimezone(ZoneInfo(zone)).date() if moment else None


def sessions_of(parents: list[ParentActivity], now: datetime) -> dict[int, Sessions]:
    ids = [p.pk for p in parents]
    if not ids:
        return {}
    live = ~Q(status=ChildStatus.REJECTED) & Q(end__gt=now)
    approved = Q(status=ChildStatus.APPROVED)
    rows = (
        ChildActivity.objects.filter(parent_id__in=ids, is_active=True)
        .values("parent_id")
        .annotate(
            n=Count("id", filter=approved),
            first=Min("start", filter=approved),
            last=Max("start", filter=approved),
            to_come=Count("id", filter=live),
            last_to_come=Max("start", filter=live),
        )
        .order_by()
    )
    hours = hours_by_parent(ids)
    zones = {p.pk: p.time_zone for p in parents}
    return {
        r["parent_id"]: Sessions(
            approved=r["n"],
            first=_local(r["first"], zones[r["parent_id"]]),
            last=_local(r["last"], zones[r["parent_id"]]),
            to_come=r["to_come"],
            last_to_come=_local(r["last_to_come"], zones[r["parent_id"]]),
            hours=hours.get(r["parent_id"], ZERO),
        )
        for r in rows
    }


def hours_by_parent(ids: list[int]) -> dict[int, Decimal]:
    """Sum of each approved active session's credit (credit.rules.session_credit) per series.
    PostgreSQL sums it in one statement; elsewhere it is computed row by row. The two are
    compared by tests/pars/test_facts.py."""
    if connection.vendor == "postgresql":
        return _hours_in_sql(ids)
    return hours_in_python(ids)


def hours_in_python(ids: list[int]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    rows = ChildActivity.objects.filter(
        parent_id__in=ids, is_active=True, status=ChildStatus.APPROVED
    ).values_list("parent_id", "start", "end", "parent__credit_hours")
    for parent_id, start, end, cap in rows:
        out[parent_id] = out.get(parent_id, ZERO) + session_credit(
            start=start, end=end, maximum=cap
        )
    return out


def _hours_in_sql(ids: list[int]) -> dict[int, Decimal]:
    child, parent = ChildActivity._meta.db_table, ParentActivity._meta.db_table
    # Whole minutes, then quarters rounded half up ((2m + 15) // 30), capped at the series' credit.
    sql = f"""
        SELECT c.parent_id,
               SUM(LEAST(FLOOR((2 * FLOOR(EXTRACT(EPOCH FROM (c."end" - c.start)) / 60) + 15) / 30)
                         / 4, p.credit_hours))
        FROM {child} c JOIN {parent} p ON p.id = c.parent_id
        WHERE c.parent_id = ANY(%s) AND c.is_active AND c.status = %s
        GROUP BY c.parent_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(ids), ChildStatus.APPROVED.value])
        return {pid: Decimal(total).quantize(Decimal("0.01")) for pid, total in cursor.fetchall()}


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
    base = {
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
