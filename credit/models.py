"""Claims of credit and what surrounds them (late requests, SMS conversations)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ClaimChannel(models.TextChoices):
    SMS = "sms", "Text message"
    WEB = "web", "Website"
    QR = "qr", "QR code"
    LATE = "late", "Late claim (granted)"


class Claim(models.Model):
    """One per learner per child (enforced by the database). Kept at least 6 years; never deleted."""

    learner = models.ForeignKey("faculty.Person", on_delete=models.PROTECT, related_name="claims")
    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="claims"
    )
    claimed_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=ClaimChannel.choices)
    credit_hours = models.DecimalField(max_digits=4, decimal_places=2)
    # Set when the child is (or becomes) APPROVED; until then the credit is pending approval.
    awarded_at = models.DateTimeField(null=True, blank=True)
    # Only the office takes credit back, explicitly, with a reason the learner is told
    # (credit.services.claims_revoke). Deactivating a session does not.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "child"], name="claim_one_per_learner_child"
            ),
            models.CheckConstraint(
                condition=Q(credit_hours__gte=0), name="claim_credit_not_negative"
            ),
        ]
        # No index for the admin's newest-first list: every claim of an SMS burst would pay for
        # it; the admin lists by id, which follows claimed_at closely (credit/admin.py).
        indexes = [models.Index(fields=["child", "claimed_at"], name="claim_child_idx")]

    def __str__(self) -> str:
        return f"{self.learner} claimed {self.child_id}"


class LateClaimState(models.TextChoices):
    PENDING = "pending", "Waiting for the coordinators"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class LateClaimRequest(models.Model):
    learner = models.ForeignKey(
        "faculty.Person", on_delete=models.PROTECT, related_name="late_claims"
    )
    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="late_claims"
    )
    reason = models.TextField(max_length=1000)
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=10, choices=LateClaimState.choices, default=LateClaimState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "child"],
                condition=Q(state="pending"),
                name="late_claim_one_pending_per_learner_child",
            )
        ]

    def __str__(self) -> str:
        return f"Late claim by {self.learner} for {self.child_id}"


class SmsPendingClaim(models.Model):
    """A text from a phone not on file: the claim waits until the phone is linked by email."""

    phone = models.CharField(max_length=16, db_index=True)
    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.phone} waiting for {self.child_id}"


class SmsOptOut(models.Model):
    """STOP is honoured: no more replies to this phone until START."""

    phone = models.CharField(max_length=16, unique=True)
    opted_out_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.phone


class SmsMessage(models.Model):
    """Every inbound text and the reply sent, for support and audit."""

    phone = models.CharField(max_length=16, db_index=True)
    body = models.TextField()
    reply = models.TextField(blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    message_sid = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.phone}: {self.body[:40]}"
