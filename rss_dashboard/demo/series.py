"""The demo's series (approved, one a weekly rule) and their sessions of the year."""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings

from activities.models import ChildActivity, ParentActivity, ParentRole, ParentRoleKind, ParentState
from faculty.models import Person, Profession
from rss_dashboard.demo.names import BAD_NAMES, SERIES_KINDS, START_TIMES, TOPICS, WEEKDAYS


class Series:
    """Mixed into the Builder: the series and their sessions."""

    rng: random.Random
    scale: int
    now: datetime
    zone: ZoneInfo
    year: int
    current_disclosers: list[Person]

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
