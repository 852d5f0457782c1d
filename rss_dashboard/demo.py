"""A realistic institution for the current year, for development, demos and benchmarks.

Deterministic for a seed: the same --seed and --scale (and the same day) give the same data.
Written with bulk inserts so --scale 10 (about 20,000 sessions) stays well under two minutes.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from activities.models import (
    ChildActivity,
    ChildReview,
    Comment,
    Department,
    ParentActivity,
    ParentRole,
    ParentRoleKind,
    ParentState,
    Specialty,
)
from activities.rules import ChildDecision, name_needs_update
from activities.services.status import recompute_all
from credit.models import Claim, ClaimChannel
from credit.rules import session_credit
from disclosures.models import CoiReview, Company, Disclosure, FinancialRelationship
from disclosures.rules import MitigationStep, Nature, OwnerEmployeeException, ReviewDecision
from faculty.models import Assignment, EmailDomainAlias, FacultyRole, Person, Profession, SiteRole
from rss_dashboard.db import bulk_update_rows
from rss_dashboard.demo_office import seed_office_work
from rss_dashboard.demo_pars import seed_pars

DEMO_PASSWORD = "rss-demo"
DEMO_LEARNER_PHONE = "+17345550100"

DEPARTMENTS = [
    "Internal Medicine",
    "Surgery",
    "Pediatrics",
    "Radiology",
    "Neurology",
    "Psychiatry",
    "Obstetrics and Gynecology",
    "Emergency Medicine",
    "Anesthesiology",
    "Family Medicine",
]
SERIES_KINDS = [
    "Grand Rounds",
    "Tumor Board",
    "Case Conference",
    "Journal Club",
    "M&M Conference",
    "Research Seminar",
    "Quality Rounds",
    "Clinical Update",
]
SPECIALTIES = [
    "Cardiology",
    "Oncology",
    "Gastroenterology",
    "Nephrology",
    "Pulmonology",
    "Infectious Disease",
    "Endocrinology",
    "Rheumatology",
    "Hematology",
    "Geriatrics",
    "Critical Care",
    "Neurosurgery",
    "Orthopaedics",
    "Dermatology",
    "Hospital Medicine",
]
TOPICS = [
    "Sepsis bundles in the first hour",
    "Heart failure with preserved ejection fraction",
    "Managing anticoagulation around procedures",
    "Acute kidney injury after contrast",
    "Immunotherapy toxicities",
    "Delirium prevention on the wards",
    "Diabetic ketoacidosis protocols",
    "Pulmonary embolism risk stratification",
    "Opioid stewardship after surgery",
    "Antibiotic de-escalation",
    "Lung cancer screening uptake",
    "Pediatric asthma action plans",
    "Stroke thrombectomy windows",
    "Perioperative beta blockade",
    "Hyponatremia correction rates",
    "Atrial fibrillation ablation outcomes",
    "Breast cancer genetics in practice",
    "Inflammatory bowel disease biologics",
    "Transfusion thresholds",
    "Frailty before surgery",
    "Clostridioides difficile recurrence",
    "Cirrhosis and hepatic encephalopathy",
    "Obesity pharmacotherapy",
    "Syncope work-up",
    "Melanoma margins",
    "Chronic pain and buprenorphine",
    "Bronchiolitis high-flow oxygen",
    "Pancreatitis fluid resuscitation",
    "Thyroid nodules",
    "Health equity in referral patterns",
    "Diagnostic error and cognitive bias",
    "Handoffs that prevent harm",
    "Neonatal jaundice thresholds",
    "Postpartum hemorrhage drills",
    "Airway management in the ED",
    "Ultrasound-guided nerve blocks",
    "Depression screening in clinic",
    "Medication reconciliation at discharge",
    "Point-of-care ultrasound for shock",
    "Kidney transplant rejection",
    "Lupus nephritis",
    "Gout flares in hospital",
]
BAD_NAMES = ["TBD", "Topic", "Lecture", "To be announced", "Grand Rounds", "Case Conference"]
FIRST = [
    "Ana",
    "Ben",
    "Chen",
    "Dana",
    "Eli",
    "Fatima",
    "Gus",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
    "Maya",
    "Noor",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Xavier",
    "Yara",
    "Zane",
    "Jane",
    "John",
    "Maria",
    "David",
]
LAST = [
    "Smith",
    "Smithson",
    "Johnson",
    "Lee",
    "Garcia",
    "Patel",
    "Nguyen",
    "Kim",
    "Brown",
    "Davis",
    "Miller",
    "Wilson",
    "Moore",
    "Taylor",
    "Anderson",
    "Thomas",
    "Jackson",
    "White",
    "Harris",
    "Martin",
    "Thompson",
    "Martinez",
    "Robinson",
    "Clark",
    "Rodriguez",
    "Lewis",
    "Walker",
    "Hall",
    "Allen",
    "Young",
    "Hernandez",
    "King",
    "Wright",
    "Lopez",
    "Hill",
    "Scott",
    "Green",
    "Adams",
    "Baker",
    "Gonzalez",
    "Nelson",
    "Carter",
    "Mitchell",
    "Perez",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Sanchez",
    "Morris",
    "Rogers",
]
COMPANIES = [
    "Acme Pharmaceuticals",
    "Beta Medical Devices",
    "Cardiotech Inc.",
    "Delta Biologics",
    "Everwell Diagnostics",
    "Fulcrum Therapeutics",
    "Genova Surgical",
    "Helix Oncology",
    "Ionic Imaging Systems",
    "Juniper Health Products",
]
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
START_TIMES = [time(7, 0), time(7, 30), time(8, 0), time(12, 0), time(16, 0)]


@dataclass
class DemoResult:
    year: int
    parents: int = 0
    children: int = 0
    people: int = 0
    claims: int = 0
    open_child_id: int | None = None
    logins: list[tuple[str, str]] = field(default_factory=list)


class Builder:
    def __init__(self, seed: int, scale: int, now: datetime):
        self.rng = random.Random(seed)
        self.scale = max(1, scale)
        self.now = now
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.today = now.astimezone(self.zone).date()
        self.year = self.today.year
        self.unusable = make_password(None)
        self.people: list[Person] = []
        self._emails: set[str] = set()

    # --- people --------------------------------------------------------------------------------
    def person(self, *, first: str, last: str, email: str | None = None, **extra) -> Person:
        base = email or f"{first}.{last}".lower().replace(" ", "")
        if email is None:
            n, candidate = 1, f"{base}@umich.edu"
            while candidate in self._emails:
                n += 1
                candidate = f"{base}{n}@umich.edu"
            email = candidate
        self._emails.add(email)
        p = Person(
            email=email,
            first_name=first,
            last_name=last,
            last_name_lower=last.lower(),
            password=self.unusable,
            date_joined=self.now - timedelta(days=400),
            **extra,
        )
        self.people.append(p)
        return p

    def random_person(self, **extra) -> Person:
        return self.person(first=self.rng.choice(FIRST), last=self.rng.choice(LAST), **extra)

    def build(self) -> DemoResult:
        rng, year = self.rng, self.year
        result = DemoResult(year=year)
        EmailDomainAlias.objects.get_or_create(
            alias_domain="med.umich.edu", defaults={"canonical_domain": "umich.edu"}
        )
        departments = [Department.objects.get_or_create(name=n)[0] for n in DEPARTMENTS]
        specialties = [Specialty.objects.get_or_create(name=n)[0] for n in SPECIALTIES]
        companies = [Company.objects.get_or_create(name=n)[0] for n in COMPANIES]

        demo_pw = make_password(DEMO_PASSWORD)
        admin = self.person(
            first="Ada",
            last="Admin",
            email="admin@example.org",
            site_role=SiteRole.ADMINISTRATOR,
            is_staff=True,
            is_superuser=True,
        )
        reviewer = self.person(
            first="Rita",
            last="Reviewer",
            email="reviewer@example.org",
            site_role=SiteRole.REVIEWER,
            is_staff=True,
        )
        coordinator = self.person(first="Cora", last="Coordinator", email="coordinator@example.org")
        owner = self.person(first="Owen", last="Owner", email="owner@example.org")
        faculty_demo = self.person(
            first="Fay",
            last="Faculty",
            email="faculty@example.org",
            credentials="MD",
            profession=Profession.PHYSICIAN,
        )
        learner = self.person(
            first="Lee",
            last="Learner",
            email="learner@example.org",
            mobile_phone=DEMO_LEARNER_PHONE,
            profession=Profession.PHYSICIAN,
        )
        for p in (admin, reviewer, coordinator, owner, faculty_demo, learner):
            p.password = demo_pw

        faculty = [faculty_demo] + [
            self.random_person(
                credentials=rng.choice(["MD", "MD, PhD", "DO", "PhD", "MD, MPH", "PharmD"]),
                profession=Profession.PHYSICIAN,
                affiliation="Michigan Medicine",
            )
            for _ in range(300 * self.scale - 1)
        ]
        coordinators = [coordinator] + [self.random_person() for _ in range(12 * self.scale)]
        owners = [owner] + [self.random_person(credentials="MD") for _ in range(10 * self.scale)]
        professions = (
            [Profession.PHYSICIAN] * 6
            + [Profession.NURSE] * 2
            + [Profession.PA, Profession.PHARMACIST, Profession.PSYCHOLOGIST, Profession.OTHER]
        )
        learners = [learner] + [
            # With faculty and series people, about 3,000 people a scale unit: issue 8's large
            # centre (--scale 10) has 30,000 people, most of them learners.
            self.random_person(profession=rng.choice(professions))
            for _ in range(2500 * self.scale)
        ]
        Person.objects.bulk_create(self.people, batch_size=2000)
        by_email = dict(Person.objects.values_list("email", "pk"))
        for p in self.people:
            p.pk = p.id = by_email[p.email]
        result.people = len(self.people)

        self._disclosures(faculty, companies)
        parents = self._parents(departments, specialties, coordinators, owners, faculty)
        children = self._children(parents)
        result.parents, result.children = len(parents), len(children)
        open_child = self._demo_open_session(parents[0], faculty_demo)
        children.append(open_child)
        self._assign(children, faculty, faculty_demo)
        self._reviews(children, reviewer)
        result.claims = self._claims(children, learners, learner)
        seed_pars(self.rng, parents=parents, learners=learners, demo_learner=learner, now=self.now)
        Comment.objects.bulk_create(
            Comment(
                child=c,
                author=reviewer,
                from_office=True,
                created_at=self.now,
                body="Please change the name to the topic that will be discussed.",
            )
            for c in children
            if c.name in BAD_NAMES and c.start > self.now
        )
        recompute_all()
        seed_office_work(rng=rng, now=self.now, zone=self.zone, scale=self.scale)
        result.open_child_id = open_child.pk
        result.logins = [
            (p.email, DEMO_PASSWORD)
            for p in (admin, reviewer, coordinator, owner, faculty_demo, learner)
        ]
        return result

    # --- disclosures ---------------------------------------------------------------------------
    def _disclosures(self, faculty: list[Person], companies: list[Company]) -> None:
        rng, disclosures, relationships = self.rng, [], []
        self.relationship_people: set[int] = set()
        self.owners_of_companies: set[int] = set()
        for i, p in enumerate(faculty):
            roll = rng.random() if i else 0.5  # the demo faculty member has nothing to disclose
            if roll < 0.12:
                continue  # no disclosure on file
            if roll < 0.25:
                at = self.now - timedelta(days=rng.randint(380, 700))  # expired
            else:
                at = self.now - timedelta(days=rng.randint(2, 330))
            has_rel = roll >= 0.60
            d = Disclosure(
                person=p, submitted_at=at, nothing_to_disclose=not has_rel, attested=True
            )
            disclosures.append((d, has_rel, p))
        Disclosure.objects.bulk_create([d for d, _, _ in disclosures], batch_size=2000)
        natures = [
            Nature.CONSULTANT,
            Nature.SPEAKERS_BUREAU,
            Nature.RESEARCH_FUNDING,
            Nature.ADVISORY_BOARD,
            Nature.STOCK,
            Nature.ROYALTIES,
            Nature.HONORARIA,
        ]
        owner_quota = 3 * self.scale
        for d, has_rel, p in disclosures:
            if not has_rel:
                continue
            self.relationship_people.add(p.pk)
            for company in rng.sample(companies, rng.choice([1, 1, 2, 3])):
                nature = rng.choice(natures)
                if owner_quota and rng.random() < 0.05:
                    nature, owner_quota = Nature.OWNER, owner_quota - 1
                    self.owners_of_companies.add(p.pk)
                relationships.append(
                    FinancialRelationship(
                        disclosure=d,
                        company=company,
                        company_name=company.name,
                        nature=nature,
                        has_ended=rng.random() < 0.2,
                    )
                )
        FinancialRelationship.objects.bulk_create(relationships, batch_size=2000)
        self.latest_disclosure = {p.pk: d for d, _, p in disclosures}
        self.current_disclosers = [
            p for d, _, p in disclosures if d.submitted_at > self.now - timedelta(days=300)
        ]

    # --- series and sessions -------------------------------------------------------------------
    def _parents(
        self, departments, specialties, coordinators, owners, faculty
    ) -> list[ParentActivity]:
        rng, parents, names = self.rng, [], set()
        for i in range(40 * self.scale):
            dept = departments[i % len(departments)]
            kind = SERIES_KINDS[(i // len(departments)) % len(SERIES_KINDS)]
            name = f"{dept.name} {kind}"
            n = 2
            while name in names:
                name, n = f"{dept.name} {kind} {n}", n + 1
            names.add(name)
            weekday, at = rng.choice(WEEKDAYS), rng.choice(START_TIMES)
            parents.append(
                ParentActivity(
                    name=name,
                    department=dept,
                    year=self.year,
                    state=ParentState.APPROVED,
                    default_location=f"{rng.choice(['Ford', 'Sheldon', 'Towsley', 'Kahn'])} Auditorium",
                    default_start_time=at,
                    default_duration_minutes=60,
                    time_zone=settings.TIME_ZONE,
                    recurrence=f"FREQ=WEEKLY;BYDAY={weekday}",
                    exception_dates=[],
                    professions=[Profession.PHYSICIAN, Profession.NURSE]
                    if i % 3
                    else [Profession.PHYSICIAN],
                    credit_hours=Decimal("1.00"),
                    created_at=self.now - timedelta(days=330),
                )
            )
        ParentActivity.objects.bulk_create(parents)
        through = ParentActivity.specialties.through
        through.objects.bulk_create(
            through(parentactivity_id=p.pk, specialty_id=s.pk)
            for p in parents
            for s in rng.sample(specialties, 2)
        )
        roles = []
        for i, p in enumerate(parents):
            # The demo coordinator runs the first few series only, so "sees nothing of B" shows.
            coord = coordinators[0] if i < 3 else coordinators[1 + i % (len(coordinators) - 1)]
            own = owners[0] if i < 5 else owners[1 + i % (len(owners) - 1)]
            roles += [
                ParentRole(parent=p, person=coord, role=ParentRoleKind.COORDINATOR),
                ParentRole(parent=p, person=own, role=ParentRoleKind.OWNER),
            ]
            # Most planners keep their disclosure current; about one series in ten shows the alert.
            pool = faculty if rng.random() < 0.1 else self.current_disclosers
            for planner in rng.sample(pool, 2):
                roles.append(ParentRole(parent=p, person=planner, role=ParentRoleKind.PLANNER))
        ParentRole.objects.bulk_create(roles, ignore_conflicts=True)
        self.parent_specialties = {
            p.pk: [s.pk for s in rng.sample(specialties, 2)] for p in parents
        }
        return parents

    def _children(self, parents: list[ParentActivity]) -> list[ChildActivity]:
        rng, children = self.rng, []
        year_start = datetime(self.year, 1, 1, tzinfo=self.zone)
        for p in parents:
            rule = rrulestr(
                p.recurrence,
                dtstart=year_start.replace(
                    hour=p.default_start_time.hour, minute=p.default_start_time.minute
                ),
            )
            until = datetime(self.year, 12, 31, 23, 59, tzinfo=self.zone)
            for start in rule.between(year_start, until, inc=True):
                upcoming = start > self.now
                far = start > self.now + timedelta(days=21)
                roll = rng.random()
                # Names that need an update only on upcoming sessions: a past session was approved,
                # and the office cannot approve a placeholder ("TBD" on a learner's transcript).
                if upcoming and roll < 0.08:
                    name = rng.choice(BAD_NAMES)
                elif upcoming and roll < 0.11:
                    name = f"{p.name}: {rng.choice(TOPICS)}"
                elif upcoming and roll < 0.13:
                    name = f"{rng.choice(TOPICS)} {start:%-m/%-d}"
                elif far and roll < 0.35:
                    name = "TBD"
                else:
                    name = rng.choice(TOPICS)
                children.append(
                    ChildActivity(
                        parent=p,
                        name=name,
                        start=start,
                        end=start + timedelta(minutes=p.default_duration_minutes),
                        time_zone=p.time_zone,
                        location=p.default_location,
                        objectives="Describe current evidence.\nApply it to local practice.",
                        professions=list(p.professions),
                        created_at=self.now - timedelta(days=300),
                        is_active=not (upcoming and rng.random() < 0.01),
                        # Kept by the status engine only while the three requirements hold.
                        # Never a day after today ("3 by 5 met" in the future).
                        requirements_met_on=None
                        if far
                        else min(
                            (start - timedelta(days=rng.randint(7, 30))).date(), self.now.date()
                        ),
                    )
                )
                children[-1]._upcoming, children[-1]._far = upcoming, far
        ChildActivity.objects.bulk_create(children, batch_size=2000)
        through = ChildActivity.specialties.through
        through.objects.bulk_create(
            (
                through(childactivity_id=c.pk, specialty_id=s)
                for c in children
                for s in self.parent_specialties[c.parent_id]
            ),
            batch_size=5000,
        )
        return children

    def _demo_open_session(self, parent: ParentActivity, faculty_demo: Person) -> ChildActivity:
        """An approved session happening now, so texting its Child ID works right after seeding."""
        start = (self.now - timedelta(minutes=20)).replace(second=0, microsecond=0)
        if start.astimezone(self.zone).year != self.year:  # the first minutes of January 1
            start = self.now
        child = ChildActivity.objects.create(
            parent=parent,
            name="Demo: sepsis recognition in the first hour",
            start=start,
            end=start + timedelta(minutes=60),
            time_zone=parent.time_zone,
            location=parent.default_location,
            objectives="Recognise sepsis early.",
            professions=list(parent.professions),
            created_at=self.now - timedelta(days=30),
        )
        child.specialties.set(parent.specialties.all())
        child._upcoming, child._far, child._demo = False, False, True
        return child

    def _assign(self, children, faculty, faculty_demo) -> None:
        rng, rows = self.rng, []
        for c in children:
            if getattr(c, "_demo", False):
                rows.append(
                    Assignment(
                        child=c,
                        person=faculty_demo,
                        request_disclosure=False,
                        added_at=c.created_at,
                    )
                )
                continue
            if c._far and rng.random() < 0.55:
                continue  # faculty not assigned yet
            if c._upcoming and rng.random() < 0.12:
                continue
            # Three on average (a grand rounds' one speaker, a tumor board's panel): issue 8's
            # 60,000 assignments for 20,000 sessions.
            for person in rng.sample(faculty, rng.choice([1, 1, 2, 3, 4, 4, 6])):
                rows.append(
                    Assignment(
                        child=c,
                        person=person,
                        role=FacultyRole.SPEAKER,
                        request_disclosure=person.pk not in self.latest_disclosure,
                        added_at=c.created_at,
                    )
                )
        Assignment.objects.bulk_create(rows, batch_size=2000)
        self.assignments = rows

    def _reviews(self, children, reviewer) -> None:
        """Past sessions were reviewed and approved; upcoming ones show every stage of review."""
        rng, reviews = self.rng, []
        by_child: dict[int, list[Assignment]] = {}
        for a in self.assignments:
            by_child.setdefault(a.child_id, []).append(a)
        approved_children, rejected = [], []
        for c in children:
            rows = by_child.get(c.pk, [])
            demo = getattr(c, "_demo", False)
            if not rows or (c._upcoming and not demo and rng.random() < 0.55):
                continue
            ok = True
            for a in rows:
                d = self.latest_disclosure.get(a.person_id)
                if d is None or d.submitted_at <= c.start - timedelta(days=365):
                    ok = False
                    continue
                if a.person_id in self.owners_of_companies:
                    if rng.random() < 0.5:
                        reviews.append(
                            self._review(
                                a,
                                d,
                                reviewer,
                                ReviewDecision.REJECTED,
                                note="Owner of an ineligible company.",
                            )
                        )
                        rejected.append(c)
                        ok = False
                    else:
                        reviews.append(
                            self._review(
                                a,
                                d,
                                reviewer,
                                ReviewDecision.APPROVED_WITH_EXCEPTIONS,
                                exception=OwnerEmployeeException.BASIC_SCIENCE,
                            )
                        )
                    continue
                relevant = a.person_id in self.relationship_people
                decision = (
                    ReviewDecision.APPROVED
                    if c.start < self.now or demo
                    else rng.choice([ReviewDecision.APPROVED, ReviewDecision.MITIGATED])
                )
                if decision == ReviewDecision.MITIGATED and not relevant:
                    continue  # nothing to mitigate: PENDING without a review (rules.allowed_decisions)
                reviews.append(self._review(a, d, reviewer, decision, relevant=relevant))
            # The office never approves a name that needs an update (SPEC §3).
            if (
                ok
                and (c.start < self.now or demo or rng.random() < 0.5)
                and not name_needs_update(c.name, c.parent.name)
            ):
                approved_children.append(c)
        self._updated_disclosures(reviews)
        by_review: dict[int, list[CoiReview]] = {}
        for review in reviews:
            by_review.setdefault(review.assignment.child_id, []).append(review)
        for c in approved_children:
            # Decided in the past: four days before a past session, or lately for an upcoming one.
            decided = min(
                c.start - timedelta(days=4), self.now - timedelta(hours=rng.randint(1, 72))
            )
            for review in by_review.get(c.pk, []):  # the faculty were reviewed before that
                review.decided_at = min(review.decided_at, decided - timedelta(hours=1))
            c.decision, c.decided_by, c.decided_at = ChildDecision.APPROVED, reviewer, decided
        CoiReview.objects.bulk_create(reviews, batch_size=2000)
        bulk_update_rows(approved_children, ["decision", "decided_by", "decided_at"])
        ChildReview.objects.bulk_create(
            (
                ChildReview(
                    child=c, action=ChildReview.Action.APPROVED, reviewer=reviewer, at=c.decided_at
                )
                for c in approved_children
            ),
            batch_size=2000,
        )
        self.approved_ids = {c.pk for c in approved_children}

    def _updated_disclosures(self, reviews) -> None:
        """A few reviewed people disclosed again after the review: DISCLOSURE UPDATED."""
        upcoming = [
            r
            for r in reviews
            if r.assignment.child._upcoming and r.decision == ReviewDecision.APPROVED
        ]
        for review in self.rng.sample(upcoming, min(len(upcoming), 4 * self.scale)):
            older = Disclosure.objects.create(
                person_id=review.assignment.person_id,
                nothing_to_disclose=True,
                attested=True,
                submitted_at=review.disclosure.submitted_at - timedelta(days=1),
            )
            review.disclosure = older

    def _review(self, a, d, reviewer, decision, *, relevant=False, exception="", note=""):
        return CoiReview(
            assignment=a,
            disclosure=d,
            decision=decision,
            relevant=relevant,
            mitigation_steps=[MitigationStep.PEER_REVIEW]
            if relevant and decision != ReviewDecision.REJECTED
            else [],
            exception=exception,
            note=note,
            reviewer=reviewer,
            decided_at=min(
                d.submitted_at + timedelta(days=1),
                max(d.submitted_at, self.now - timedelta(hours=2)),
            ),
        )

    def _claims(self, children, learners, demo_learner) -> int:
        rng, claims = self.rng, []
        for c in children:
            if c.start > self.now or getattr(c, "_demo", False) or c.pk not in self.approved_ids:
                continue
            credit = session_credit(start=c.start, end=c.end, maximum=Decimal("1.00"))
            attendees = rng.sample(learners, min(len(learners), rng.randint(3, 12)))
            # The demo learner attends about 140 sessions a year at any scale (a busy clinician's
            # weekly grand rounds and tumor boards), not a share of an institution's every session.
            if rng.random() < 0.1 / self.scale and demo_learner not in attendees:
                attendees.append(demo_learner)
            for learner in attendees:
                at = min(c.start + timedelta(minutes=rng.randint(-20, 180)), self.now)
                claims.append(
                    Claim(
                        learner=learner,
                        child=c,
                        claimed_at=at,
                        credit_hours=credit,
                        channel=rng.choice(
                            [ClaimChannel.SMS] * 3 + [ClaimChannel.WEB, ClaimChannel.QR]
                        ),
                        awarded_at=at,
                    )
                )
        Claim.objects.bulk_create(claims, batch_size=5000)
        return len(claims)


def seed_demo(*, seed: int = 1, scale: int = 1, now: datetime | None = None) -> DemoResult:
    with transaction.atomic():
        return Builder(seed, scale, now or timezone.now()).build()


def already_seeded() -> bool:
    return Person.objects.filter(email="admin@example.org").exists()
