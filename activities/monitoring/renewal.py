"""Renewal reminders to a series' owners and coordinators (SPEC §2)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from activities.models import (
    ParentActivity,
    ParentState,
)
from activities.monitoring.selectors_facts import page_link, recipients_by_parent
from activities.rules_monitoring import RENEWAL_EVERY_DAYS, renewal_reminder_number
from rss_dashboard.outbox import queue_email


def send_renewal_reminders(now: datetime | None = None) -> int:
    """From RENEWAL_REMINDER_START, every 14 days, to every approved series of the year not renewed."""
    today = timezone.localdate(now or timezone.now())
    number = renewal_reminder_number(
        today=today, year=today.year, start=settings.RENEWAL_REMINDER_START
    )
    if number is None:
        return 0
    first = date(today.year, *settings.RENEWAL_REMINDER_START)
    following = first + timedelta(days=RENEWAL_EVERY_DAYS * (number + 1))
    parents = list(
        ParentActivity.objects.filter(
            state=ParentState.APPROVED, year=today.year, renewal__isnull=True
        ).order_by("pk")
    )
    people = recipients_by_parent(p.pk for p in parents)
    sent = 0
    for parent in parents:
        recipients = people[parent.pk]
        sent += bool(
            queue_email(
                event_key=f"renewal:{parent.pk}:{number}",
                kind="renewal_reminder",
                to=recipients.coordinators + recipients.owners,
                template="renewal_reminder",
                context={
                    "parent": parent,
                    "next_year": parent.year + 1,
                    "number": number + 1,
                    "next_reminder": following if following.year == today.year else None,
                    "renew_url": page_link(
                        "parent_renew",
                        [parent.pk],
                        f"{settings.SITE_URL}/dashboard/?series={parent.pk}",
                    ),
                },
            )
        )
    return sent
