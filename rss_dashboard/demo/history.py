"""Past years of the demo institution (`seed_demo --years N`, issue 21): the same series renewed
every year, each with a full year of held, reviewed and approved sessions, their faculty, a
disclosure a year for every faculty member, and the learners' claims.

It draws from its own random generator, so the current year is the same with or without history
(the five-year benchmark compares against the one-year one). Written a year at a time with bulk
inserts, so memory stays at one year's rows.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from activities.models import ChildActivity, ChildReview, ParentActivity, ParentRole, ParentState
from activities.rules import ChildDecision
from credit.models import Claim, ClaimChannel
from credit.pars.codes import Delivery, Outcome, Providership
from credit.pars.models import SeriesReport
from credit.rules import session_credit
from disclosures.models import CoiReview, Disclosure
from disclosures.rules import ReviewDecision
from faculty.models import Assignment, FacultyRole, Person
from rss_dashboard.demo.names import TOPICS

BATCH = 5000


def seed_history(
    *,
    seed: int,
    years: int,
    scale: int,
    zone: ZoneInfo,
    parents: list[ParentActivity],
    faculty: list[Person],
    learners: list[Person],
    demo_learner: Person,
    reviewer: Person,
    latest: dict[int, Disclosure],
) -> tuple[int, int]:
    """The `years - 1` years before the parents' year; (sessions, claims) added."""
    rng = random.Random(f"history-{seed}")
    year = parents[0].year
    sessions = claims = 0
    previous: dict[int, ParentActivity] = {}  # this year's parent by the current parent's id
    for past in range(year - 1, year - years, -1):
        made, n_sessions, n_claims = _year(
            rng, past, zone, scale, parents, faculty, learners, demo_learner, reviewer, latest
        )
        # Each series was renewed from its year before (SPEC §2's fall renewal).
        newer = [previous.get(p.pk) or p for p in parents]
        for p, renewed in zip(parents, newer, strict=True):
            renewed.renewed_from_id = made[p.pk].pk
        ParentActivity.objects.bulk_update(newer, ["renewed_from"])
        previous = made
        sessions, claims = sessions + n_sessions, claims + n_claims
    return sessions, claims


def _year(rng, year, zone, scale, parents, faculty, learners, demo_learner, reviewer, latest):
    created = datetime(year - 1, 11, 1, tzinfo=zone)
    copies = {
        p.pk: ParentActivity(
            name=p.name,
            department_id=p.department_id,
            year=year,
            state=ParentState.APPROVED,
            default_location=p.default_location,
            default_start_time=p.default_start_time,
            default_duration_minutes=p.default_duration_minutes,
            time_zone=p.time_zone,
            recurrence=p.recurrence,
            exception_dates=[],
            professions=list(p.professions),
            credit_hours=p.credit_hours,
            created_at=created,
        )
        for p in parents
    }
    ParentActivity.objects.bulk_create(copies.values())
    roles = ParentRole.objects.filter(parent_id__in=copies).values_list(
        "parent_id", "person_id", "role"
    )
    ParentRole.objects.bulk_create(
        ParentRole(parent=copies[parent_id], person_id=person_id, role=role)
        for parent_id, person_id, role in roles
    )
    specialties = ParentActivity.specialties.through
    specialties.objects.bulk_create(
        specialties(parentactivity_id=copies[parent_id].pk, specialty_id=specialty_id)
        for parent_id, specialty_id in specialties.objects.filter(
            parentactivity_id__in=copies
        ).values_list("parentactivity_id", "specialty_id")
    )
    SeriesReport.objects.bulk_create(
        SeriesReport(
            parent=p,
            description=f"{p.name}: a weekly series for the department's physicians.",
            delivery=[Delivery.IN_PERSON],
            city="Ann Arbor",
            state="MI",
            country="USA",
            providership=Providership.DIRECT,
            designed=[Outcome.COMPETENCE],
            evaluated=[Outcome.COMPETENCE],
            commercial_support="no",
            cme_finder="no",
            accme_activity_id=f"2{year % 100:02d}{i:06d}",
            locked_at=datetime(year + 1, 1, 20, tzinfo=zone),
        )
        for i, p in enumerate(copies.values())
    )
    # Every faculty member disclosed in the weeks before the year began (the rows a real office
    # keeps; all older than the person's latest, which is less than 300 days old). The reviews below name the person's latest disclosure, because the status engine
    # compares a review with the latest one (SPEC §6): a review of an older disclosure reads
    # DISCLOSURE UPDATED, even on a session held years ago.
    Disclosure.objects.bulk_create(
        (
            Disclosure(
                person=person,
                submitted_at=datetime(year, 1, 1, tzinfo=zone) - timedelta(days=rng.randint(1, 60)),
                nothing_to_disclose=True,
                attested=True,
            )
            for person in faculty
        ),
        batch_size=BATCH,
    )

    children = _sessions(rng, year, zone, list(copies.values()))
    assignments = [
        Assignment(
            child=c,
            person=person,
            role=FacultyRole.SPEAKER,
            request_disclosure=False,
            added_at=c.created_at,
        )
        for c in children
        for person in rng.sample(faculty, rng.choice([1, 1, 2, 3, 4, 4, 6]))
    ]
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    CoiReview.objects.bulk_create(
        (
            CoiReview(
                assignment=a,
                disclosure=latest[a.person_id],
                decision=ReviewDecision.APPROVED,
                reviewer=reviewer,
                decided_at=a.child.decided_at - timedelta(hours=1),
            )
            for a in assignments
        ),
        batch_size=BATCH,
    )
    ChildReview.objects.bulk_create(
        (
            ChildReview(
                child=c, action=ChildReview.Action.APPROVED, reviewer=reviewer, at=c.decided_at
            )
            for c in children
        ),
        batch_size=BATCH,
    )
    claims = _claims(rng, children, learners, demo_learner, scale)
    return copies, len(children), claims


def _sessions(rng, year, zone, parents) -> list[ChildActivity]:
    children = []
    begin, until = datetime(year, 1, 1, tzinfo=zone), datetime(year, 12, 31, 23, 59, tzinfo=zone)
    for p in parents:
        at = p.default_start_time
        rule = rrulestr(p.recurrence, dtstart=begin.replace(hour=at.hour, minute=at.minute))
        for start in rule.between(begin, until, inc=True):
            children.append(
                ChildActivity(
                    parent=p,
                    name=rng.choice(TOPICS),
                    start=start,
                    end=start + timedelta(minutes=p.default_duration_minutes),
                    time_zone=p.time_zone,
                    location=p.default_location,
                    objectives="Describe current evidence.\nApply it to local practice.",
                    professions=list(p.professions),
                    created_at=p.created_at,
                    requirements_met_on=(start - timedelta(days=rng.randint(7, 30))).date(),
                    decision=ChildDecision.APPROVED,
                    decided_at=start - timedelta(days=4),
                )
            )
    ChildActivity.objects.bulk_create(children, batch_size=BATCH)
    return children


def _claims(rng, children, learners, demo_learner, scale) -> int:
    """A share of the current year's attendance (about 4 learners a session; the demo learner at
    about 140 sessions a year, as in the current year)."""
    rows, total = [], 0
    channels = [ClaimChannel.SMS] * 3 + [ClaimChannel.WEB, ClaimChannel.QR]
    for c in children:
        credit = session_credit(start=c.start, end=c.end, maximum=Decimal("1.00"))
        attendees = rng.sample(learners, rng.randint(1, 7))
        if rng.random() < 0.1 / scale and demo_learner not in attendees:
            attendees.append(demo_learner)
        for learner in attendees:
            at = c.start + timedelta(minutes=rng.randint(-20, 180))
            rows.append(
                Claim(
                    learner=learner,
                    child=c,
                    year=c.parent.year,
                    claimed_at=at,
                    credit_hours=credit,
                    channel=rng.choice(channels),
                    awarded_at=at,
                )
            )
        if len(rows) >= 50_000:
            Claim.objects.bulk_create(rows, batch_size=BATCH)
            total, rows = total + len(rows), []
    Claim.objects.bulk_create(rows, batch_size=BATCH)
    return total + len(rows)
