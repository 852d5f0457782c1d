"""The attendee portal: public list of upcoming approved sessions and an iCalendar feed per series.

Only what a learner may see: APPROVED, active sessions of approved series; never files, faculty
emails or anything internal.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.http import Http404

from activities.models import ChildActivity, ParentActivity, ParentState
from activities.rules import ChildStatus
from faculty.people import display_phone

from .rules import session_credit, window_of, window_state

PORTAL_DAYS = 56
PORTAL_MAX_SESSIONS = 1000


def public_sessions():
    return ChildActivity.objects.filter(
        is_active=True, status=ChildStatus.APPROVED, parent__state=ParentState.APPROVED
    )


@dataclass
class PortalSeries:
    parent: ParentActivity
    sessions: list = field(default_factory=list)


def upcoming_by_series(now: datetime, query: str = "") -> list[PortalSeries]:
    """Sessions not yet over in the next PORTAL_DAYS days, grouped per series (one query)."""
    sessions = (
        public_sessions()
        .filter(end__gte=now, start__lte=now + timedelta(days=PORTAL_DAYS))
        .select_related("parent", "parent__department")
        .order_by("parent__name", "parent_id", "start", "id")
    )
    if query.strip():
        sessions = sessions.filter(parent__name__icontains=query.strip()[:100])
    grouped: dict[int, PortalSeries] = {}
    for child in sessions[:PORTAL_MAX_SESSIONS]:
        child.claim_open = window_state(window_of(child), now) == "open"
        grouped.setdefault(child.parent_id, PortalSeries(child.parent)).sessions.append(child)
    return list(grouped.values())


def public_parent(parent_id: int) -> ParentActivity:
    try:
        return ParentActivity.objects.select_related("department").get(
            pk=parent_id, state=ParentState.APPROVED
        )
    except ParentActivity.DoesNotExist:
        raise Http404("No such series.") from None


def series_calendar(parent: ParentActivity, now: datetime) -> tuple[str, str, bytes]:
    """Every approved session of the series (its year) as an RFC 5545 calendar learners subscribe
    to. Times are UTC; calendar programs show them in the reader's zone."""
    from icalendar import Calendar, Event  # loaded by a calendar feed, not in every web worker

    host = urlparse(settings.SITE_URL).hostname or "rss-dashboard"
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//RSS Dashboard//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{parent.name} ({parent.year})")
    cal.add("x-wr-timezone", parent.time_zone)
    cal.add("x-published-ttl", "PT6H")
    sessions = public_sessions().filter(parent=parent).order_by("start", "id")
    for child in sessions:
        claim_url = f"{settings.SITE_URL}/claim/{child.pk}/"
        credit = session_credit(start=child.start, end=child.end, maximum=parent.credit_hours)
        event = Event()
        event.add("uid", f"child-{child.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", child.start)
        event.add("dtend", child.end)
        event.add("summary", child.name or parent.name)
        if child.location:
            event.add("location", child.location)
        event.add(
            "description",
            f"{parent.name}. Child ID {child.pk}: text {child.pk} to {display_phone(settings.TWILIO_NUMBER)} "
            f"or go to {claim_url} to claim {credit} {parent.credit_type}."
            + (f"\n\n{child.objectives}" if child.objectives else ""),
        )
        event.add("url", claim_url)
        event.add("sequence", child.version)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    name = f"series-{parent.pk}.ics"
    return name, "text/calendar; charset=utf-8", cal.to_ical()
