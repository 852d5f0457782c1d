"""The office answers tickets (SPEC §3): a request for a new session is fulfilled in one step
(the session is created as asked, the ticket closed, the requester emailed); any ticket can be
closed with a note. Audited by the ticket's history (who closed it, when, what was done)."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from activities.models import ChildActivity, Ticket, TicketKind, TicketState
from rss_dashboard import limits
from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email

from .children import child_create


class TicketError(DomainError):
    pass


def _check_office(user) -> None:
    if not getattr(user, "is_reviewer", False):
        raise TicketError("forbidden", "Only the office answers tickets.")


def _open_ticket(ticket_id: int) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("parent", "child", "opened_by")
        .get(pk=ticket_id)
    )
    if ticket.state != TicketState.OPEN:
        raise TicketError("closed", f"Ticket #{ticket.pk} was already closed.")
    return ticket


def _close(ticket: Ticket, *, by, resolution: str, now: datetime) -> None:
    ticket.state = TicketState.CLOSED
    ticket.closed_at = now
    ticket.closed_by = by
    ticket.resolution = resolution[: limits.NOTE]
    ticket._change_reason = f"closed by {by}: {resolution}"[:100]  # type: ignore[attr-defined]  # simple-history
    ticket.save(update_fields=["state", "closed_at", "closed_by", "resolution", "child"])
    if ticket.opened_by is not None and ticket.opened_by.is_active:
        queue_email(
            event_key=f"ticket-closed:{ticket.pk}",
            kind="ticket_closed",
            to=[ticket.opened_by.email],
            reply_to=[settings.OFFICE_EMAIL],
            template="ticket_closed",
            context={
                "ticket": ticket,
                "child": ticket.child,
                "parent": ticket.parent,
                "requester": ticket.opened_by,
                "link": f"{settings.SITE_URL}{reverse('dashboard')}?child_id={ticket.child_id}"
                if ticket.child_id
                else f"{settings.SITE_URL}{reverse('dashboard')}",
            },
        )


@transaction.atomic
def ticket_fulfil_new_child(
    *,
    ticket_id: int,
    by,
    start: datetime,
    end: datetime,
    name: str,
    location: str,
    now: datetime | None = None,
) -> ChildActivity:
    """Create the session a coordinator asked for (the office may add any duration; the series'
    year still applies: ChildError), link it to the ticket, close the ticket, email the requester.
    codes: forbidden, closed, not_new_child, no_series."""
    _check_office(by)
    now = now or timezone.now()
    ticket = _open_ticket(ticket_id)
    if ticket.kind != TicketKind.NEW_CHILD_REQUEST:
        raise TicketError("not_new_child", "Only a request for a new session adds a session.")
    if ticket.parent is None:
        raise TicketError("no_series", "This request names no series; add the session by hand.")
    child = child_create(
        parent=ticket.parent, start=start, end=end, name=name, location=location, by=by
    )
    ticket.child = child
    when = dateformat.format(child.local_start, "l, F j, Y, g:i A")
    _close(ticket, by=by, resolution=f"Added session {child.pk} on {when}.", now=now)
    return child


@transaction.atomic
def ticket_close(*, ticket_id: int, by, note: str, now: datetime | None = None) -> Ticket:
    """Close a ticket without adding anything (done elsewhere, or refused), saying why; the
    requester is emailed the note."""
    _check_office(by)
    if not note.strip():
        raise TicketError("note_required", "Say what was done; the requester reads it.")
    ticket = _open_ticket(ticket_id)
    _close(ticket, by=by, resolution=note.strip(), now=now or timezone.now())
    return ticket
