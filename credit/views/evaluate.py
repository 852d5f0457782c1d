"""A learner answers the evaluation of a session they claimed (issue 17): through the short link
of the text or the reminder email (/e/<token>/, no sign-in: the link is the proof), or signed in
(/claim/<child id>/evaluation/, where the claim pages' inline form posts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from credit.models import Claim
from credit.rules import CLAIM_STATE_LABELS, state_of
from credit.services import claimable_child
from credit.services_evaluation import (
    EvaluationError,
    claim_for_token,
    clean_answers,
    evaluation_submit,
    offered_questions,
)
from rss_dashboard import ratelimit

from .common import too_many


def evaluation_context(claim: Claim, questions=None) -> dict:
    """What the evaluation form (page or inline) needs: the questions while one may answer."""
    if questions is None:
        questions = offered_questions(claim.child.parent_id)
    open_ = bool(questions) and claim.evaluated_at is None and claim.revoked_at is None
    return {
        "claim": claim,
        "child": claim.child,
        "questions": questions if open_ else [],
        "evaluation_open": open_,
        "ratings": (1, 2, 3, 4, 5),
        "state": state_of(claim),
        "state_label": CLAIM_STATE_LABELS[state_of(claim)],
    }


def _answer(request, claim: Claim, *, action: str, done: str):
    questions = offered_questions(claim.child.parent_id)
    context = evaluation_context(claim, questions)
    context.update({"action": action, "errors": {}, "posted": {}})
    if request.method == "POST":
        if ratelimit.over("evaluation_ip", ratelimit.client_ip(request)):
            return too_many(request, "answers")
        answers = {}
        try:
            answers = clean_answers(questions, request.POST)
            evaluation_submit(claim=claim, answers=answers)
        except EvaluationError as exc:
            if exc.code != "invalid_answers":
                messages.info(request, exc.message)
                return redirect(done)
            context["errors"] = exc.errors
            context["error"] = exc.message
            context["posted"] = {str(k): str(v) for k, v in answers.items()}
        else:
            messages.success(request, _thanks(claim))
            return redirect(done)
    status = 400 if context["errors"] else 200
    return render(request, "credit/evaluate.html", context, status=status)


def _thanks(claim: Claim) -> str:
    if claim.awarded_at is not None:
        return "Thank you for your evaluation. Your credit is awarded."
    return "Thank you for your evaluation."


@require_http_methods(["GET", "POST"])
def evaluation_by_link(request, token: str):
    claim = claim_for_token(token)
    if claim is None:
        raise Http404("No such evaluation.")
    path = reverse("evaluation_by_link", args=[token])
    return _answer(request, claim, action=path, done=path)


@login_required
@require_http_methods(["GET", "POST"])
def claim_evaluation(request, child_id: int):
    child = claimable_child(child_id)
    claim = (
        Claim.objects.filter(learner=request.user, child=child).first()
        if child is not None
        else None
    )
    if claim is None:
        raise Http404("You have no claim on this session.")
    claim.child = child
    path = reverse("claim_evaluation", args=[child.pk])
    return _answer(request, claim, action=path, done=reverse("claim_result", args=[child.pk]))
