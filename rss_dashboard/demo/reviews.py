"""The demo's faculty on sessions, COI reviews and approvals, and the learners' claims."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from activities.models import ChildReview
from activities.rules import ChildDecision, name_needs_update
from credit.models import Claim, ClaimChannel
from credit.rules import session_credit
from disclosures.models import CoiReview, Disclosure
from disclosures.rules import MitigationStep, OwnerEmployeeException, ReviewDecision
from faculty.models import Assignment, FacultyRole
from rss_dashboard.db import bulk_update_rows


class Reviews:
    """Mixed into the Builder: assignments, reviews, decisions, claims."""

    rng: random.Random
    scale: int
    now: datetime
    latest_disclosure: dict[int, Disclosure]
    relationship_people: set[int]
    owners_of_companies: set[int]

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
                        year=c.parent.year,
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
