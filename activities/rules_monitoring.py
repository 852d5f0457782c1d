"""Monitoring's rules: plain functions over plain values, tested without the database."""

from datetime import date, timedelta

from activities.business_days import BusinessCalendar
from activities.rules import ChildStatus, waiting_on
from disclosures.rules import CoiStatus

WAITING = {ChildStatus.INCOMPLETE, ChildStatus.IN_REVIEW, ChildStatus.PENDING}

# How far ahead and how often the monitoring jobs act (SPEC §2, §8).
REMINDER_DAYS = (5, 3)  # business days before the session (SPEC §8)
TICKET_DAYS = 3
ATTENDANCE_CATCH_UP = timedelta(days=3)
DIGEST_AHEAD = timedelta(days=28)
RENEWAL_EVERY_DAYS = 14
APPROVED_COI = {CoiStatus.APPROVED, CoiStatus.APPROVED_WITH_EXCEPTIONS}


def reminder_stage(*, session_date: date, today: date, calendar: BusinessCalendar) -> int | None:
    """3 on or after T-3 business days, 5 on or after T-5, None before T-5 or from the session day."""
    if today >= session_date:
        return None
    for days in sorted(REMINDER_DAYS):
        if today >= calendar.subtract_business_days(session_date, days):
            return days
    return None


def monitoring_horizon(today: date, calendar: BusinessCalendar) -> date:
    """Sessions on this date or later are not yet within 5 business days of today."""
    return calendar.add_business_days(today, max(REMINDER_DAYS) + 1)


def status_advice(status: str, *, office: str) -> str:
    """What the status means and who must act, in the manual's words (for reminders and digests);
    who approval waits for comes from activities.rules.waiting_on, as on the dashboard."""
    waits = waiting_on(status, office=office) if status in WAITING else ""
    return {
        ChildStatus.INCOMPLETE: (
            f"{waits}: information is missing. The coordinators must add it before {office} can "
            "review the session."
        ),
        ChildStatus.IN_REVIEW: (
            f"{waits}. No action for the coordinators, unless something is listed as missing below."
        ),
        ChildStatus.PENDING: (
            f"{waits}: all information is in. No action for the coordinators, unless something "
            "is listed as missing below."
        ),
        ChildStatus.REJECTED: (
            "The session was rejected. Remove the faculty member whose relationship cannot be "
            f"mitigated and assign someone else, or read {office}'s comment on the session."
        ),
        ChildStatus.APPROVED: "Approved for CME credit. No action needed.",
    }[ChildStatus(status)]


def renewal_reminder_number(*, today: date, year: int, start: tuple[int, int]) -> int | None:
    """0 for the first reminder (on the start date), 1 fourteen days later, ...; None outside."""
    first = date(year, *start)
    if today.year != year or today < first:
        return None
    return (today - first).days // RENEWAL_EVERY_DAYS
