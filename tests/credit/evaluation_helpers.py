"""Helpers for the evaluation tests: a series' evaluation, a learner's answers."""

from credit.models import EvaluationQuestion
from credit.rules_evaluation import QuestionSpec
from credit.services_evaluation import active_questions, evaluation_form_save, evaluation_submit

QUESTIONS = [
    QuestionSpec("rating", "The session met its objectives."),
    QuestionSpec("rating", "This session will change my practice."),
    QuestionSpec("text", "What will you do differently?"),
]


def evaluation(series, by, *, required=True, questions=QUESTIONS):
    return evaluation_form_save(parent=series, questions=questions, required=required, by=by)


def ratings_of(form) -> list[EvaluationQuestion]:
    return [q for q in active_questions(form) if q.kind == "rating"]


def answer(claim, *ratings, text="", now=None):
    """Answer the claim's evaluation: the ratings in question order, then the free text."""
    from credit.services_evaluation import series_form

    questions = active_questions(series_form(claim.child.parent_id))
    values = iter(ratings)
    answers = {}
    for q in questions:
        if q.kind == "rating":
            answers[q.pk] = next(values)
        elif text:
            answers[q.pk] = text
    return evaluation_submit(claim=claim, answers=answers, now=now)
