"""A realistic institution for the current year, for development, demos and benchmarks.

Deterministic for a seed: the same --seed and --scale (and the same day) give the same data.
Written with bulk inserts so --scale 10 (about 20,000 sessions) stays well under two minutes.
The Builder's parts live beside it: people (and disclosures), series (and sessions), reviews
(and claims), the office's morning, the PARS fields.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from activities.models import Comment, Department, Specialty
from activities.services.status import recompute_all
from disclosures.models import Company
from faculty.models import EmailDomainAlias, Person, Profession, SiteRole
from rss_dashboard.demo.history import seed_history
from rss_dashboard.demo.names import (
    BAD_NAMES,
    COMPANIES,
    DEMO_LEARNER_PHONE,
    DEMO_PASSWORD,
    DEPARTMENTS,
    SPECIALTIES,
)
from rss_dashboard.demo.office import seed_office_work
from rss_dashboard.demo.pars import seed_pars
from rss_dashboard.demo.people import People
from rss_dashboard.demo.reviews import Reviews
from rss_dashboard.demo.series import Series


@dataclass
class DemoResult:
    year: int
    parents: int = 0
    children: int = 0
    people: int = 0
    claims: int = 0
    open_child_id: int | None = None
    history_children: int = 0  # the years before (--years)
    history_claims: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


class Builder(People, Series, Reviews):
    def __init__(self, seed: int, scale: int, now: datetime, years: int = 1):
        self.seed, self.years = seed, max(1, years)
        self.rng = random.Random(seed)
        self.scale = max(1, scale)
        self.now = now
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.today = now.astimezone(self.zone).date()
        self.year = self.today.year
        self.unusable = make_password(None)
        self.people: list[Person] = []
        self._emails: set[str] = set()

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
        if self.years > 1:
            result.history_children, result.history_claims = seed_history(
                seed=self.seed,
                years=self.years,
                scale=self.scale,
                zone=self.zone,
                parents=parents,
                # Whose latest disclosure is current: the status engine reads every session
                # against a person's latest disclosure, and theirs is active for any past session.
                faculty=self.current_disclosers,
                learners=learners,
                demo_learner=learner,
                reviewer=reviewer,
                latest=self.latest_disclosure,
            )
        recompute_all()
        seed_office_work(rng=rng, now=self.now, zone=self.zone, scale=self.scale)
        result.open_child_id = open_child.pk
        result.logins = [
            (p.email, DEMO_PASSWORD)
            for p in (admin, reviewer, coordinator, owner, faculty_demo, learner)
        ]
        return result


def seed_demo(
    *, seed: int = 1, scale: int = 1, now: datetime | None = None, years: int = 1
) -> DemoResult:
    with transaction.atomic():
        return Builder(seed, scale, now or timezone.now(), years).build()


def already_seeded() -> bool:
    return Person.objects.filter(email="admin@example.org").exists()
