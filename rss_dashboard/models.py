"""The email outbox: written in the transaction of the change, sent by the worker (SPEC §12)."""

from django.db import models
from django.utils import timezone


class OutboxState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (permanent)"


class OutboxEmail(models.Model):
    # One row per event: the same event key never produces a second email.
    event_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=50, db_index=True)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=255)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=OutboxState.choices, default=OutboxState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Not before: the backoff after a transient failure.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When the row was last handed to the broker; null when that failed (broker down), so the
    # sweep knows which rows no task will ever pick up.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # The worker sending the row (compare-and-set): only the holder of the claim may finish it.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outbox email"
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject} -> {', '.join(self.to)}"
