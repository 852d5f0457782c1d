"""Telling the series' coordinators what the office decided (issue 14): a session approved or
rejected, a faculty member's COI rejected. Each is one email through the outbox, written in the
transaction of the decision, with what happened, the reason and what to do next; the weekly
digest repeats the week's decisions (`recent_decisions`)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from activities.models import ChildActivity, ChildReview, ParentRole, ParentRoleKind
from rss_dashboard.outbox import queue_email

APPROVED, REJECTED, COI_REJECTED = "approved", "rejected", "coi_rejected"


def decision_advice(kind: str, *, office: str, person: str = "") -> str:
    """What the coordinators do next, in the manual's words."""
    return {
        APPROVED: (
            "Approved for CME credit. Next: make the flyer (now without the DRAFT banner) and "
            "share it with the QR code; learners claim by texting the Child ID."
        ),
        REJECTED: (
            f"Read the reason, make the change it asks for (name, faculty, dates), then tell "
            f"{office} in a comment on the session so they can review it again."
        ),
        COI_REJECTED: (
            f"{office} judged a financial relationship of {person or 'a faculty member'} "
            f"immitigable for this content. Next: remove {person or 'them'} in Manage Faculty and "
            "assign another speaker (they are asked for their disclosure)."
        ),
    }[kind]


@dataclass(frozen=True)
class DecisionNotice:
    kind: str
    child: ChildActivity
    at: datetime
    by: str
    reason: str
    person: str = ""

    @property
    def headline(self) -> str:
        what = {APPROVED: "Approved", REJECTED: "Rejected"}.get(self.kind)
        if what:
            return f"{what} by {self.by}"
        return f"COI of {self.person} rejected by {self.by}"

    @property
    def advice(self) -> str:
        return decision_advice(self.kind, office=settings.OFFICE_NAME, person=self.person)


def coordinator_emails(parent_id: int) -> list[str]:
    """The series' coordinators; a series without any tells its owners."""
    found: dict[str, list[str]] = defaultdict(list)
    for role, email in ParentRole.objects.filter(
        parent_id=parent_id,
        role__in=[ParentRoleKind.COORDINATOR, ParentRoleKind.OWNER],
        person__is_active=True,
    ).values_list("role", "person__email"):
        found[role].append(email)
    return sorted(set(found[ParentRoleKind.COORDINATOR] or found[ParentRoleKind.OWNER]))


def _links(child: ChildActivity) -> dict[str, str]:
    site = settings.SITE_URL
    return {
        "dashboard_url": f"{site}/dashboard/?child_id={child.pk}",
        "flyer_url": f"{site}/children/{child.pk}/flyer/",
        "qr_url": f"{site}/children/{child.pk}/qr/",
        "faculty_url": f"{site}/children/{child.pk}/faculty/",
    }


def notify_session_decided(child: ChildActivity, review: ChildReview) -> None:
    """After `child_approve` / `child_reject`, in their transaction."""
    kind = APPROVED if review.action == ChildReview.Action.APPROVED else REJECTED
    notice = DecisionNotice(kind, child, review.at, review.reviewer.name, review.reason)
    queue_email(
        event_key=f"session-decided:{review.pk}",
        kind=f"session_{kind}",
        to=coordinator_emails(child.parent_id),
        template=f"session_{kind}",
        context={"child": child, "parent": child.parent, "notice": notice, **_links(child)},
    )


def notify_coi_rejected(reviews: Sequence) -> None:
    """After a COI decision "rejected" (one or a whole series of assignments): one email per
    session to its series' coordinators."""
    for review in reviews:
        assignment = review.assignment
        child = ChildActivity.objects.select_related("parent").get(pk=assignment.child_id)
        notice = DecisionNotice(
            COI_REJECTED,
            child,
            review.decided_at,
            review.reviewer.name,
            review.note,
            person=assignment.person.name,
        )
        queue_email(
            event_key=f"coi-rejected:{review.pk}",
            kind="coi_rejected",
            to=coordinator_emails(child.parent_id),
            template="coi_rejected",
            context={"child": child, "parent": child.parent, "notice": notice, **_links(child)},
        )


def recent_decisions(parent_ids: Iterable[int], *, since: datetime) -> list[DecisionNotice]:
    """The office's decisions on active sessions of these series since then, oldest first."""
    from disclosures.models import CoiReview
    from disclosures.rules import ReviewDecision

    ids = list(parent_ids)
    notices = [
        DecisionNotice(
            APPROVED if r.action == ChildReview.Action.APPROVED else REJECTED,
            r.child,
            r.at,
            r.reviewer.name,
            r.reason,
        )
        for r in ChildReview.objects.filter(
            Q(action=ChildReview.Action.APPROVED) | Q(action=ChildReview.Action.REJECTED),
            child__parent_id__in=ids,
            child__is_active=True,
            at__gte=since,
        ).select_related("child", "child__parent", "reviewer")
    ]
    notices += [
        DecisionNotice(
            COI_REJECTED,
            r.assignment.child,
            r.decided_at,
            r.reviewer.name,
            r.note,
            person=r.assignment.person.name,
        )
        for r in CoiReview.objects.filter(
            decision=ReviewDecision.REJECTED,
            assignment__child__parent_id__in=ids,
            assignment__child__is_active=True,
            decided_at__gte=since,
        ).select_related(
            "assignment__child", "assignment__child__parent", "assignment__person", "reviewer"
        )
    ]
    return sorted(notices, key=lambda n: (n.at, n.child.pk))
