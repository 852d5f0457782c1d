"""Reads of people: the account behind an email address (through domain aliases and merges)."""

from .models import EmailDomainAlias, Person
from .people import canonical_email, email_candidates, normalize_email


def domain_aliases() -> dict[str, str]:
    return dict(EmailDomainAlias.objects.values_list("alias_domain", "canonical_domain"))


def find_person_by_email(email: str) -> Person | None:
    """The existing account for an address, looking through domain aliases both ways."""
    aliases = domain_aliases()
    email = normalize_email(email)
    matches = list(Person.objects.filter(email__in=email_candidates(email, aliases)))
    if not matches:
        return None
    # Prefer the canonical spelling when, historically, both exist.
    canon = canonical_email(email, aliases)
    found = next((p for p in matches if p.email == canon), matches[0])
    # A merged duplicate keeps its address; it leads to the account it was merged into.
    for _ in range(10):
        if found.merged_into_id is None:
            break
        found = Person.objects.get(pk=found.merged_into_id)
    return found
