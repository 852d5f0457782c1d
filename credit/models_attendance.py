"""Attendance from other sources (SPEC §15, issue 18): imports of participant reports and
rosters, and the check-in kiosk at the room's door. Imported into `credit.models`."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .rules_attendance import DEFAULT_MINIMUM_PERCENT


class AttendanceSettings(models.Model):
    """Per series: the share of a session's length a participant must attend for the credit."""

    parent = models.OneToOneField(
        "activities.ParentActivity", on_delete=models.CASCADE, related_name="attendance_settings"
    )
    minimum_percent = models.PositiveSmallIntegerField(
        "minimum attendance (% of the session's length)",
        default=DEFAULT_MINIMUM_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "attendance settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_percent__gte=1, minimum_percent__lte=100),
                name="attendance_minimum_percent_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent_id}: {self.minimum_percent}%"


class ImportSource(models.TextChoices):
    ZOOM = "zoom", "Zoom participant report"
    TEAMS = "teams", "Teams attendance report"
    ROSTER = "roster", "Sign-in roster"


def attendance_file_path(instance, filename: str) -> str:
    # A random name: the coordinator's file name never reaches the file system.
    return f"attendance/imports/{secrets.token_hex(16)}"


class AttendanceImport(models.Model):
    """One file imported on one session: who, when, the file (kept) and its hash, and counts.

    The same file is imported once per session (the database's constraint on the hash, unless
    that import was undone). Undone as a whole: its claims are voided, not deleted."""

    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="attendance_imports"
    )
    source = models.CharField(max_length=10, choices=ImportSource.choices)
    file = models.FileField(upload_to=attendance_file_path, max_length=200)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    minimum_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    minimum_minutes = models.PositiveIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    below_minimum = models.PositiveIntegerField(default=0)
    already_claimed = models.PositiveIntegerField(default=0)
    claims_created = models.PositiveIntegerField(default=0)
    unreadable_rows = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "sha256"],
                condition=Q(undone_at__isnull=True),
                name="attendance_import_file_once",
            )
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} on {self.child_id} ({self.source})"


class EntryOutcome(models.TextChoices):
    CLAIMED = "claimed", "Claim created"
    ALREADY = "already_claimed", "Already claimed"
    BELOW = "below_minimum", "Below the minimum"
    UNMATCHED = "unmatched", "Matches nobody"
    AMBIGUOUS = "ambiguous", "Matches several people"
    UNREADABLE = "unreadable", "Times unreadable"
    REFUSED = "refused", "Refused"


TO_CONFIRM = (EntryOutcome.UNMATCHED, EntryOutcome.AMBIGUOUS)


class AttendanceEntry(models.Model):
    """One person of an import (their rows of the file taken together) and what came of it."""

    import_run = models.ForeignKey(
        AttendanceImport, on_delete=models.PROTECT, related_name="entries"
    )
    name = models.CharField(max_length=255, blank=True)
    emails = models.JSONField(default=list, blank=True)
    lines = models.JSONField(default=list, blank=True)
    # Join/leave pairs as ISO strings, kept to recompute the minutes when a coordinator confirms.
    intervals = models.JSONField(default=list, blank=True)
    extra_seconds = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    candidates = models.JSONField(default=list, blank=True)  # person ids to choose from
    person = models.ForeignKey(
        "faculty.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(
        "credit.Claim", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=EntryOutcome.choices)
    message = models.CharField(max_length=300, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "attendance entries"
        indexes = [models.Index(fields=["import_run", "outcome"], name="attendance_entry_outcome")]

    def __str__(self) -> str:
        return f"{self.name or ', '.join(self.emails)}: {self.outcome}"


class Kiosk(models.Model):
    """A check-in page for one session, opened by a coordinator on a tablet at the door. Reached
    by an unguessable link (only its SHA-256 is stored); expires, and may be closed earlier."""

    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="kiosks"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Kiosk {self.pk} for {self.child_id}"

    @property
    def open_until(self):
        return min(self.closed_at, self.expires_at) if self.closed_at else self.expires_at


class KioskCheckIn(models.Model):
    """One check-in at a kiosk. `key` is made by the tablet for each check-in and sent with
    every retry: the database keeps one row per key, so a check-in queued during a network loss
    and sent twice is recorded once."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, related_name="check_ins")
    key = models.CharField(max_length=64)
    typed = models.CharField(max_length=254, blank=True)
    person = models.ForeignKey(
        "faculty.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(
        "credit.Claim", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=EntryOutcome.choices)
    message = models.CharField(max_length=300, blank=True)
    checked_in_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kiosk", "key"], name="kiosk_check_in_once")]

    def __str__(self) -> str:
        return f"{self.typed or self.person_id} at kiosk {self.kiosk_id}: {self.outcome}"
