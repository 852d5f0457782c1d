"""When is a new account a likely duplicate of an existing person (SPEC §16)? Plain values only.

The same email (through the institution's alias domains) is not a likely duplicate: it IS the
account, and every path uses it (registration proposes signing in, SSO links to it). A likely
duplicate is a different address that points to the same human:
- the same NPI;
- the same name (last name, and the first word of the first name, accents and case ignored)
  and the same birth month and day;
- the same name and the same mailbox name before the @ on another domain
  (jdoe@med.umich.edu and jdoe@umich.edu when the alias is not configured).
"""

import unicodedata
from dataclasses import dataclass

REASON_TEXT = {
    "npi": "the same NPI",
    "name_birthday": "the same name and birth month and day",
    "name_email": "the same name and the same email before the @",
}


@dataclass(frozen=True)
class Identity:
    """What is known about someone: a new applicant, or an existing person."""

    email: str
    last_name: str
    first_name: str = ""
    npi: str = ""
    birth_month: int | None = None
    birth_day: int | None = None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if c.isalnum()).lower()


def name_key(last_name: str, first_name: str) -> tuple[str, str]:
    """('doe', 'jane') for "Doe", "Jane A."; ('', '') when there is no last name."""
    last = _fold(last_name)
    words = (first_name or "").split()
    return (last, _fold(words[0]) if words else "") if last else ("", "")


def same_name(a: Identity, b: Identity) -> bool:
    key_a, key_b = name_key(a.last_name, a.first_name), name_key(b.last_name, b.first_name)
    return bool(key_a[0]) and bool(key_a[1]) and key_a == key_b


def mailbox(email: str) -> tuple[str, str]:
    """('jdoe', 'umich.edu') for 'JDoe+cme@UMich.edu': the local part without a +tag."""
    local, _, domain = (email or "").strip().lower().rpartition("@")
    return local.split("+", 1)[0], domain


def match_reasons(applicant: Identity, person: Identity) -> list[str]:
    """Why `applicant` is likely `person` (empty: no reason to think so)."""
    reasons = []
    if applicant.npi and applicant.npi == person.npi:
        reasons.append("npi")
    if same_name(applicant, person):
        if (
            applicant.birth_month
            and applicant.birth_day
            and (applicant.birth_month, applicant.birth_day)
            == (person.birth_month, person.birth_day)
        ):
            reasons.append("name_birthday")
        (local_a, domain_a), (local_b, domain_b) = mailbox(applicant.email), mailbox(person.email)
        if local_a and local_a == local_b and domain_a != domain_b:
            reasons.append("name_email")
    return reasons


def describe(reasons: list[str]) -> str:
    return ", ".join(REASON_TEXT.get(r, r) for r in reasons)
