"""Evaluations and the credit gate (SPEC §14, issue 17): plain functions over plain values.

The credit gate is `award_now`: a claim becomes credit when its session is approved and, if its
series required an evaluation when it was claimed, the learner's evaluation is in. Every path that
may open the gate (claiming, approving a session, answering the evaluation, reinstating a claim)
asks it; `Claim.objects.awarded()` and `EVALUATION_DONE_OR_NOT_NEEDED` are its SQL mirror.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

MAX_QUESTIONS = 5
RATINGS = (1, 2, 3, 4, 5)
# Per-session figures are shown only from this many responses: below it, a coordinator who
# knows who attended could read one person's answers off the numbers (docs/evaluations.md).
MIN_GROUP = 3


def award_now(*, approved: bool, evaluation_required: bool, evaluated: bool) -> bool:
    """The credit gate: claim state = f(approved, evaluation required, evaluated)."""
    return approved and (evaluated or not evaluation_required)


def evaluation_due(
    *, evaluation_required: bool, evaluated: bool, revoked: bool, rejected: bool
) -> bool:
    """The learner still owes an evaluation that their credit waits for."""
    return evaluation_required and not evaluated and not revoked and not rejected


# --- the questions of a form -----------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    kind: str  # "rating" or "text"
    text: str


def question_errors(questions: Sequence[QuestionSpec]) -> list[str]:
    """What is wrong with a form's questions (empty when it may be saved)."""
    errors = []
    if len(questions) > MAX_QUESTIONS:
        errors.append(f"At most {MAX_QUESTIONS} questions.")
    if sum(1 for q in questions if q.kind == "text") > 1:
        errors.append("At most one free-text question.")
    if questions and not any(q.kind == "rating" for q in questions):
        errors.append("Ask at least one rating question.")
    texts = [" ".join(q.text.lower().split()) for q in questions]
    if len(set(texts)) != len(texts):
        errors.append("Each question must be different.")
    if any(not q.text.strip() for q in questions):
        errors.append("A question needs its words.")
    return errors


def answer_errors(
    questions: Sequence[tuple[int, str]], answers: Mapping[int, object]
) -> dict[int, str]:
    """Every rating question needs 1-5; the free text is optional. questions: (id, kind)."""
    errors = {}
    for question_id, kind in questions:
        value = answers.get(question_id)
        if kind == "rating" and value not in RATINGS:
            errors[question_id] = "Choose a rating from 1 to 5."
    return errors


# --- the summary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """How often each rating 1-5 was given."""

    counts: tuple[int, ...]  # one count per rating of RATINGS

    @cached_property
    def n(self) -> int:
        return sum(self.counts)

    @cached_property
    def mean(self) -> Decimal | None:
        if not self.n:
            return None
        total = sum(rating * count for rating, count in zip(RATINGS, self.counts, strict=True))
        return (Decimal(total) / self.n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def share(self, rating: int) -> Decimal:
        """Percent of the answers that gave `rating`, one decimal."""
        if not self.n:
            return Decimal("0.0")
        count = self.counts[rating - 1]
        return (Decimal(100 * count) / self.n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def distribution(ratings: Mapping[int, int]) -> Distribution:
    """{rating: count} -> Distribution; values outside 1-5 are ignored."""
    return Distribution(tuple(int(ratings.get(r, 0)) for r in RATINGS))


def merge(distributions: Iterable[Distribution]) -> Distribution:
    counts = [0] * len(RATINGS)
    for d in distributions:
        for i, c in enumerate(d.counts):
            counts[i] += c
    return Distribution(tuple(counts))


def response_rate(responses: int, claims: int) -> Decimal | None:
    """Percent of claims with an evaluation, one decimal; None without claims."""
    if claims <= 0:
        return None
    return (Decimal(100 * responses) / claims).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def shown(responses: int) -> bool:
    """Whether a group of responses is large enough to show on its own (MIN_GROUP)."""
    return responses >= MIN_GROUP
