"""Disclosures (what one person submits at one moment) and the office's COI reviews of them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from rss_dashboard import limits

from .rules import (
    EXCLUDING_NATURES,
    MitigationStep,
    Nature,
    OwnerEmployeeException,
    ReviewDecision,
)


class Company(models.Model):
    """The maintained list of ineligible companies people pick from (they may also type a name)."""

    name = models.CharField(max_length=255, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


class Disclosure(models.Model):
    """Never edited or deleted: a change is a new disclosure; the latest one counts."""

    person = models.ForeignKey(
        "faculty.Person", on_delete=models.PROTECT, related_name="disclosures"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    nothing_to_disclose = models.BooleanField(default=False)
    attested = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        get_latest_by = "submitted_at"
        constraints = [
            models.CheckConstraint(condition=Q(attested=True), name="disclosure_attested"),
        ]
        indexes = [
            models.Index(fields=["person", "-submitted_at"], name="disclosure_person_latest_idx")
        ]

    def __str__(self) -> str:
        return f"Disclosure of {self.person} on {self.submitted_at:%Y-%m-%d}"


class FinancialRelationship(models.Model):
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.PROTECT, related_name="relationships"
    )
    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.PROTECT)
    company_name = models.CharField(max_length=255)
    nature = models.CharField(max_length=30, choices=Nature.choices)
    has_ended = models.BooleanField(default=False)

    class Meta:
        ordering = ["company_name", "id"]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.get_nature_display()})"

    @property
    def excludes(self) -> bool:
        """Owners and employees of an ineligible company are excluded unless an exception applies."""
        return self.nature in EXCLUDING_NATURES


class CoiReview(models.Model):
    """A reviewer's decision on one assignment, against the disclosure they read. Never deleted."""

    assignment = models.ForeignKey(
        "faculty.Assignment", on_delete=models.PROTECT, related_name="reviews"
    )
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(max_length=24, choices=ReviewDecision.choices)
    relevant = models.BooleanField(
        default=False, help_text="The content relates to the company's business lines or products."
    )
    mitigation_steps = models.JSONField(default=list, blank=True)
    exception = models.CharField(
        max_length=30, choices=OwnerEmployeeException.choices, blank=True, default=""
    )
    note = models.TextField(blank=True, max_length=limits.NOTE)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["assignment", "-decided_at"], name="coireview_latest_idx")]
        constraints = [limits.at_most("note", limits.NOTE, name="coi_review_note_length")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for {self.assignment}"

    @property
    def mitigation_step_labels(self) -> list[str]:
        labels = dict(MitigationStep.choices)
        return [labels.get(step, step) for step in self.mitigation_steps]


class DisclosureRequestKind(models.TextChoices):
    FACULTY = "faculty", "Faculty of a session"
    PLANNER = "planner", "Planner of a series"
    PERSON = "person", "From the person page"
    REMINDER = "reminder", "Reminder from the monitoring"


class DisclosureRequest(models.Model):
    """One time someone (or the monitoring) asked a person for their disclosure, with a fresh
    personal link. Kept: it says on the dashboard when a missing disclosure was last requested
    and spaces out repeated requests."""

    person = models.ForeignKey(
        "faculty.Person", on_delete=models.CASCADE, related_name="disclosure_requests"
    )
    kind = models.CharField(max_length=10, choices=DisclosureRequestKind.choices)
    child = models.ForeignKey(
        "activities.ChildActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parent = models.ForeignKey(
        "activities.ParentActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-requested_at"], name="disclosurerequest_latest_idx")
        ]

    def __str__(self) -> str:
        return f"Disclosure requested from {self.person} on {self.requested_at:%Y-%m-%d}"
