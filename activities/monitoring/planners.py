"""Reminders to planners whose disclosure is missing (SPEC §5, §8): everyone in control of a
session's content discloses, planners included, and nobody used to ask them.

Once a week at most per planner: to each planner of a series with an active session in the next
four weeks that their disclosure does not cover, unless someone asked them in the last seven days
(a coordinator's "Request disclosure" counts). The email is the same request the coordinators
send (`activities.services.disclosure_requests.disclosure_request_send`, kind "reminder"): a fresh personal link and
where the disclosure is needed.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from activities.models import ChildActivity, ParentRole, ParentRoleKind
from activities.rules_monitoring import DIGEST_AHEAD
from activities.services.disclosure_requests import DisclosureRequestError, disclosure_request_send
from disclosures.models import DisclosureRequest, DisclosureRequestKind
from disclosures.rules import PlannerFacts, planners_without_active_disclosure
from disclosures.selectors import latest_disclosures

REMIND_EVERY = timedelta(days=7)


def planners_to_remind(now: datetime) -> list[int]:
    """Ids of planners lacking an active disclosure for a session of the next four weeks."""
    sessions = list(
        ChildActivity.objects.filter(
            is_active=True, start__gt=now, start__lte=now + DIGEST_AHEAD
        ).values_list("parent_id", "start")
    )
    roles = list(
        ParentRole.objects.filter(
            parent_id__in={parent_id for parent_id, _ in sessions},
            role=ParentRoleKind.PLANNER,
            person__is_active=True,
            person__merged_into__isnull=True,
        ).values_list("parent_id", "person_id")
    )
    latest = latest_disclosures(person_id for _, person_id in roles)
    planners: dict[int, list[PlannerFacts]] = defaultdict(list)
    for parent_id, person_id in roles:
        facts = latest.get(person_id)
        planners[parent_id].append(
            PlannerFacts(person_id, "", facts.submitted_at if facts else None)
        )
    lacking: set[int] = set()
    for parent_id, start in sessions:
        for p in planners_without_active_disclosure(planners[parent_id], session_start=start):
            lacking.add(p.person_id)
    return sorted(lacking)


def send_planner_disclosure_reminders(now: datetime | None = None) -> int:
    """Returns how many reminders were sent; running it again within the week sends none."""
    from faculty.models import Person

    now = now or timezone.now()
    sent = 0
    for person_id in planners_to_remind(now):
        with transaction.atomic():
            person = Person.objects.select_for_update().get(pk=person_id)
            recent = DisclosureRequest.objects.filter(
                person=person, requested_at__gt=now - REMIND_EVERY
            ).exists()
            if recent:
                continue
            try:
                disclosure_request_send(
                    person=person, by=None, kind=DisclosureRequestKind.REMINDER, now=now
                )
            except DisclosureRequestError:
                continue  # nothing to ask after all (e.g. disclosed meanwhile)
            sent += 1
    return sent
