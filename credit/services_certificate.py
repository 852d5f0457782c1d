"""Certificates (issued on download) and the office's revocation of a claim (issue 17)."""

import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from rss_dashboard.errors import DomainError

from .models import Certificate, Claim
from .models_certificate import CertificateKind
from .rules import state_of
from .rules_certificate import CODE_ALPHABET, CODE_LENGTH, display_code, normalize_code  # noqa: F401


class CertificateError(DomainError):
    """codes: not_awarded, no_credit, reason_required, not_office, already_revoked, not_revoked."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _create(**fields) -> Certificate:
    for _ in range(5):  # a collision in 2^50 is not expected; never fail a learner on one
        try:
            with transaction.atomic():
                return Certificate.objects.create(code=new_code(), **fields)
        except IntegrityError:
            existing = Certificate.objects.filter(
                kind=CertificateKind.CLAIM, claim=fields.get("claim")
            ).first()
            if fields.get("kind") == CertificateKind.CLAIM and existing is not None:
                return existing  # two downloads at once: one certificate
    raise CertificateError("code_collision", "Please try again.")


def certificate_for_claim(*, learner, child_id: int, now: datetime | None = None) -> Certificate:
    """The certificate of one session's credit; the same code on every download."""
    claim = (
        Claim.objects.select_related("child", "child__parent", "learner")
        .filter(learner=learner, child_id=child_id, child__is_active=True)
        .first()
    )
    if claim is None or state_of(claim) != "awarded":
        raise CertificateError(
            "not_awarded", "A certificate is issued once the credit of the session is awarded."
        )
    existing = Certificate.objects.filter(kind=CertificateKind.CLAIM, claim=claim).first()
    certificate = existing or _create(
        kind=CertificateKind.CLAIM, claim=claim, learner=learner, issued_at=now or timezone.now()
    )
    certificate.claim = claim
    return certificate


def year_claims(learner, year: int) -> list[Claim]:
    """The awarded claims of a year (the series' year), oldest first, with sessions and series."""
    claims = (
        Claim.objects.awarded()
        .filter(learner=learner, child__parent__year=year, child__is_active=True)
        .select_related("child", "child__parent")
        .order_by("child__start", "id")
    )
    return list(claims)


def certificate_for_year(*, learner, year: int, now: datetime | None = None) -> Certificate:
    """All of a year's RSS credit on one certificate. Its code stands for the claims it lists:
    while they stay the same every download has the same code; more credit, a new code."""
    claims = year_claims(learner, year)
    if not claims:
        raise CertificateError("no_credit", f"No credit awarded in {year} yet.")
    wanted = {c.pk for c in claims}
    latest = (
        Certificate.objects.filter(kind=CertificateKind.YEAR, learner=learner, year=year)
        .order_by("-issued_at", "-id")
        .first()
    )
    if latest is not None and set(latest.claims.values_list("pk", flat=True)) == wanted:
        certificate = latest
    else:
        with transaction.atomic():
            certificate = _create(
                kind=CertificateKind.YEAR,
                learner=learner,
                year=year,
                issued_at=now or timezone.now(),
            )
            certificate.claims.set(claims)
    certificate.listed = claims  # type: ignore[attr-defined]  # the claims it lists, for the PDF
    return certificate
