"""Evaluations of a series' sessions (SPEC §14, issue 17).

A series (parent) may have an evaluation form of at most five questions (1-5 ratings and at most
one free text); the site-wide template (the one form without a parent) is what a new series'
form starts from. A learner answers once per claim.

Anonymity is kept by construction: an `EvaluationResponse` names the session, never the learner,
and carries no time; its primary key (and its answers') is random, so not even the order of rows
links a response to `Claim.evaluated_at` (who responded, for the office).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from rss_dashboard import limits

MAX_QUESTIONS = 5
QUESTION_CHARS = 300
ANSWER_CHARS = limits.NOTE


class QuestionKind(models.TextChoices):
    RATING = "rating", "Rating (1-5)"
    TEXT = "text", "Free text"


class EvaluationForm(models.Model):
    parent = models.OneToOneField(
        "activities.ParentActivity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_form",
    )
    # A claim on this series becomes credit only after the learner's evaluation of the session.
    required = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # One site-wide template: the one form without a series.
            models.UniqueConstraint(
                fields=["required"],
                condition=Q(parent__isnull=True),
                name="evaluation_one_template",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(required=False),
                name="evaluation_template_never_required",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of series {self.parent_id}" if self.parent_id else "Evaluation template"

    @property
    def is_template(self) -> bool:
        return self.parent_id is None


class EvaluationQuestion(models.Model):
    """A question once answered is never changed: editing its words retires it (kept for the
    summary) and asks a new one, so a summary never mixes two questions' answers."""

    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=QUESTION_CHARS)
    retired_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class EvaluationResponse(models.Model):
    """One learner's answers for one session, without the learner (see the module's docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="evaluation_responses"
    )
    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="responses")

    class Meta:
        indexes = [models.Index(fields=["child"], name="eval_response_child_idx")]

    def __str__(self) -> str:
        return f"Evaluation of session {self.child_id}"


class EvaluationAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        EvaluationResponse, on_delete=models.PROTECT, related_name="answers"
    )
    question = models.ForeignKey(
        EvaluationQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=ANSWER_CHARS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="eval_answer_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="eval_rating_1_to_5",
            ),
            limits.at_most("text", ANSWER_CHARS, name="eval_answer_text_length"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"
