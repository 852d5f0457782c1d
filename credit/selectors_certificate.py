"""What the public verification page may show of a certificate: the learner's name, and per
activity its name, date and credit, with whether that credit still stands (SPEC §14)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import Certificate, Claim
from .models_certificate import CertificateKind
from .rules import state_of
from .rules_certificate import CODE_LENGTH, display_code, normalize_code


@dataclass(frozen=True)
class VerifiedLine:
    activity: str
    series: str
    day: date
    credit: Decimal
    credit_type: str
    state: str  # "valid", "revoked" or "withdrawn" (the session's credit no longer stands)

    @property
    def valid(self) -> bool:
        return self.state == "valid"


@dataclass(frozen=True)
class Verification:
    code: str
    learner_name: str
    kind: str
    year: int | None
    lines: list[VerifiedLine]

    @property
    def valid(self) -> bool:
        return bool(self.lines) and all(line.valid for line in self.lines)

    @property
    def any_revoked(self) -> bool:
        return any(line.state == "revoked" for line in self.lines)

    @property
    def valid_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines if line.valid), Decimal("0.00"))

    @property
    def shown_code(self) -> str:
        return display_code(self.code)


def _line(claim: Claim) -> VerifiedLine:
    child = claim.child
    state = state_of(claim)
    return VerifiedLine(
        activity=child.name or child.parent.name,
        series=child.parent.name,
        day=child.local_start.date(),
        credit=claim.credit_hours,
        credit_type=child.parent.credit_type,
        state="valid" if state == "awarded" else "revoked" if state == "revoked" else "withdrawn",
    )


def verification(raw_code: str) -> Verification | None:
    """None for an unknown code. Three queries whatever the certificate lists."""
    code = normalize_code(raw_code)
    if len(code) != CODE_LENGTH:
        return None
    certificate = Certificate.objects.select_related("learner").filter(code=code).first()
    if certificate is None:
        return None
    related = ("child", "child__parent")
    if certificate.kind == CertificateKind.CLAIM and certificate.claim_id is not None:
        claims = list(Claim.objects.select_related(*related).filter(pk=certificate.claim_id))
    else:
        claims = list(
            certificate.claims.select_related(*related).order_by("child__start", "id").all()
        )
    learner = certificate.learner
    return Verification(
        code=certificate.code,
        learner_name=f"{learner.first_name} {learner.last_name}".strip(),
        kind=certificate.kind,
        year=certificate.year,
        lines=[_line(c) for c in claims],
    )
