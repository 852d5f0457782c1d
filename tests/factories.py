"""Plain builders for test data: one call, sensible defaults, keyword overrides."""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from activities.models import (
    ChildActivity,
    Department,
    ParentActivity,
    ParentRole,
    ParentRoleKind,
    ParentState,
)
from activities.services.status import recompute_children
from disclosures.models import Disclosure, FinancialRelationship
from disclosures.rules import Nature
from faculty.models import Assignment, Person, SiteRole

_seq = itertools.count(1)
DETROIT = ZoneInfo("America/Detroit")
PASSWORD = "correct-horse-battery"


def person(*, email=None, last_name=None, first_name="Pat", password=PASSWORD, **extra) -> Person:
    n = next(_seq)
    return Person.objects.create_user(
        email or f"person{n}@example.org",
        password,
        last_name=last_name or f"Person{n}",
        first_name=first_name,
        **extra,
    )


def reviewer(**extra) -> Person:
    return person(
        site_role=SiteRole.REVIEWER, last_name=extra.pop("last_name", "Reviewer"), **extra
    )


def administrator(**extra) -> Person:
    return person(
        site_role=SiteRole.ADMINISTRATOR, last_name=extra.pop("last_name", "Admin"), **extra
    )


def department(name="Internal Medicine") -> Department:
    return Department.objects.get_or_create(name=name)[0]


def parent(
    *, name=None, year=None, coordinators=(), owners=(), planners=(), **extra
) -> ParentActivity:
    p = ParentActivity.objects.create(
        name=name or f"Medicine Grand Rounds {next(_seq)}",
        department=extra.pop("department", None) or department(),
        year=year or timezone.localdate().year,
        state=ParentState.APPROVED,
        default_location="Ford Auditorium",
        default_duration_minutes=60,
        recurrence="FREQ=WEEKLY;BYDAY=TH",
        credit_hours=Decimal("1.00"),
        **extra,
    )
    for kind, people in (
        (ParentRoleKind.COORDINATOR, coordinators),
        (ParentRoleKind.OWNER, owners),
        (ParentRoleKind.PLANNER, planners),
    ):
        for who in people:
            ParentRole.objects.create(parent=p, person=who, role=kind)
    return p


def child(
    parent_activity=None,
    *,
    start=None,
    minutes=60,
    name="Sepsis bundles in the first hour",
    recompute=True,
    **extra,
) -> ChildActivity:
    parent_activity = parent_activity or parent()
    if start is None:
        start = timezone.now() + timedelta(days=14)
    c = ChildActivity.objects.create(
        parent=parent_activity,
        name=name,
        start=start,
        end=start + timedelta(minutes=minutes),
        time_zone="America/Detroit",
        location="Ford Auditorium",
        **extra,
    )
    if recompute:
        recompute_children([c.pk])
        c.refresh_from_db()
    return c


def local(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=DETROIT)


def disclosure(who: Person, *, at=None, relationships=(), nothing=None) -> Disclosure:
    """relationships: (company, nature) pairs; none given means nothing to disclose."""
    d = Disclosure.objects.create(
        person=who,
        submitted_at=at or timezone.now() - timedelta(days=10),
        nothing_to_disclose=not relationships if nothing is None else nothing,
        attested=True,
    )
    for company, nature in relationships:
        FinancialRelationship.objects.create(disclosure=d, company_name=company, nature=nature)
    return d


def assign(c: ChildActivity, who: Person, *, recompute=True) -> Assignment:
    a = Assignment.objects.create(child=c, person=who)
    if recompute:
        recompute_children([c.pk])
        a.refresh_from_db()
    return a


CONSULTANT = Nature.CONSULTANT
OWNER = Nature.OWNER
