"""Reads of disclosures and decisions for the other screens (dashboard, flyer, admin, status).

"The latest disclosure of a person" is defined once, here: `newest_disclosure()` (the ordering,
usable as a subquery column) and `latest_disclosures(person_ids)` (the batched loader built on it).
The status engine, the dashboard, Manage Faculty, the monitoring emails, the review screens and the
flyer all read through these, so "latest", "active" and the display lines are decided in one place
(`disclosures/rules.py`). Everything works in bulk with a fixed number of queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import Disclosure, FinancialRelationship
from .rules import (
    DisclosureFacts,
    Nature,
    disclosure_summary,
    is_active,
)

# Newest first; on equal timestamps the later row wins.
NEWEST_FIRST = ("-submitted_at", "-id")


@dataclass(frozen=True)
class DisclosureLines:
    """What the dashboard shows under a person's name (SPEC §5)."""

    person_id: int
    disclosure_id: int | None
    submitted_at: datetime | None  # aware; None when no disclosure is on file
    nothing_to_disclose: bool
    relationships: tuple[tuple[str, str], ...]  # (company, nature label), as disclosed
    submitted_line: str  # "Disclosure submitted: Jan 5, 2026" or "Disclosure submitted: N/A"
    disclosure_line: str  # "Disclosure: NO DISCLOSURE ON FILE" / "Nothing to disclose - ..." / list

    def is_active_for(self, session_start: datetime) -> bool:
        return is_active(self.submitted_at, session_start)


def newest_disclosure(person=None) -> QuerySet[Disclosure]:
    """The disclosures of `person` (an id, or by default `OuterRef("person_id")`), newest first.

    `.first()` is the person's latest disclosure; `Subquery(newest_disclosure().values("id")[:1])`
    puts it beside each row of a query on assignments, roles or people.
    """
    person = OuterRef("person_id") if person is None else person
    return Disclosure.objects.filter(person_id=person).order_by(*NEWEST_FIRST)


def latest_disclosures(person_ids: Iterable[int]) -> dict[int, DisclosureFacts]:
    """The latest disclosure of each person as plain facts; one query for any number of people.

    People without a disclosure are not in the result.
    """
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        return {}
    rows = (
        Disclosure.objects.filter(
            person_id__in=ids, id=Subquery(newest_disclosure().values("id")[:1])
        )
        .annotate(
            has_relationships=Exists(
                FinancialRelationship.objects.filter(disclosure_id=OuterRef("pk"))
            )
        )
        .order_by()
        .values_list("id", "person_id", "submitted_at", "nothing_to_disclose", "has_relationships")
    )
    return {
        person_id: DisclosureFacts(
            id=pk,
            submitted_at=at,
            has_relationships=has_relationships,
            nothing_to_disclose=nothing,
        )
        for pk, person_id, at, nothing, has_relationships in rows
    }


def disclosure_lines_for(person_ids: Iterable[int]) -> dict[int, DisclosureLines]:
    """The latest disclosure of each person as display facts; two queries for any number.

    Every id asked for is in the result (people without a disclosure get the N/A lines). Dates
    in the lines are in the site's time zone.
    """
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        return {}
    latest = latest_disclosures(ids)
    relationships: dict[int, list[tuple[str, str]]] = {}
    natures = dict(Nature.choices)
    for disclosure_id, company, nature in (
        FinancialRelationship.objects.filter(
            disclosure_id__in=[d.id for d in latest.values() if d.has_relationships]
        )
        .order_by("company_name", "id")
        .values_list("disclosure_id", "company_name", "nature")
    ):
        relationships.setdefault(disclosure_id, []).append((company, natures.get(nature, nature)))
    result = {}
    for person_id in ids:
        d = latest.get(person_id)
        rels = tuple(relationships.get(d.id, ())) if d else ()
        submitted, line = disclosure_summary(
            submitted_at=timezone.localtime(d.submitted_at) if d else None,
            nothing_to_disclose=bool(d and d.nothing_to_disclose),
            relationships=rels,
        )
        result[person_id] = DisclosureLines(
            person_id=person_id,
            disclosure_id=d.id if d else None,
            submitted_at=d.submitted_at if d else None,
            nothing_to_disclose=bool(d and d.nothing_to_disclose),
            relationships=rels,
            submitted_line=submitted,
            disclosure_line=line,
        )
    return result


# The stored COI statuses a faculty member's listed relationships can only reach through a
# reviewer's mitigation or approval.
