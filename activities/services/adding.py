"""Adding a child by hand (SPEC §3): allowed within the approval, otherwise a request to the office."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import dateformat

from activities.models import ChildActivity, ParentActivity, Ticket, TicketKind
from activities.rules import why_office_must_add
from rss_dashboard.outbox import queue_email

from .children import ChildError, check_in_parent_year, check_times, child_create


def reasons_for_office(
    parent: ParentActivity, *, start: datetime, end: datetime, needs_evaluation: bool
) -> list[str]:
    return why_office_must_add(
        duration_minutes=int((end - start).total_seconds() // 60),
        default_minutes=parent.default_duration_minutes,
        needs_evaluation=needs_evaluation,
    )


@transaction.atomic
def child_add(
    *,
    parent: ParentActivity,
    start: datetime,
    end: datetime,
    name: str = "",
    location: str | None = None,
    needs_evaluation: bool = False,
    by=None,
) -> ChildActivity:
    """A coordinator adds a session; refused (code "needs_office") when the office must do it.
    An administrator is the office: they add it directly, whatever its length."""
    check_times(start, end)
    reasons = reasons_for_office(parent, start=start, end=end, needs_evaluation=needs_evaluation)
    if reasons and not getattr(by, "is_administrator", False):
        raise ChildError("needs_office", " ".join(reasons))
    return child_create(parent=parent, start=start, end=end, name=name, location=location, by=by)


@transaction.atomic
def ticket_new_child(
    *,
    parent: ParentActivity,
    start: datetime,
    end: datetime,
    name: str = "",
    location: str = "",
    needs_evaluation: bool = False,
    note: str = "",
    by=None,
) -> Ticket:
    """File the request for a session the coordinator may not add; the office is emailed."""
    ticket = new_child_ticket(
        parent=parent,
        start=start,
        end=end,
        name=name,
        location=location,
        needs_evaluation=needs_evaluation,
        note=note,
        by=by,
    )
    queue_email(
        event_key=f"ticket-new-child:{ticket.pk}",
        kind="new_child_request",
        to=[settings.OFFICE_EMAIL],
        reply_to=[by.email] if by else [],
        template="new_child_request",
        context={"ticket": ticket, "parent": parent, "by": by},
    )
    return ticket


def new_child_ticket(
    *,
    parent: ParentActivity,
    start: datetime,
    end: datetime,
    name: str = "",
    location: str = "",
    needs_evaluation: bool = False,
    note: str = "",
    by=None,
    opened_at: datetime | None = None,
) -> Ticket:
    """The ticket of a request for a new session, without its email (the demo data uses it)."""
    check_times(start, end)
    check_in_parent_year(parent, start)
    local_start = start.astimezone(parent.zone)
    local_end = end.astimezone(parent.zone)
    reasons = reasons_for_office(parent, start=start, end=end, needs_evaluation=needs_evaluation)
    when = (
        f"{dateformat.format(local_start, 'l, F j, Y, g:i A')} to "
        f"{dateformat.format(local_end, 'g:i A')} ({parent.time_zone})"
    )
    lines = [
        f"Series: {parent.name} (Parent ID {parent.pk})",
        f"Requested by: {by.name} <{by.email}>" if by else "Requested by: (unknown)",
        f"When: {when}",
        f"Name: {name.strip() or '(not given)'}",
        f"Location: {location.strip() or parent.default_location or '(not given)'}",
        f"Needs an evaluation: {'yes' if needs_evaluation else 'no'}",
    ]
    if reasons:
        lines.append("Why the office: " + " ".join(reasons))
    if note.strip():
        lines += ["", note.strip()]
    ticket = Ticket.objects.create(
        kind=TicketKind.NEW_CHILD_REQUEST,
        parent=parent,
        subject=f"New session for {parent.name} on {dateformat.format(local_start, 'M j, Y')}"[
            :255
        ],
        body="\n".join(lines),
        opened_by=by,
        requested_start=start,
        requested_end=end,
        requested_name=name.strip()[:255],
        requested_location=(location.strip() or parent.default_location or "")[:255],
        needs_evaluation=needs_evaluation,
        **({"opened_at": opened_at} if opened_at else {}),
    )
    return ticket
