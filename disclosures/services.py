"""Writes on disclosures (SPEC §5). A submission announces itself (`disclosure_submitted`) and
activities recomputes the stored statuses in the same transaction, so the coordinators' dashboard
shows the change on its next load. COI reviews of assignments are written by
`activities/services/coi_reviews.py`. Reads live in `disclosures/selectors.py` (some are re-exported
here: `disclosure_lines_for`, `latest_disclosures`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from faculty.models import Person
from rss_dashboard.errors import DomainError

from .models import Company, Disclosure, FinancialRelationship
from .rules import (
    Nature,
    owner_employee_problems,
)
from .selectors import (  # noqa: F401 - the documented read API of this module
    DisclosureLines,
    disclosure_lines_for,
    latest_disclosures,
    newest_disclosure,
)
from .signals import disclosure_submitted

# Two identical submissions this close together are one double-click, not two disclosures.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


class DisclosureError(DomainError):
    pass


@dataclass(frozen=True)
class RelationshipInput:
    company_name: str
    nature: str
    has_ended: bool = False


def _relationship_key(company: str, nature: str, ended: bool) -> tuple[str, str, bool]:
    return (" ".join(company.split()).lower(), nature, bool(ended))


@transaction.atomic
def disclosure_submit(
    *,
    person,
    relationships: Sequence[RelationshipInput],
    nothing_to_disclose: bool,
    attested: bool,
    is_owner: bool | None = None,
    is_employee: bool | None = None,
    by=None,
    now: datetime | None = None,
) -> Disclosure:
    """Record a disclosure and recompute every assignment of the person and their children.

    `is_owner`/`is_employee` are the form's two questions; when given they must agree with the
    relationships listed. Resubmitting the same content within two minutes returns the first
    disclosure (a double click must not reopen reviews as DISCLOSURE UPDATED).
    """
    now = now or timezone.now()
    if not attested:
        raise DisclosureError("not_attested", "Confirm the attestation to submit the disclosure.")
    if nothing_to_disclose and relationships:
        raise DisclosureError(
            "contradiction", "Either list relationships or choose nothing to disclose, not both."
        )
    if not nothing_to_disclose and not relationships:
        raise DisclosureError(
            "empty", "List at least one relationship, or choose nothing to disclose."
        )
    for rel in relationships:
        if not rel.company_name.strip():
            raise DisclosureError("company_required", "Every relationship needs a company name.")
        if rel.nature not in Nature.values:
            raise DisclosureError(
                "nature_invalid", f"{rel.nature!r} is not a known kind of relationship."
            )
    # The same relationship typed twice is one relationship.
    unique: dict[tuple[str, str, bool], RelationshipInput] = {}
    for rel in relationships:
        unique.setdefault(_relationship_key(rel.company_name, rel.nature, rel.has_ended), rel)
    relationships = list(unique.values())
    problems = owner_employee_problems(
        is_owner=is_owner, is_employee=is_employee, natures=[r.nature for r in relationships]
    )
    if problems:
        raise DisclosureError("owner_employee_mismatch", " ".join(problems))

    # One submission at a time per person: the lock makes the double-submit check reliable.
    Person.objects.select_for_update().only("pk").get(pk=person.pk)
    previous = (
        Disclosure.objects.filter(person=person, submitted_at__gte=now - DOUBLE_SUBMIT_WINDOW)
        .prefetch_related("relationships")
        .order_by("-submitted_at", "-id")
        .first()
    )
    wanted = sorted(_relationship_key(r.company_name, r.nature, r.has_ended) for r in relationships)
    if previous is not None and previous.nothing_to_disclose == nothing_to_disclose:
        had = sorted(
            _relationship_key(r.company_name, r.nature, r.has_ended)
            for r in previous.relationships.all()
        )
        if had == wanted:
            return previous

    disclosure = Disclosure.objects.create(
        person=person,
        submitted_at=now,
        nothing_to_disclose=nothing_to_disclose,
        attested=True,
        submitted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    names = {" ".join(r.company_name.split()) for r in relationships}
    known: dict[str, Company] = {}
    if names:
        query = Q()
        for name in names:
            query |= Q(name__iexact=name)
        known = {c.name.lower(): c for c in Company.objects.filter(query)}
    rows = []
    for rel in relationships:
        typed = " ".join(rel.company_name.split())[:255]
        company = known.get(typed.lower())
        rows.append(
            FinancialRelationship(
                disclosure=disclosure,
                company=company,
                company_name=company.name if company else typed,
                nature=rel.nature,
                has_ended=rel.has_ended,
            )
        )
    FinancialRelationship.objects.bulk_create(rows)
    # The statuses of the person's sessions recompute in this transaction (activities listens).
    disclosure_submitted.send(sender=Disclosure, person_id=person.pk, disclosure=disclosure)
    return disclosure


def latest_disclosure(person) -> Disclosure | None:
    """The person's latest disclosure as a model with its relationships (the review screens);
    "latest" is `reads.newest_disclosure`, the ordering every batched read uses."""
    return newest_disclosure(person.pk).prefetch_related("relationships").first()


# --- COI reviews ----------------------------------------------------------------------------


def stale_disclosure_message(person_name: str) -> str:
    return (
        f"{person_name} submitted a newer disclosure while you were reviewing. "
        "Read it and decide again."
    )
