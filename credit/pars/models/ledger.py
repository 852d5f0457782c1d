"""Every learner completion record ever exported, and what the boards answered.

A record is identified by (learner, series, target, completion date); the values sent are kept
on each row, so the next export can send only what changed (as deletes and adds: PARS takes no
edits) and a board's results file can be matched to what was sent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..learner_rules import ACCEPTED, ADD, DELETE, REJECTED


class CompletionExport(models.Model):
    """One learner completion file the office made (it can be downloaded again)."""

    year = models.PositiveSmallIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    added = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Learner completions {self.year} #{self.pk}"


class CompletionRecord(models.Model):
    ACTIONS = [(ADD, "add"), (DELETE, "delete")]
    STATUSES = [("", "No answer yet"), (ACCEPTED, "Accepted"), (REJECTED, "Rejected")]
    # The values sent, in the learner file's order (pars/layouts.py).
    VALUES = (
        "accme_activity_id",
        "provider_activity_id",
        "first_name",
        "last_name",
        "birth_month",
        "birth_day",
        "completed",
        "npi",
        "license_state",
        "license_number",
        "board",
        "board_id",
        "cme_credits",
        "moc_credit_type",
        "moc_points",
    )

    export = models.ForeignKey(CompletionExport, on_delete=models.PROTECT, related_name="records")
    action = models.CharField(max_length=6, choices=ACTIONS)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "activities.ParentActivity", on_delete=models.PROTECT, related_name="+"
    )
    target = models.CharField(max_length=8)  # a Board code or "STATE"
    completed = models.DateField()
    accme_activity_id = models.CharField(max_length=12)
    provider_activity_id = models.CharField(max_length=20)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    birth_month = models.PositiveSmallIntegerField()
    birth_day = models.PositiveSmallIntegerField()
    npi = models.CharField(max_length=10, blank=True)
    license_state = models.CharField(max_length=2, blank=True)
    license_number = models.CharField(max_length=40, blank=True)
    board = models.CharField(max_length=8, blank=True)
    board_id = models.CharField(max_length=40, blank=True)
    cme_credits = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    moc_credit_type = models.CharField(max_length=100, blank=True)
    moc_points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=8, choices=STATUSES, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["parent", "learner", "target", "completed"], name="pars_record_key_idx"
            ),
            models.Index(
                fields=["-answered_at"],
                condition=models.Q(status=REJECTED, resolved_at__isnull=True),
                name="pars_record_worklist_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target} {self.learner_id} {self.completed}"

    @property
    def key(self) -> tuple:
        return (self.learner_id, self.parent_id, self.target, self.completed)

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.VALUES)


class AnswerImport(models.Model):
    """A board results file the office imported (accepted and rejected counts)."""

    file_name = models.CharField(max_length=255)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.file_name
