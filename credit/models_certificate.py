"""Certificates anyone can verify, and the office's revocation of a claim (SPEC §14, issue 17)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from rss_dashboard import limits


class CertificateKind(models.TextChoices):
    CLAIM = "claim", "One session"
    YEAR = "year", "A year's RSS credit"


class Certificate(models.Model):
    """What a certificate PDF stood for when it was issued, under its verification code.

    A session's certificate is one per claim. A year's lists the awarded claims of that year at
    issue time (`claims`); when the year's credit grows, the next download is a new certificate
    with a new code, and the older one keeps verifying what it listed."""

    code = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=10, choices=CertificateKind.choices)
    learner = models.ForeignKey(
        "faculty.Person", on_delete=models.PROTECT, related_name="certificates"
    )
    claim = models.ForeignKey(
        "credit.Claim", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    claims = models.ManyToManyField("credit.Claim", related_name="certificates", blank=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(kind="claim"), name="certificate_one_per_claim"
            ),
            models.CheckConstraint(
                condition=(Q(kind="claim") & Q(claim__isnull=False))
                | (Q(kind="year") & Q(year__isnull=False)),
                name="certificate_kind_fields",
            ),
        ]
        indexes = [models.Index(fields=["learner", "year"], name="certificate_year_idx")]

    def __str__(self) -> str:
        return self.code


class RevocationAction(models.TextChoices):
    REVOKED = "revoked", "Revoked"
    REINSTATED = "reinstated", "Reinstated"


class ClaimRevocation(models.Model):
    """The audit of the office revoking (or reinstating) a claim's credit: who, when, why. Kept
    with the claims (6 years); never deleted."""

    claim = models.ForeignKey("credit.Claim", on_delete=models.PROTECT, related_name="revocations")
    action = models.CharField(max_length=12, choices=RevocationAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=limits.NOTE)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [limits.at_most("reason", limits.NOTE, name="claim_revocation_reason_length")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} claim {self.claim_id}"
