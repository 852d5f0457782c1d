"""Emails a coordinator or owner writes from the dashboard to people of a child (SPEC §12)."""

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from activities.models import ChildActivity, ParentRole, ParentRoleKind
from faculty.models import Assignment, Person
from rss_dashboard import limits
from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email


class MessageError(DomainError):
    pass


def team(child: ChildActivity) -> list[Person]:
    """The owners and coordinators of the child's series."""
    roles = (
        ParentRole.objects.filter(
            parent_id=child.parent_id,
            role__in=[ParentRoleKind.OWNER, ParentRoleKind.COORDINATOR],
        )
        .select_related("person")
        .order_by("person__last_name_lower", "person__first_name")
    )
    people = {r.person_id: r.person for r in roles}
    return list(people.values())


def reachable_person(child: ChildActivity, person_id: int) -> Person | None:
    """A person one may write to about this child: its faculty, or its series' people."""
    faculty = Assignment.objects.current().filter(child=child, person_id=person_id)
    roles = ParentRole.objects.filter(parent_id=child.parent_id, person_id=person_id)
    if faculty.exists() or roles.exists():
        return Person.objects.filter(pk=person_id, is_active=True).first()
    return None


@transaction.atomic
def message_send(
    *,
    child: ChildActivity,
    sender: Person,
    recipients: Sequence[Person],
    subject: str,
    body: str,
    nonce: str,
    why: str,
    link: str = "",
):
    """Queue one email to the recipients; the same form submitted twice sends once (nonce)."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not recipients:
        raise MessageError("no_recipients", "There is nobody to write to.")
    if not subject:
        raise MessageError("subject_required", "Write a subject.")
    if not body:
        raise MessageError("body_required", "Write the message.")
    if len(body) > limits.MESSAGE:
        raise MessageError(
            "body_too_long", f"Keep the message under {limits.MESSAGE:,} characters."
        )
    if len(nonce) < 16:
        raise MessageError("nonce", "Reload the window and write the message again.")
    return queue_email(
        event_key=f"coordinator-message:{sender.pk}:{nonce}",
        kind="coordinator_message",
        to=[p.email for p in recipients],
        reply_to=[sender.email],
        template="coordinator_message",
        context={
            "child": child,
            "parent": child.parent,
            "sender": sender,
            "subject": subject[:200],
            "body": body,
            "why": why,
            "link": link,
            "office_name": settings.OFFICE_NAME,
        },
    )
