"""Services: "Contact the office" on the Help page files a ticket the office works from the admin,
and emails the office through the outbox (Reply-To the sender)."""

from django.conf import settings
from django.db import transaction

from activities.models import ChildActivity, Ticket, TicketKind
from rss_dashboard.outbox import queue_email

TOPICS = {
    "disclosure": "My disclosure or a faculty member's COI",
    "approval": "A session's approval, flyer or statements",
    "credit": "Claiming credit, my transcript or a certificate",
    "account": "Signing in or my account",
    "other": "Something else",
}


@transaction.atomic
def ticket_contact(
    *,
    topic: str,
    message: str,
    name: str,
    email: str,
    child_id: int | None = None,
    by=None,
) -> Ticket:
    """The form's checks are the caller's (HelpContactForm); this files and tells the office."""
    child = ChildActivity.objects.filter(pk=child_id).first() if child_id else None
    lines = [
        f"From: {name} <{email}>" + (" (signed in)" if by is not None else " (not signed in)"),
        f"Topic: {TOPICS.get(topic, topic)}",
    ]
    if child_id:
        lines.append(f"Child ID: {child_id}" + ("" if child else " (no such session)"))
    lines += ["", message.strip()]
    ticket = Ticket.objects.create(
        kind=TicketKind.CONTACT,
        child=child,
        parent=child.parent if child else None,
        subject=f"{TOPICS.get(topic, topic)}: {name}"[:255],
        body="\n".join(lines),
        opened_by=by,
    )
    queue_email(
        event_key=f"contact:{ticket.pk}",
        kind="office_contact",
        to=[settings.OFFICE_EMAIL],
        reply_to=[email],
        template="office_contact",
        context={"ticket": ticket, "admin_url": _admin_url(ticket)},
    )
    return ticket


def _admin_url(ticket: Ticket) -> str:
    from activities.services.parents import office_admin_url

    return office_admin_url(ticket)
