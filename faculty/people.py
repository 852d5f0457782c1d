"""Plain helpers for people's emails, names and phones (no database)."""

import phonenumbers
from django.conf import settings


def normalize_email(email: str) -> str:
    """One spelling per address: trimmed and lower-cased (SPEC §1 compares case-insensitively)."""
    return (email or "").strip().lower()


def email_domain(email: str) -> str:
    return normalize_email(email).rpartition("@")[2]


def canonical_email(email: str, aliases: dict[str, str]) -> str:
    """The address on the canonical domain, e.g. jdoe@med.umich.edu -> jdoe@umich.edu."""
    email = normalize_email(email)
    local, _, domain = email.rpartition("@")
    if domain in aliases:
        return f"{local}@{aliases[domain]}"
    return email


def email_candidates(email: str, aliases: dict[str, str]) -> set[str]:
    """Every spelling of an address across the domain aliases, both ways: jdoe@med.umich.edu
    may be on file as jdoe@umich.edu and the other way round."""
    email = normalize_email(email)
    candidates = {email, canonical_email(email, aliases)}
    local, _, domain = email.rpartition("@")
    canonical_domain = aliases.get(domain, domain)
    candidates |= {
        f"{local}@{alias}" for alias, canon in aliases.items() if canon == canonical_domain
    }
    return candidates


def sort_name(last_name: str, first_name: str) -> str:
    last, first = last_name.strip(), first_name.strip()
    return f"{last}, {first}" if first else last


def split_search(query: str) -> tuple[str, str]:
    """'Smith, J' -> ('smith', 'j'); 'Smith' -> ('smith', ''). Names are searched last name first."""
    last, _, first = (query or "").partition(",")
    return last.strip().lower(), first.strip().lower()


def to_e164(phone: str, region: str | None = None) -> str | None:
    """The phone in E.164, or None when it is not a valid number."""
    if not phone or not phone.strip():
        return None
    try:
        parsed = phonenumbers.parse(phone, region or settings.SMS_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed) and not _is_demo_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """One way to write a phone number everywhere people read it (issue 14): "(734) 555-0000"
    for a number of the site's own region (SMS_DEFAULT_REGION), "+44 20 ..." otherwise; the text
    as given when it does not parse."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, settings.SMS_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    region = phonenumbers.region_code_for_country_code(number.country_code)
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == settings.SMS_DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def _is_demo_number(parsed: phonenumbers.PhoneNumber) -> bool:
    # 555-01xx numbers are reserved for fiction; phonenumbers calls them invalid, but demo data and
    # tests use them (the demo learner is +1 734 555 0100).
    national = str(parsed.national_number)
    return parsed.country_code == 1 and len(national) == 10 and national[3:7] == "5550"
