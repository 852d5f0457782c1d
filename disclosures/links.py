"""Personal links to the disclosure form: signed, expiring, for one person only."""

from django.conf import settings
from django.core import signing

SALT = "disclosures.personal-link"
MAX_AGE_DAYS = 30


def disclosure_token(person) -> str:
    # The email is part of the payload so a link dies if the account's address changes (merge).
    return signing.TimestampSigner(salt=SALT).sign_object({"p": person.pk, "e": person.email})


def disclosure_link(person) -> str:
    return f"{settings.SITE_URL}/disclosure/?t={disclosure_token(person)}"


def person_id_from_token(token: str) -> tuple[int, str]:
    """(person id, email) from a valid token; raises signing.BadSignature / SignatureExpired."""
    data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE_DAYS * 86400)
    return int(data["p"]), str(data["e"])
