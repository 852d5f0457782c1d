"""Every write on evaluations (issue 17): a series' form, a learner's answers, the one reminder.

Callers check who may act on the series (credit/access_evaluation.py); these check the rules,
save, and open the credit gate where it may open.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from activities.models import ParentActivity
from activities.rules import ChildStatus
from rss_dashboard.errors import DomainError
from rss_dashboard.models import OutboxEmail
from rss_dashboard.outbox import queue_email

from . import messages as msg
from .models import (
    Claim,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationResponse,
    QuestionKind,
)
from .models_evaluation import ANSWER_CHARS
from .rules_evaluation import QuestionSpec, answer_errors, award_now, question_errors

# The reminder goes out a day after the session ends (time to answer on the way out first), and
# only for sessions of the last 60 days: switching the job on never mails a whole archive.
REMINDER_AFTER = timedelta(days=1)
REMINDER_CATCH_UP = timedelta(days=60)


class EvaluationError(DomainError):
    """codes: invalid_questions, required_without_questions, no_evaluation, revoked,
    already_evaluated, invalid_answers (with `errors`: {question id: message})."""

    def __init__(self, code: str, message: str, *, errors: Mapping | None = None):
        super().__init__(code, message)
        self.errors = dict(errors or {})


# --- reading a form ----------------------------------------------------------------------------


def template_form() -> EvaluationForm:
    form = EvaluationForm.objects.filter(parent__isnull=True).first()
    return form or EvaluationForm.objects.create(parent=None)


def active_questions(form: EvaluationForm | None) -> list[EvaluationQuestion]:
    if form is None:
        return []
    return list(form.questions.filter(retired_at__isnull=True).order_by("position", "id"))


def series_form(parent_id: int) -> EvaluationForm | None:
    return EvaluationForm.objects.filter(parent_id=parent_id).first()


def offered_questions(parent_id: int) -> list[EvaluationQuestion]:
    """What a learner of this series is asked; [] when the series has no evaluation."""
    return active_questions(series_form(parent_id))


# --- the office's and coordinators' form -------------------------------------------------------


@transaction.atomic
def evaluation_form_save(
    *,
    parent: ParentActivity | None,
    questions: Sequence[QuestionSpec],
    required: bool,
    by,
    now: datetime | None = None,
) -> EvaluationForm:
    """Save a series' form (parent) or the site-wide template (None).

    A question keeps its row while its kind and words stay; otherwise the old one is retired
    (answered: kept for the summary) or deleted (never answered) and a new one is asked. Lifting
    a requirement opens the credit gate for claims that waited only for it."""
    now = now or timezone.now()
    questions = [
        QuestionSpec(q.kind, " ".join(q.text.split())) for q in questions if q.text.strip()
    ]
    if errors := question_errors(questions):
        raise EvaluationError("invalid_questions", " ".join(errors))
    if required and not questions:
        raise EvaluationError(
            "required_without_questions", "An evaluation can be required only with questions."
        )
    if parent is None:
        form = template_form()
        required = False  # the template is a starting point, never a rule
    else:
        form, _ = EvaluationForm.objects.get_or_create(parent=parent)
    form = EvaluationForm.objects.select_for_update().get(pk=form.pk)
    was_required = form.required
    current = {(q.kind, q.text): q for q in active_questions(form)}
    wanted = {(q.kind, q.text) for q in questions}
    for key, question in current.items():
        if key in wanted:
            continue
        if question.answers.exists():
            question.retired_at = now
            question._change_reason = f"retired by {by}"  # type: ignore[attr-defined]  # simple-history
            question.save(update_fields=["retired_at"])
        else:
            question.delete()
    for position, spec in enumerate(questions, start=1):
        kept = current.get((spec.kind, spec.text))
        if kept is None:
            EvaluationQuestion.objects.create(
                form=form, position=position, kind=spec.kind, text=spec.text
            )
        elif kept.position != position:
            kept.position = position
            kept.save(update_fields=["position"])
    form.required = required
    form.updated_at = now
    form.updated_by = by
    form._change_reason = f"evaluation saved by {by}"  # type: ignore[attr-defined]  # simple-history
    form.save(update_fields=["required", "updated_at", "updated_by"])
    if parent is not None and was_required and not required:
        _lift_requirement(parent, now)
    return form


def _lift_requirement(parent: ParentActivity, now: datetime) -> None:
    """The series no longer requires its evaluation: claims that still owed one do not, and those
    on approved sessions become credit now (nothing waits for a rule that is gone)."""
    owed = Claim.objects.filter(
        child__parent=parent,
        evaluation_required=True,
        evaluated_at__isnull=True,
        awarded_at__isnull=True,
        revoked_at__isnull=True,
    )
    owed.filter(child__status=ChildStatus.APPROVED).update(
        evaluation_required=False, awarded_at=now
    )
    owed.update(evaluation_required=False)


# --- a learner's answers -----------------------------------------------------------------------


def clean_answers(
    questions: Sequence[EvaluationQuestion], data: Mapping[str, str]
) -> dict[int, int | str]:
    """Form fields q<id> -> {question id: 1-5 or text}; what cannot be read is left out."""
    answers: dict[int, int | str] = {}
    for question in questions:
        raw = (data.get(f"q{question.pk}") or "").strip()
        if question.kind == QuestionKind.RATING:
            if raw in {"1", "2", "3", "4", "5"}:
                answers[question.pk] = int(raw)
        elif raw:
            answers[question.pk] = raw.replace("\x00", "")[:ANSWER_CHARS]
    return answers


def evaluation_submit(
    *, claim: Claim, answers: Mapping[int, int | str], now: datetime | None = None
) -> Claim:
    """Store one learner's evaluation of the session they claimed, once, and open the credit gate
    if it was the last thing missing. The answers are stored without the learner."""
    now = now or timezone.now()
    if claim.revoked_at is not None:
        raise EvaluationError("revoked", "This claim was revoked by the office.")
    if claim.evaluated_at is not None:
        raise EvaluationError("already_evaluated", "You already evaluated this session. Thank you.")
    form = series_form(claim.child.parent_id)
    questions = active_questions(form)
    if form is None or not questions:
        raise EvaluationError("no_evaluation", "This series has no evaluation.")
    if errors := answer_errors([(q.pk, q.kind) for q in questions], answers):
        raise EvaluationError(
            "invalid_answers", "Please answer every rating question (1 to 5).", errors=errors
        )
    child = claim.child
    gate = award_now(
        approved=child.status == ChildStatus.APPROVED,
        evaluation_required=claim.evaluation_required,
        evaluated=True,
    )
    with transaction.atomic():
        # Once per claim, decided by the database: a second submit (two tabs) updates nothing.
        fields = {"evaluated_at": now}
        if gate and claim.awarded_at is None:
            fields["awarded_at"] = now
        updated = Claim.objects.filter(
            pk=claim.pk, evaluated_at__isnull=True, revoked_at__isnull=True
        ).update(**fields)
        if not updated:
            raise EvaluationError(
                "already_evaluated", "You already evaluated this session. Thank you."
            )
        response = EvaluationResponse.objects.create(child_id=child.pk, form=form)
        EvaluationAnswer.objects.bulk_create(
            [
                EvaluationAnswer(
                    response=response,
                    question=q,
                    rating=answers[q.pk] if q.kind == QuestionKind.RATING else None,
                    text=str(answers.get(q.pk, "")) if q.kind == QuestionKind.TEXT else "",
                )
                for q in questions
                if q.pk in answers
            ]
        )
    for name, value in fields.items():
        setattr(claim, name, value)
    return claim


def claim_for_token(token: str) -> Claim | None:
    """The claim behind an evaluation link, with its session and series; None when unknown."""
    if not token or len(token) > 16 or not token.isalnum():
        return None
    return (
        Claim.objects.select_related("child", "child__parent", "learner")
        .filter(evaluation_token=token, child__is_active=True)
        .first()
    )


# --- the one reminder --------------------------------------------------------------------------


def send_evaluation_reminders(now: datetime | None = None) -> int:
    """A learner whose credit waits for their evaluation gets exactly one email about it, a day
    after the session (the outbox's event key makes a second run, or a second worker, send
    nothing). Claims already reminded are left out by the query itself."""
    now = now or timezone.now()
    key = Concat(Value("evaluation-reminder:"), Cast("pk", CharField()))
    claims = (
        Claim.objects.waiting_for_evaluation()
        .filter(
            child__is_active=True,
            child__end__lte=now - REMINDER_AFTER,
            child__end__gt=now - REMINDER_CATCH_UP,
            learner__is_active=True,
        )
        .select_related("learner", "child", "child__parent")
    )
    claims = claims.alias(reminder_key=key).annotate(
        reminded=Exists(OutboxEmail.objects.filter(event_key=OuterRef("reminder_key")))
    )
    sent = 0
    for claim in claims.filter(reminded=False).order_by("id")[:2000]:
        sent += bool(
            queue_email(
                event_key=f"evaluation-reminder:{claim.pk}",
                kind="evaluation_reminder",
                to=[claim.learner.email],
                template="evaluation_reminder",
                context={
                    "learner": claim.learner,
                    "claim": claim,
                    "child": claim.child,
                    "parent": claim.child.parent,
                    "link": msg.evaluation_url(claim.evaluation_token)
                    if claim.evaluation_token
                    else msg.absolute(f"/claim/{claim.child_id}/evaluation/"),
                    "approved": claim.child.status == ChildStatus.APPROVED,
                },
            )
        )
    return sent
