"""Writes on people and faculty assignments (SPEC §1, §4)."""

from django.db import IntegrityError, transaction

from rss_dashboard.errors import DomainError

from .models import EmailDomainAlias, Person
from .people import canonical_email, email_candidates, normalize_email, to_e164


class PersonError(DomainError):
    pass


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


@transaction.atomic
def person_create(
    *,
    email: str,
    last_name: str,
    first_name: str = "",
    credentials: str = "",
    affiliation: str = "",
    mobile_phone: str = "",
    profession: str = "",
    password: str | None = None,
) -> Person:
    """Create a person on the canonical domain; an existing account is refused, never duplicated."""
    email = normalize_email(email)
    if not email or "@" not in email:
        raise PersonError("invalid_email", "Enter a valid email address.")
    if not last_name.strip():
        raise PersonError("last_name_required", "Enter the last name.")
    existing = find_person_by_email(email)
    if existing is not None:
        raise PersonError(
            "exists",
            f"{existing.name} already has an account as {existing.email}; use that account "
            "instead of creating a second one.",
        )
    phone = None
    if mobile_phone.strip():
        phone = to_e164(mobile_phone)
        if phone is None:
            raise PersonError("invalid_phone", f"{mobile_phone!r} is not a valid phone number.")
        if Person.objects.filter(mobile_phone=phone).exists():
            raise PersonError("phone_taken", "That mobile phone is already on another account.")
    try:
        return Person.objects.create_user(
            canonical_email(email, domain_aliases()),
            password,
            last_name=last_name.strip(),
            first_name=first_name.strip(),
            credentials=credentials.strip(),
            affiliation=affiliation.strip(),
            mobile_phone=phone,
            profession=profession,
        )
    except IntegrityError:
        raise PersonError("exists", "That email address already has an account.") from None
