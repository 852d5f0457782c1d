"""Series (parent activities), their sessions (child activities) and what happens around them."""

import secrets
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from faculty.models import Assignment, Profession
from rss_dashboard import limits

from .choices import ChildFileKind, ParentState, TicketKind, TicketState
from .queries import ChildActivityQuerySet
from .rules import VIEW_ROLES, ChildDecision, ChildStatus, ParentRoleKind, sees_everything  # noqa: F401


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. America/Detroit).")


def validate_professions(value) -> None:
    if not isinstance(value, list) or any(p not in Profession.values for p in value):
        raise ValidationError(f"Professions must be a list of: {', '.join(Profession.values)}.")


class Department(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


class ParentActivity(models.Model):
    """The series for one calendar year. Its primary key is the Parent ID."""

    name = models.CharField("series name", max_length=255)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="parents")
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    state = models.CharField(max_length=20, choices=ParentState.choices, default=ParentState.DRAFT)
    default_location = models.CharField(max_length=255, blank=True)
    default_start_time = models.TimeField(null=True, blank=True)
    default_duration_minutes = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    recurrence = models.TextField(
        blank=True,
        max_length=limits.RECURRENCE,
        help_text="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TH (times from the default start)",
    )
    exception_dates = models.JSONField(default=list, blank=True, help_text="ISO dates to skip")
    specialties = models.ManyToManyField(Specialty, blank=True, related_name="parents")
    professions = models.JSONField(default=list, blank=True, validators=[validate_professions])
    credit_hours = models.DecimalField(
        "credit hours per session",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    credit_type = models.CharField(max_length=100, default="AMA PRA Category 1 Credit(TM)")
    renewed_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewal"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "year"]
        verbose_name = "parent activity"
        verbose_name_plural = "parent activities"
        constraints = [
            models.CheckConstraint(condition=Q(credit_hours__gt=0), name="parent_credit_positive"),
            limits.at_most("recurrence", limits.RECURRENCE, name="parent_recurrence_length"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class ParentRole(models.Model):
    parent = models.ForeignKey(ParentActivity, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(
        "faculty.Person", on_delete=models.CASCADE, related_name="parent_roles"
    )
    role = models.CharField(max_length=20, choices=ParentRoleKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "person__last_name_lower"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "person", "role"], name="parent_role_unique")
        ]
        indexes = [models.Index(fields=["person", "role"], name="parent_role_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} - {self.get_role_display()} of {self.parent}"


class ChildActivity(models.Model):
    """One session. Its primary key is the Child ID that learners text: short, never reused
    (children are deactivated, never deleted, and the id sequence never goes back)."""

    id = models.AutoField("Child ID", primary_key=True)
    parent = models.ForeignKey(ParentActivity, on_delete=models.PROTECT, related_name="children")
    name = models.CharField("name (the topic)", max_length=255, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    location = models.CharField(max_length=255, blank=True)
    objectives = models.TextField(blank=True, max_length=limits.OBJECTIVES)
    texting_minutes_prior = models.PositiveIntegerField(
        "allow texting minutes prior", default=30, validators=[MaxValueValidator(7 * 24 * 60)]
    )
    texting_minutes_after = models.PositiveIntegerField(
        "allow texting minutes after", default=10_000, validators=[MaxValueValidator(60 * 24 * 60)]
    )
    specialties = models.ManyToManyField(Specialty, blank=True, related_name="children")
    professions = models.JSONField(default=list, blank=True, validators=[validate_professions])
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    # Derived by activities.services.status; never typed in.
    status = models.CharField(
        max_length=20, choices=ChildStatus.choices, default=ChildStatus.INCOMPLETE, editable=False
    )
    name_needs_update = models.BooleanField(default=True, editable=False)
    three_by_five_due = models.DateField(null=True, editable=False)
    requirements_met_on = models.DateField(null=True, blank=True, editable=False)
    planners_without_disclosure = models.CharField(max_length=1000, blank=True, editable=False)
    status_computed_at = models.DateTimeField(null=True, editable=False)

    # The office's decision on the child (the history is in ChildReview).
    decision = models.CharField(
        max_length=20, choices=ChildDecision.choices, blank=True, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A reviewer may clear a wrong "name needs update" flag; the reason is kept.
    name_flag_cleared_for = models.CharField(max_length=255, blank=True, editable=False)
    name_flag_cleared_reason = models.CharField(max_length=500, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["status_computed_at", "updated_at"])

    objects = ChildActivityQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        verbose_name = "child activity"
        verbose_name_plural = "child activities"
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="child_end_after_start"),
            limits.at_most("objectives", limits.OBJECTIVES, name="child_objectives_length"),
            models.CheckConstraint(
                condition=Q(status__in=ChildStatus.values), name="child_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", *ChildDecision.values]), name="child_decision_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["is_active", "start"], name="child_active_start_idx"),
            models.Index(fields=["parent", "start"], name="child_parent_start_idx"),
            models.Index(fields=["status", "start"], name="child_status_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.name or '(no name)'}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.start.astimezone(self.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.zone)

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def delete(self, *args, **kwargs):
        raise ValidationError(
            "Child activities are deactivated, never deleted (their IDs are never reused)."
        )


def child_file_path(instance, filename: str) -> str:
    return f"child-files/{secrets.token_hex(16)}"


class ChildFile(models.Model):
    child = models.ForeignKey(ChildActivity, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=20, choices=ChildFileKind.choices)
    file = models.FileField(upload_to=child_file_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ChildReview(models.Model):
    """Every approval, rejection or name-flag clearance of a child, kept for audit."""

    class Action(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        NAME_FLAG_CLEARED = "name_flag_cleared", "Cleared the name flag"

    child = models.ForeignKey(ChildActivity, on_delete=models.PROTECT, related_name="reviews")
    action = models.CharField(max_length=20, choices=Action.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=limits.NOTE)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [limits.at_most("reason", limits.NOTE, name="child_review_reason_length")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.child_id} by {self.reviewer}"


class Comment(models.Model):
    """A short thread on a child between its coordinators and the office."""

    child = models.ForeignKey(ChildActivity, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_office = models.BooleanField(default=False)
    body = models.TextField(max_length=limits.COMMENT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [limits.at_most("body", limits.COMMENT, name="comment_body_length")]

    def __str__(self) -> str:
        return f"Comment on {self.child_id} by {self.author}"


class Ticket(models.Model):
    kind = models.CharField(max_length=20, choices=TicketKind.choices)
    state = models.CharField(max_length=20, choices=TicketState.choices, default=TicketState.OPEN)
    parent = models.ForeignKey(
        ParentActivity, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    child = models.ForeignKey(
        ChildActivity, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    subject = models.CharField(max_length=255)
    body = models.TextField(blank=True, max_length=limits.TICKET)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(
        blank=True,
        max_length=limits.NOTE,
        help_text="What the office did; the requester is told when it is closed.",
    )
    # A request for a new session, as asked (the office fulfils it in one step from these).
    requested_start = models.DateTimeField(null=True, blank=True)
    requested_end = models.DateTimeField(null=True, blank=True)
    requested_name = models.CharField(max_length=255, blank=True)
    requested_location = models.CharField(max_length=255, blank=True)
    needs_evaluation = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # The automatic ticket is opened once per child, however often the job runs.
            models.UniqueConstraint(
                fields=["child", "kind"],
                condition=Q(kind="not_approved"),
                name="ticket_one_not_approved_per_child",
            ),
            limits.at_most("body", limits.TICKET, name="ticket_body_length"),
            limits.at_most("resolution", limits.NOTE, name="ticket_resolution_length"),
        ]

    def __str__(self) -> str:
        return self.subject


class ClosureDay(models.Model):
    """Days the office is closed, on top of public holidays; they are not business days."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


# --- The office's screens in the admin: proxies of the rows they list (no tables) ----------


class ReviewQueueItem(Assignment):
    """An assignment waiting for the office: NEEDS REVIEW, DISCLOSURE UPDATED or PENDING."""

    class Meta:
        proxy = True
        verbose_name = "COI review queue item"
        verbose_name_plural = "COI review queue"


class ApprovalQueueItem(ChildActivity):
    """A session as the office sees it when approving."""

    class Meta:
        proxy = True
        verbose_name = "session approval"
        verbose_name_plural = "Session approvals"


class PlannerDisclosure(ParentRole):
    """A planner of a series, with whether their disclosure covers the upcoming sessions."""

    class Meta:
        proxy = True
        verbose_name = "planner disclosure"
        verbose_name_plural = "Planners without an active disclosure"
