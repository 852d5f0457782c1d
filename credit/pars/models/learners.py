"""What a learner gives so their credit can reach their boards, each with their permission."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ..codes import Board


class LearnerIdentity(models.Model):
    """NPI, birth month and day, the license (state and number) and the permission to share them
    with that state's medical board, with its date. Kept apart from the person: only the learner
    and the office see it. `asked` lists what the claim pages already asked for (asked once)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pars_identity"
    )
    npi = models.CharField("NPI", max_length=10, blank=True)
    birth_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    birth_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    license_state = models.CharField(max_length=2, blank=True)
    license_number = models.CharField(max_length=40, blank=True)
    state_consent_at = models.DateTimeField(
        "permission to share with the state medical board given at", null=True, blank=True
    )
    asked = models.JSONField(default=list, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "learner identifiers"
        verbose_name_plural = "learner identifiers"

    def __str__(self) -> str:
        return f"Identifiers of {self.person_id}"


class BoardIdentifier(models.Model):
    """A learner's ID at one certifying board, with the permission to share their completions
    with that board (and its date). An ID without permission is never exported."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_ids"
    )
    board = models.CharField(max_length=8, choices=Board.choices)
    board_id = models.CharField("board ID", max_length=40, blank=True)
    consent_at = models.DateTimeField("permission given at", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["board"]
        constraints = [
            models.UniqueConstraint(fields=["person", "board"], name="pars_board_id_one_per_board")
        ]

    def __str__(self) -> str:
        return f"{self.board} ID of {self.person_id}"
