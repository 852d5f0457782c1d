"""What PARS needs about a series-year beyond what the series already has (SPEC §13)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..codes import Board, Fee, InKind, Providership, Registration, SupportKind, YesNo
from ..rules import MAX_DESCRIPTION

accme_activity_id = RegexValidator(
    r"^\d{1,12}$", "ACCME Activity IDs are digits (PARS gives them)."
)


class SeriesReport(models.Model):
    """The PARS fields of one series (a parent is one calendar year). Coordinators fill what
    they know; the office completes and locks. Counts and hours are never typed: they come from
    the sessions and claims."""

    parent = models.OneToOneField(
        "activities.ParentActivity", on_delete=models.CASCADE, related_name="pars"
    )
    description = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_DESCRIPTION)])
    delivery = models.JSONField("delivery method", default=list, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    country = models.CharField(max_length=3, blank=True, default="USA")
    providership = models.CharField(max_length=10, choices=Providership.choices, blank=True)
    joint_providers = models.TextField(blank=True, help_text="One organization per line.")
    designed = models.JSONField("designed to change", default=list, blank=True)
    evaluated = models.JSONField("evaluated for change in", default=list, blank=True)
    commercial_support = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    cme_finder = models.CharField(
        "listed in CME Finder", max_length=3, choices=YesNo.choices, blank=True
    )
    finder_fee = models.CharField(max_length=20, choices=Fee.choices, blank=True)
    finder_registration = models.CharField(max_length=20, choices=Registration.choices, blank=True)
    finder_url = models.URLField("activity web address", max_length=500, blank=True)
    # Office only.
    state_boards = models.BooleanField(
        "report learners' CME credit to state medical boards", default=False
    )
    accme_activity_id = models.CharField(
        "ACCME Activity ID", max_length=12, blank=True, validators=[accme_activity_id]
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "series PARS fields"
        verbose_name_plural = "series PARS fields"

    def __str__(self) -> str:
        return f"PARS fields of {self.parent_id}"

    @property
    def joint_provider_names(self) -> list[str]:
        return [n.strip() for n in self.joint_providers.splitlines() if n.strip()]


class CommercialSupport(models.Model):
    report = models.ForeignKey(SeriesReport, on_delete=models.CASCADE, related_name="supporters")
    source = models.CharField("company", max_length=200)
    kind = models.CharField(max_length=10, choices=SupportKind.choices)
    amount = models.DecimalField(
        "amount (USD)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    in_kind = models.CharField("in-kind support", max_length=12, choices=InKind.choices, blank=True)
    in_kind_other = models.CharField("other in-kind support", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.source


class MocRegistration(models.Model):
    """The series registered for one certifying board's MOC/CC program (office only)."""

    report = models.ForeignKey(SeriesReport, on_delete=models.CASCADE, related_name="moc")
    board = models.CharField(max_length=8, choices=Board.choices)
    practice_areas = models.TextField(blank=True, help_text="One per line, as PARS lists them.")
    credit_types = models.TextField(blank=True, help_text="One per line, e.g. Medical Knowledge.")
    points = models.DecimalField(
        "MOC credit amount", max_digits=6, decimal_places=2, null=True, blank=True
    )
    fee = models.CharField(max_length=20, choices=Fee.choices, blank=True)
    registration = models.CharField(max_length=20, choices=Registration.choices, blank=True)
    url = models.URLField("activity web address", max_length=500, blank=True)
    claim_date = models.DateField("MOC credit claim date", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "board"], name="pars_moc_one_per_board")
        ]

    def __str__(self) -> str:
        return f"{self.board} MOC"

    @staticmethod
    def lines(text: str) -> list[str]:
        return [n.strip() for n in text.splitlines() if n.strip()]


class ReportingYear(models.Model):
    """The provider's year in PARS: the program summary, and the row exports of the year lock."""

    year = models.PositiveSmallIntegerField(unique=True)
    advertising_exhibits = models.DecimalField(
        "income from advertising and exhibits", max_digits=12, decimal_places=2, default=0
    )
    registration_fees = models.DecimalField(
        "income from registration fees", max_digits=12, decimal_places=2, default=0
    )
    grants = models.DecimalField("income from grants", max_digits=12, decimal_places=2, default=0)
    donations = models.DecimalField(
        "income from donations", max_digits=12, decimal_places=2, default=0
    )
    other_income = models.DecimalField("other income", max_digits=12, decimal_places=2, default=0)
    expenses = models.DecimalField("expenses", max_digits=12, decimal_places=2, default=0)
    summary_submitted_on = models.DateField(
        "program summary submitted to PARS on", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(advertising_exhibits__gte=0)
                & models.Q(registration_fees__gte=0)
                & models.Q(grants__gte=0)
                & models.Q(donations__gte=0)
                & models.Q(other_income__gte=0)
                & models.Q(expenses__gte=0),
                name="pars_year_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class ActivityExport(models.Model):
    """Every activity file the office downloaded, for the year-end checklist and audit."""

    year = models.PositiveSmallIntegerField()
    parent = models.ForeignKey(
        "activities.ParentActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_format = models.CharField(max_length=4)
    draft = models.BooleanField(default=False)
    series = models.PositiveIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["year", "-at"], name="pars_activity_export_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.file_format} by {self.by_id}"
