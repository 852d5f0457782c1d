"""Writes on people (SPEC §1); faculty on a child is activities/services/faculty.py."""

from django.db import IntegrityError, transaction

from rss_dashboard.errors import DomainError

from .models import Person
from .people import canonical_email, normalize_email, to_e164
from .selectors import domain_aliases, find_person_by_email  # noqa: F401 - used by callers too


class PersonError(DomainError):
    pass


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
