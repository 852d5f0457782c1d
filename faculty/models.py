"""People (one account per human) and their assignments as faculty on child activities."""

import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .choices import CoiStatus
from .people import normalize_email, sort_name


class Profession(models.TextChoices):
    PHYSICIAN = "physician", "Physician"
    NURSE = "nurse", "Nurse"
    PA = "pa", "Physician assistant"
    PHARMACIST = "pharmacist", "Pharmacist"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    OTHER = "other", "Other"


class SiteRole(models.TextChoices):
    NONE = "", "None"
    REVIEWER = "reviewer", "Reviewer (the accrediting office)"
    ADMINISTRATOR = "administrator", "Administrator (the office, IT)"


class PersonQuerySet(models.QuerySet):
    def search(self, query: str):
        """'Last, First' prefix search, as the manual asks coordinators to type."""
        from .people import split_search

        last, first = split_search(query)
        qs = self.filter(is_active=True)
        if not last:
            return qs.none()
        qs = qs.filter(last_name_lower__startswith=last)
        if first:
            qs = qs.filter(first_name__istartswith=first)
        # Sorted by lower(last_name_lower), the same order as the column: ordered by the column
        # itself, PostgreSQL walked the name index from "a" to the prefix (22,000 people before
        # "Sm" at 28,000, 9.5 ms) instead of sorting the prefix's matches (2 ms).
        return qs.order_by(Lower("last_name_lower"), "first_name", "id")


class PersonManager(BaseUserManager.from_queryset(PersonQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A person needs an email address.")
        person = self.model(email=normalize_email(email), **fields)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("site_role", SiteRole.ADMINISTRATOR)
        fields.setdefault("last_name", "Administrator")
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email=normalize_email(username))


class Person(AbstractBaseUser, PermissionsMixin):
    """One account per human, found by email. Faculty, planners, coordinators and learners alike."""

    email = models.EmailField("email", max_length=254, unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    # Kept in step with last_name on save so the prefix search uses a plain index on every database.
    last_name_lower = models.CharField(max_length=100, editable=False, db_index=True)
    credentials = models.CharField(max_length=60, blank=True, help_text="e.g. MD, PhD")
    affiliation = models.CharField(max_length=200, blank=True)
    mobile_phone = models.CharField(
        max_length=16,
        null=True,
        blank=True,
        help_text="E.164, e.g. +17345550100; used to claim credit by SMS",
    )
    profession = models.CharField(max_length=20, choices=Profession.choices, blank=True)
    site_role = models.CharField(max_length=20, choices=SiteRole.choices, blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login", "last_name_lower"])

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["last_name"]

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "people"
        ordering = ["last_name_lower", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="person_email_unique_ci"),
            models.UniqueConstraint(
                fields=["mobile_phone"],
                condition=Q(mobile_phone__isnull=False),
                name="person_mobile_phone_unique",
            ),
            models.CheckConstraint(
                condition=Q(mobile_phone__isnull=True) | Q(mobile_phone__startswith="+"),
                name="person_mobile_phone_e164",
            ),
        ]
        indexes = [models.Index(fields=["last_name_lower", "first_name"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return sort_name(self.last_name, self.first_name)

    @property
    def display_name(self) -> str:
        """'Jane Smith, MD' for flyers and emails."""
        full = f"{self.first_name} {self.last_name}".strip()
        return f"{full}, {self.credentials}" if self.credentials else full

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.is_superuser or self.site_role == SiteRole.ADMINISTRATOR)

    @property
    def is_reviewer(self) -> bool:
        return self.is_active and (self.is_administrator or self.site_role == SiteRole.REVIEWER)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.first_name or self.last_name

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        self.last_name_lower = self.last_name.strip().lower()
        self.mobile_phone = self.mobile_phone or None
        # Reviewers and administrators work in the Django admin; nobody else may enter it.
        self.is_staff = (
            self.site_role in (SiteRole.REVIEWER, SiteRole.ADMINISTRATOR) or self.is_superuser
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"email", "last_name_lower", "is_staff"}
            kwargs["update_fields"] = set(update_fields) | extra
        super().save(*args, **kwargs)


class EmailDomainAlias(models.Model):
    """jdoe@med.umich.edu is jdoe@umich.edu: adding an alias-domain address uses the canonical one."""

    alias_domain = models.CharField(max_length=253, unique=True, help_text="e.g. med.umich.edu")
    canonical_domain = models.CharField(max_length=253, help_text="e.g. umich.edu")

    class Meta:
        verbose_name_plural = "email domain aliases"
        ordering = ["alias_domain"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alias_domain=models.F("canonical_domain")),
                name="alias_domain_differs_from_canonical",
            )
        ]

    def __str__(self) -> str:
        return f"{self.alias_domain} -> {self.canonical_domain}"

    def save(self, *args, **kwargs):
        self.alias_domain = self.alias_domain.strip().lower().lstrip("@")
        self.canonical_domain = self.canonical_domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class FacultyRole(models.TextChoices):
    SPEAKER = "speaker", "Speaker"
    RESPONSIBLE = "responsible", "Responsible faculty"


def presentation_path(instance, filename: str) -> str:
    # A random name: the person's file name never reaches the file system (no traversal, no clash).
    return f"presentations/{secrets.token_hex(16)}"


class AssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


# What waits for the office in the COI review queue (SPEC §6).
REVIEW_QUEUE_STATUSES = [CoiStatus.NEEDS_REVIEW, CoiStatus.DISCLOSURE_UPDATED, CoiStatus.PENDING]


class Assignment(models.Model):
    """A person on a child activity as faculty. Removal is soft so COI decisions are never lost."""

    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="assignments"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=20, choices=FacultyRole.choices, default=FacultyRole.SPEAKER)
    request_disclosure = models.BooleanField("Request Disclosure?", default=True)
    request_presentation = models.BooleanField("Request Presentation?", default=False)
    presentation = models.FileField(upload_to=presentation_path, blank=True, max_length=200)
    presentation_name = models.CharField(max_length=255, blank=True)
    presentation_content_type = models.CharField(max_length=100, blank=True)
    presentation_token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    coi_status = models.CharField(
        max_length=24, choices=CoiStatus.choices, default=CoiStatus.INCOMPLETE, editable=False
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "person"],
                condition=Q(removed_at__isnull=True),
                name="assignment_one_current_per_person_child",
            ),
            models.CheckConstraint(
                condition=Q(coi_status__in=CoiStatus.values), name="assignment_coi_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "removed_at"], name="assignment_person_idx"),
            models.Index(fields=["added_at", "id"], name="assignment_added_idx"),  # admin list
            # The office's COI review queue (disclosures/admin_review.py): a few thousand rows
            # waiting among every assignment there ever was.
            models.Index(
                fields=["child"],
                condition=Q(removed_at__isnull=True, coi_status__in=REVIEW_QUEUE_STATUSES),
                name="assignment_review_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.child_id}"

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


# Identity (SPEC §16): sign-ins, institution accounts, likely duplicates, undoable merges.
from .models_identity import (  # noqa: E402,F401
    DistinctPeople,
    HoldSource,
    HoldState,
    LikelyDuplicate,
    PersonMerge,
    SignInMethod,
    SignInRecord,
    SsoIdentity,
)
