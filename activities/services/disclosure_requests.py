"""Services: ask a person for their disclosure again, with a fresh personal link (SPEC §4-5).

Faculty are asked when they are assigned (`activities.services.faculty.assignment_add`); this is everything
after that: "Resend disclosure request" on a faculty line or a person page, "Request disclosure"
for a planner (the series' coordinators and the office), and the monitoring's weekly reminder to
planners. Each request is a `DisclosureRequest` row (who asked, when) and one email through the
outbox; the dashboard shows when a missing disclosure was last requested.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from activities.models import ChildActivity, ParentActivity, ParentRole, ParentRoleKind
from disclosures.links import MAX_AGE_DAYS, disclosure_link
from disclosures.models import DisclosureRequest, DisclosureRequestKind
from disclosures.rules import is_active
from disclosures.selectors import latest_disclosures
from faculty.models import Assignment, Person
from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email

# A second request this soon after the last one is a double click, not a reminder.
REQUEST_PAUSE = timedelta(minutes=10)


class DisclosureRequestError(DomainError):
    pass


@dataclass
class DisclosureNeeds:
    """Where a person's disclosure is needed and not active: their upcoming sessions as faculty
    and the series they plan (with the first upcoming session their disclosure does not cover)."""

    sessions: list[ChildActivity] = field(default_factory=list)
    series: list[tuple[ParentActivity, ChildActivity]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sessions or self.series)


def disclosure_needs(person: Person, *, now: datetime | None = None) -> DisclosureNeeds:
    """Three queries: the person's latest disclosure, their upcoming sessions, their series."""
    now = now or timezone.now()
    latest = latest_disclosures([person.pk]).get(person.pk)
    submitted = latest.submitted_at if latest else None
    needs = DisclosureNeeds()
    for assignment in (
        Assignment.objects.current()
        .filter(person=person, child__is_active=True, child__start__gte=now)
        .select_related("child", "child__parent")
        .order_by("child__start")
    ):
        if not is_active(submitted, assignment.child.start):
            needs.sessions.append(assignment.child)
    planned = ParentRole.objects.filter(person=person, role=ParentRoleKind.PLANNER).values(
        "parent_id"
    )
    seen: set[int] = set()
    for child in (
        ChildActivity.objects.filter(parent_id__in=planned, is_active=True, start__gte=now)
        .select_related("parent")
        .order_by("start")
    ):
        if child.parent_id not in seen and not is_active(submitted, child.start):
            seen.add(child.parent_id)
            needs.series.append((child.parent, child))
    return needs


def last_request(person: Person) -> DisclosureRequest | None:
    return DisclosureRequest.objects.filter(person=person).first()


@transaction.atomic
def disclosure_request_send(
    *,
    person: Person,
    by: Person | None,
    kind: str = DisclosureRequestKind.PERSON,
    child: ChildActivity | None = None,
    parent: ParentActivity | None = None,
    now: datetime | None = None,
) -> DisclosureRequest:
    """Email the person a fresh personal link to the disclosure form, saying where it is needed.

    Refused (DisclosureRequestError): an inactive or merged account (`inactive`), nothing to ask
    for because their disclosure is active for every upcoming session they are on (`not_needed`),
    and a second request within REQUEST_PAUSE (`too_soon`). Permission is the caller's: the
    series' coordinators or the office (`disclosures.access`)."""
    now = now or timezone.now()
    locked = Person.objects.select_for_update().get(pk=person.pk)  # two clicks: one request
    if not locked.is_active or locked.merged_into_id:
        raise DisclosureRequestError(
            "inactive", f"{locked.name}'s account is not active: no request was sent."
        )
    needs = disclosure_needs(locked, now=now)
    if not needs:
        raise DisclosureRequestError(
            "not_needed",
            f"{locked.name}'s disclosure is active for every upcoming session they are on: "
            "nothing to request.",
        )
    previous = last_request(locked)
    if previous is not None and now - previous.requested_at < REQUEST_PAUSE:
        raise DisclosureRequestError(
            "too_soon",
            f"A disclosure request went to {locked.name} at {_clock(previous.requested_at)}; "
            "wait a few minutes before sending another.",
        )
    request = DisclosureRequest.objects.create(
        person=locked, kind=kind, child=child, parent=parent, requested_by=by, requested_at=now
    )
    queue_email(
        event_key=f"disclosure-request-again:{request.pk}",
        kind="disclosure_request_again",
        to=[locked.email],
        reply_to=[by.email] if by is not None and by.email else [],
        template="disclosure_request_again",
        context={
            "person": locked,
            "by": by,
            "reminder": kind == DisclosureRequestKind.REMINDER,
            "sessions": needs.sessions,
            "series": needs.series,
            "link": disclosure_link(locked),
            "link_days": MAX_AGE_DAYS,
            "form_url": f"{settings.SITE_URL}/disclosure/",
        },
    )
    return request


def _clock(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"


def disclosure_link_send(person: Person, *, now: datetime | None = None) -> None:
    """The person asked for their own link ("Email me a link" on the sign-in page, coming from
    the disclosure form): a personal link, whether or not a disclosure is needed right now."""
    now = now or timezone.now()
    queue_email(
        event_key=f"disclosure-link:{person.pk}:{now.isoformat()}",
        kind="disclosure_link",
        to=[person.email],
        template="disclosure_link",
        context={
            "person": person,
            "link": disclosure_link(person),
            "link_days": MAX_AGE_DAYS,
            "form_url": f"{settings.SITE_URL}/disclosure/",
        },
    )
