"""The evaluation summary of a series and year (issue 17): per rating question the distribution
and its trend over the sessions, the response rate and the free-text answers.

Anonymous by construction: responses carry no learner, and a session's own figures and comments
are shown only from MIN_GROUP responses (smaller sessions count in the year's figures, and their
comments are listed without the session). Five queries whatever the number of sessions and
responses.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from activities.models import ChildActivity, ParentActivity

from .models import Claim, EvaluationAnswer, EvaluationForm, EvaluationQuestion, QuestionKind
from .rules_evaluation import (
    MIN_GROUP,
    Distribution,
    distribution,
    merge,
    response_rate,
    shown,
)


@dataclass
class SessionFigures:
    child: ChildActivity
    claims: int
    responses: int
    ratings: dict[int, Distribution] = field(default_factory=dict)  # question id -> ratings

    @property
    def shown(self) -> bool:
        return shown(self.responses)

    @property
    def rate(self) -> Decimal | None:
        return response_rate(self.responses, self.claims)


@dataclass
class QuestionSummary:
    question: EvaluationQuestion
    year: Distribution
    # (session, mean) in session order; mean None when the session is too small to show
    trend: list[tuple[SessionFigures, Decimal | None]]

    @property
    def shown(self) -> bool:
        return shown(self.year.n)


@dataclass
class CommentGroup:
    child: ChildActivity | None  # None: sessions with fewer than MIN_GROUP responses
    texts: list[str]


@dataclass
class EvaluationSummary:
    parent: ParentActivity
    form: EvaluationForm | None
    sessions: list[SessionFigures]
    questions: list[QuestionSummary]
    text_questions: list[EvaluationQuestion]
    comments: list[CommentGroup]
    min_group: int = MIN_GROUP

    @property
    def claims(self) -> int:
        return sum(s.claims for s in self.sessions)

    @property
    def responses(self) -> int:
        return sum(s.responses for s in self.sessions)

    @property
    def rate(self) -> Decimal | None:
        return response_rate(self.responses, self.claims)

    @property
    def comment_count(self) -> int:
        return sum(len(g.texts) for g in self.comments)


def _count(model_qs, column="child"):
    """A correlated COUNT per session (two counts through two joins would multiply)."""
    return Coalesce(
        Subquery(
            model_qs.filter(**{column: OuterRef("pk")})
            .order_by()
            .values(column)
            .annotate(n=Count("*"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def evaluation_summary(parent: ParentActivity) -> EvaluationSummary:
    from .models import EvaluationResponse

    form = EvaluationForm.objects.filter(parent=parent).first()
    children = list(
        ChildActivity.objects.filter(parent=parent, is_active=True)
        .annotate(
            n_claims=_count(Claim.objects.counted()),
            n_responses=_count(EvaluationResponse.objects.all()),
        )
        .order_by("start", "id")
    )
    sessions = [SessionFigures(c, c.n_claims, c.n_responses) for c in children]
    by_child = {s.child.pk: s for s in sessions}
    # Retired questions only if answered: EXISTS stops at the first answer (a join would read
    # every answer of the year, 10,000 rows for 2,000 responses, to throw them away).
    answered = Exists(EvaluationAnswer.objects.filter(question=OuterRef("pk")))
    questions = (
        list(
            EvaluationQuestion.objects.filter(form=form)
            .filter(Q(retired_at__isnull=True) | answered)
            .order_by("retired_at", "position", "id")
        )
        if form
        else []
    )
    ratings: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    rows = (
        EvaluationAnswer.objects.filter(
            response__child__parent=parent,
            response__child__is_active=True,
            rating__isnull=False,
        )
        .values_list("response__child_id", "question_id", "rating")
        .annotate(n=Count("*"))
        .order_by()
    )
    for child_id, question_id, rating, n in rows:
        ratings[(child_id, question_id)][rating] = n
    summaries = []
    for question in (q for q in questions if q.kind == QuestionKind.RATING):
        per_session = []
        for s in sessions:
            d = distribution(ratings.get((s.child.pk, question.pk), {}))
            s.ratings[question.pk] = d
            per_session.append(d)
        trend = [(s, s.ratings[question.pk].mean if s.shown else None) for s in sessions]
        summaries.append(QuestionSummary(question, merge(per_session), trend))
    texts = (
        EvaluationAnswer.objects.filter(
            response__child__parent=parent, response__child__is_active=True
        )
        .exclude(text="")
        .values_list("response__child_id", "text")
        .order_by("text")  # never in the order they came in
    )
    grouped: dict[int | None, list[str]] = defaultdict(list)
    shown_ids = {pk for pk, s in by_child.items() if s.shown}
    for child_id, text in texts:
        grouped[child_id if child_id in shown_ids else None].append(text)
    comments = [CommentGroup(s.child, grouped[s.child.pk]) for s in sessions if grouped[s.child.pk]]
    if grouped[None]:
        comments.append(CommentGroup(None, grouped[None]))
    return EvaluationSummary(
        parent=parent,
        form=form,
        sessions=sessions,
        questions=summaries,
        text_questions=[q for q in questions if q.kind == QuestionKind.TEXT],
        comments=comments,
    )


def summary_signature(parent: ParentActivity) -> str:
    """What the summary is computed from, in one query: its claims (count, revocations, voids,
    newest), responses, sessions (count and versions: names, dates, deactivation) and the form's
    last change. The cached summary (credit/views/evaluations.py) is rebuilt whenever one moves.

    Plain SQL: it runs on every load of the summary, and the ORM took longer to compile this
    expression than PostgreSQL takes to answer it."""
    from django.db import connections, router

    from .models import EvaluationResponse

    claim, child = Claim._meta.db_table, ChildActivity._meta.db_table
    response, form = EvaluationResponse._meta.db_table, EvaluationForm._meta.db_table
    sql = f"""
        SELECT
          (SELECT COUNT(*) || ':' || COUNT(*) FILTER (WHERE c.revoked_at IS NOT NULL)
                  || ':' || COUNT(*) FILTER (WHERE c.voided_at IS NOT NULL)
                  || ':' || COALESCE(MAX(c.id), 0)
             FROM {claim} c JOIN {child} s ON s.id = c.child_id WHERE s.parent_id = %s),
          (SELECT COUNT(*) FROM {response} r JOIN {child} s ON s.id = r.child_id
            WHERE s.parent_id = %s),
          (SELECT COUNT(*) FILTER (WHERE s.is_active) || ':' || COALESCE(SUM(s.version), 0)
             FROM {child} s WHERE s.parent_id = %s),
          (SELECT f.updated_at FROM {form} f WHERE f.parent_id = %s)
    """  # noqa: S608 - table names from the models, the id a parameter
    with connections[router.db_for_read(Claim)].cursor() as cursor:
        cursor.execute(sql, [parent.pk] * 4)
        row = cursor.fetchone()
    return "-".join(str(v.timestamp() if hasattr(v, "timestamp") else v) for v in row)


def respondents(parent: ParentActivity):
    """Who responded (for the office's compliance; never what they answered): every claim of the
    series with its learner and whether and when its evaluation came in."""
    return (
        Claim.objects.filter(child__parent=parent, child__is_active=True)
        .select_related("learner", "child")
        .order_by("child__start", "learner__last_name_lower", "learner__first_name", "id")
    )
