"""The checker over every series of a year, from plain rows (no model instances, no session
aggregated but those still to come): the office's year table reads 400 series at a large centre
on every change. tests/pars/test_facts.py holds it to the same words as the full reads."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef

from activities.models import ChildActivity, ParentActivity, ParentState
from activities.rules import ChildStatus

from .models import CommercialSupport, MocRegistration
from .rules import MocFacts, SeriesFacts, Supporter
from .selectors_facts import ZERO, Sessions, to_come


@dataclass(frozen=True)
class SeriesLite:
    """What the year's table shows of a series."""

    pk: int
    name: str
    department_id: int
    department: str
    time_zone: str


_REPORT = (
    "description",
    "delivery",
    "city",
    "state",
    "country",
    "cme_finder",
    "finder_fee",
    "finder_registration",
    "finder_url",
    "providership",
    "joint_providers",
    "designed",
    "evaluated",
    "commercial_support",
    "locked_at",
)


def year_checks(
    year: int, now: datetime, only: Collection[int] | None = None
) -> list[tuple[SeriesLite, SeriesFacts]]:
    """Every approved series of the year (or those of `only`), checked, in the table's order."""
    return [(lite, facts) for lite, facts, _ in year_checks_until(year, now, only)]


def year_checks_until(
    year: int, now: datetime, only: Collection[int] | None = None
) -> list[tuple[SeriesLite, SeriesFacts, datetime | None]]:
    """`year_checks` with, per series, the moment what is still to come next changes (the end of
    its first session to come; None: nothing to come): the facts hold until then."""
    approved = ChildActivity.objects.filter(
        parent=OuterRef("pk"), is_active=True, status=ChildStatus.APPROVED
    )
    parents = ParentActivity.objects.filter(year=year, state=ParentState.APPROVED)
    reports = {"report__parent__year": year}
    if only is not None:
        parents = parents.filter(pk__in=list(only))
        reports["report__parent_id__in"] = list(only)
    rows = list(
        parents.annotate(
            has_approved=Exists(approved),
            # 8 minutes earn 0.25 (credit.rules); every series designates at least that a session.
            has_credit=Exists(approved.filter(end__gte=F("start") + timedelta(minutes=8))),
        )
        .order_by("name", "id")
        .values(
            "pk",
            "name",
            "credit_type",
            "time_zone",
            "department_id",
            "department__name",
            "has_approved",
            "has_credit",
            "pars__id",
            *(f"pars__{name}" for name in _REPORT),
        )
    )
    supporters, moc = defaultdict(list), defaultdict(list)
    for pid, *values in CommercialSupport.objects.filter(**reports).values_list(
        "report__parent_id", "source", "kind", "amount", "in_kind"
    ):
        supporters[pid].append(Supporter(*values))
    for m in (
        MocRegistration.objects.filter(**reports)
        .order_by("board")
        .values_list(
            "report__parent_id",
            "board",
            "practice_areas",
            "credit_types",
            "points",
            "fee",
            "registration",
            "url",
            "claim_date",
        )
    ):
        moc[m[0]].append(
            MocFacts(m[1], tuple(_lines(m[2])), tuple(_lines(m[3])), m[4], m[5], m[6], m[7], m[8])
        )
    series = [
        SeriesLite(r["pk"], r["name"], r["department_id"], r["department__name"], r["time_zone"])
        for r in rows
    ]
    coming = to_come(series, now)
    out = []
    for lite, r in zip(series, rows, strict=True):
        n, last, until = coming.get(lite.pk, (0, None, None))
        base = {
            "title": r["name"],
            "credit_type": r["credit_type"],
            "approved_sessions": int(r["has_approved"]),
            "sessions_to_come": n,
            "last_to_come": last,
            "hours": Decimal("0.25") if r["has_credit"] else ZERO,
        }
        if r["pars__id"] is None:
            out.append((lite, SeriesFacts(**base), until))
            continue
        p = {name: r[f"pars__{name}"] for name in _REPORT}
        facts = SeriesFacts(
            **base,
            description=p["description"],
            delivery=tuple(p["delivery"] or ()),
            city=p["city"],
            state=p["state"],
            country=p["country"],
            cme_finder=p["cme_finder"],
            finder_fee=p["finder_fee"],
            finder_registration=p["finder_registration"],
            finder_url=p["finder_url"],
            providership=p["providership"],
            joint_providers=tuple(_lines(p["joint_providers"])),
            designed=frozenset(p["designed"] or ()),
            evaluated=frozenset(p["evaluated"] or ()),
            commercial_support=p["commercial_support"],
            supporters=tuple(supporters[lite.pk]),
            moc=tuple(moc[lite.pk]),
            locked=p["locked_at"] is not None,
        )
        out.append((lite, facts, until))
    return out


def with_sessions(facts: SeriesFacts, s: Sessions) -> SeriesFacts:
    return replace(
        facts,
        approved_sessions=s.approved,
        first_session=s.first,
        last_session=s.last,
        sessions_to_come=s.to_come,
        last_to_come=s.last_to_come,
        hours=s.hours,
    )


def _lines(text: str) -> list[str]:
    return [n.strip() for n in (text or "").splitlines() if n.strip()]
