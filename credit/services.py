"""Every write on claims: SMS, web, QR and granted late claims all go through `claim_credit`."""

import functools
import secrets
import string
from collections.abc import Callable
from datetime import datetime

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from activities.models import ChildActivity
from activities.rules import ChildStatus
from rss_dashboard.errors import DomainError

from . import messages as msg
from .models import COUNTED, EVALUATION_DONE_OR_NOT_NEEDED, Claim, EvaluationForm
from .rules import session_credit, window_of, window_state
from .rules_evaluation import award_now

MAX_CHILD_ID = 2**31 - 1


class ClaimError(DomainError):
    """codes: unknown_child, not_open, closed, already_claimed, inactive (the learner's account)."""

    def __init__(self, code: str, message: str, *, child=None, claim=None):
        super().__init__(code, message)
        self.child = child
        self.claim = claim


def claimable_child(child_id) -> ChildActivity | None:
    """The active session with this Child ID; deactivated ones do not exist for learners."""
    try:
        child_id = int(child_id)
    except (TypeError, ValueError):
        return None
    if not 0 < child_id <= MAX_CHILD_ID:
        return None
    return (
        ChildActivity.objects.select_related("parent")
        .only(*CLAIM_FIELDS)
        .annotate(evaluation_required=EVALUATION_REQUIRED)
        .filter(pk=child_id, is_active=True)
        .first()
    )


# Whether the session's series requires an evaluation before credit (issue 17), read with the
# session in the same statement (the SQL path of credit/services_phones.py reads the same).
EVALUATION_REQUIRED = Exists(
    EvaluationForm.objects.filter(parent_id=OuterRef("parent_id"), required=True)
)
_TOKEN_CHARS = string.ascii_letters + string.digits


def new_evaluation_token() -> str:
    """The key of a claim's evaluation link (/e/<token>/): 12 characters, about 71 bits."""
    return "".join(secrets.choice(_TOKEN_CHARS) for _ in range(12))


def evaluation_required_for(child: ChildActivity) -> bool:
    required = getattr(child, "evaluation_required", None)
    if required is None:
        required = EvaluationForm.objects.filter(parent_id=child.parent_id, required=True).exists()
        child.evaluation_required = required  # type: ignore[attr-defined]  # memo, as annotated
    return bool(required)


# What claiming reads and says (window, credit, replies, the claim pages). Loading only these keeps
# the statement small: during a grand-rounds burst it runs once per text.
CLAIM_FIELDS = (
    "id",
    "parent_id",
    "name",
    "start",
    "end",
    "time_zone",
    "location",
    "status",
    "is_active",
    "texting_minutes_prior",
    "texting_minutes_after",
    "parent__id",
    "parent__name",
    "parent__credit_hours",
    "parent__credit_type",
    "parent__year",  # the claim's year (Claim.year)
)


def check_window(child: ChildActivity, now: datetime) -> None:
    """Raise not_open / closed with the local times; nothing when claiming is open."""
    window = window_of(child)
    state = window_state(window, now)
    if state == "not_open":
        raise ClaimError("not_open", msg.not_open(child, window.opens), child=child)
    if state == "closed":
        raise ClaimError("closed", msg.closed(child, window.closes), child=child)


def open_child(child_id, now: datetime) -> ChildActivity:
    """The session, if a claim on it could be recorded now (before we know who the learner is)."""
    child = claimable_child(child_id)
    if child is None:
        raise ClaimError("unknown_child", msg.unknown_child(child_id))
    check_window(child, now)
    return child


def existing_claim(learner, child: ChildActivity) -> Claim | None:
    claim = Claim.objects.filter(COUNTED, learner=learner, child=child).first()
    if claim is not None:
        claim.child = child
    return claim


def child_to_claim(learner, child_id: int, *, child: ChildActivity | None = None) -> ChildActivity:
    """The session a learner claims on, or ClaimError `inactive` / `unknown_child` (every claim
    and late-claim request starts here). `child`: the session as the caller already read it."""
    if not learner.is_active:
        raise ClaimError("inactive", msg.inactive_account())
    if child is None or child.pk != child_id:
        child = claimable_child(child_id)
    if child is None:
        raise ClaimError("unknown_child", msg.unknown_child(child_id))
    return child


def claim_credit(
    *,
    learner,
    child_id: int,
    channel: str,
    now: datetime | None = None,
    enforce_window: bool = True,
    on_recorded: Callable[[Claim], None] | None = None,
    log_row: Callable[[Claim], models.Model] | None = None,
    child: ChildActivity | None = None,
    child_locked: bool = False,
) -> Claim:
    """Record one learner's claim on one session (SPEC §11). Raises ClaimError.

    The database's unique (learner, child) constraint decides between concurrent duplicates: the
    insert runs in its own atomic block (a savepoint inside a caller's transaction) and a
    violation becomes "already claimed". Credit is awarded at once on an APPROVED session and
    stays pending approval otherwise (`child_approve` awards it). `on_recorded(claim)` runs in
    the same atomic block as the insert, so what it writes commits with the claim or not at all.
    `log_row(claim)` builds an unsaved row (the text that made the claim) stored with the claim in
    the same way; on PostgreSQL both go in one statement (`_insert_with_log`): a text costs three
    round trips instead of seven (issue 8, docs/performance.md).
    `child_locked`: the caller holds the session's row lock (an attendance import does), so
    `child_approve`, which takes the same lock, cannot approve it before the caller commits (and
    then awards this claim itself): the second look below is skipped.
    """
    now = now or timezone.now()
    child = child_to_claim(learner, child_id, child=child)
    if enforce_window:
        try:
            check_window(child, now)
        except ClaimError:
            # A second text after the window says "already claimed", not "closed".
            if (claim := existing_claim(learner, child)) is not None:
                raise ClaimError(
                    "already_claimed", msg.already_claimed(claim), child=child, claim=claim
                ) from None
            raise
    approved = child.status == ChildStatus.APPROVED
    required = evaluation_required_for(child)
    claim = Claim(
        learner=learner,
        child=child,
        claimed_at=now,
        channel=channel,
        year=child.parent.year,
        credit_hours=session_credit(
            start=child.start, end=child.end, maximum=child.parent.credit_hours
        ),
        # The credit gate: approval and, when the series requires one, the evaluation.
        awarded_at=now
        if award_now(approved=approved, evaluation_required=required, evaluated=False)
        else None,
        evaluation_required=required,
        evaluation_token=new_evaluation_token() if required else "",
    )
    if log_row is not None and connection.vendor == "postgresql" and on_recorded is None:
        if not _insert_with_log(claim, log_row(claim)):
            _refuse_duplicate(learner, child)
    else:
        try:
            with transaction.atomic():
                claim.save(force_insert=True)
                if log_row is not None:
                    log_row(claim).save(force_insert=True)
                if on_recorded is not None:
                    on_recorded(claim)
        except IntegrityError:
            _refuse_duplicate(learner, child, integrity_error=True)
    # The session may have been approved between our read and our insert; `child_approve` only
    # awards claims it can see, so look again with a fresh statement. (A claim that needs an
    # evaluation cannot have it yet: the evaluation opens the gate then.)
    if (
        not approved
        and not required
        and not child_locked
        and child.status != ChildStatus.REJECTED
        and Claim.objects.filter(pk=claim.pk, child__status=ChildStatus.APPROVED)
        .filter(EVALUATION_DONE_OR_NOT_NEEDED)
        .update(awarded_at=now)
    ):
        claim.awarded_at = now
        child.status = ChildStatus.APPROVED
    return claim


def _refuse_duplicate(learner, child, *, integrity_error: bool = False) -> None:
    """The database refused a second claim of this learner on this child: say so."""
    claim = existing_claim(learner, child)
    if claim is None:
        if integrity_error:
            raise  # noqa: PLE0704 - re-raise the IntegrityError being handled
        raise ClaimError("unknown_child", msg.unknown_child(child.pk))
    raise ClaimError("already_claimed", msg.already_claimed(claim), child=child, claim=claim)


@functools.cache
def _insert_with_log_sql(log_model: type[models.Model]) -> tuple[str, list, list]:
    """The statement of `_insert_with_log` and its fields, built once (it runs once per text)."""
    claim_fields = [f for f in Claim._meta.concrete_fields if not f.primary_key]
    log_fields = [f for f in log_model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name

    def columns(fields):
        return ", ".join(quote(f.column) for f in fields)

    sql = (
        f"WITH new_claim AS (INSERT INTO {quote(Claim._meta.db_table)} ({columns(claim_fields)}) "
        f"VALUES ({', '.join(['%s'] * len(claim_fields))}) "
        # The partial unique index of counted claims (voided ones do not count; credit/models.py).
        f"ON CONFLICT ({quote('learner_id')}, {quote('child_id')}) WHERE voided_at IS NULL "
        "DO NOTHING RETURNING id), "
        f"new_log AS (INSERT INTO {quote(log_model._meta.db_table)} ({columns(log_fields)}) "
        f"SELECT {', '.join(['%s'] * len(log_fields))} FROM new_claim RETURNING id) "
        "SELECT new_claim.id, new_log.id FROM new_claim, new_log"
    )
    return sql, claim_fields, log_fields


def _insert_with_log(claim: Claim, log: models.Model) -> bool:
    """INSERT the claim and, only if it was inserted, its log row, in one statement (atomic on
    its own, so no BEGIN/COMMIT round trips). The unique (learner, child) constraint still
    decides: a duplicate inserts nothing and returns False. PostgreSQL only (a data-modifying
    CTE); other databases take the transaction path of `claim_credit`."""
    sql, claim_fields, log_fields = _insert_with_log_sql(type(log))

    def values(obj, fields):
        return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]

    with connection.cursor() as cursor:
        cursor.execute(sql, values(claim, claim_fields) + values(log, log_fields))
        row = cursor.fetchone()
    if row is None:
        return False
    claim.pk, log.pk = row
    claim._state.adding = log._state.adding = False
    return True


def claim_outcome(claim: Claim) -> str:
    """A machine word for a recorded claim: claimed, claimed_pending, claimed_evaluation (credit
    waits for the learner's evaluation) or no_credit."""
    if claim.child.status == ChildStatus.REJECTED:
        return "no_credit"
    if claim.awarded_at:
        return "claimed"
    if claim.evaluation_required and claim.evaluated_at is None:
        return "claimed_evaluation"
    return "claimed_pending"
