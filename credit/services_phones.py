"""Phones of learners: matching a text to a person, linking a phone for good, waiting claims."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from activities.models import ChildActivity, ParentActivity
from faculty.models import Person
from faculty.services import find_person_by_email

from . import messages as msg
from .models import Claim, ClaimChannel, EvaluationForm, SmsMessage, SmsOptOut, SmsPendingClaim
from .services import CLAIM_FIELDS, MAX_CHILD_ID, ClaimError, claim_credit


def person_for_phone(phone: str | None) -> Person | None:
    """The person texting from this phone, with `sms_opted_out` (one query: texts are hot)."""
    if not phone:
        return None
    return (
        Person.objects.filter(mobile_phone=phone)
        .only("id", "email", "is_active", "mobile_phone")
        .annotate(sms_opted_out=Exists(SmsOptOut.objects.filter(phone=OuterRef("mobile_phone"))))
        .order_by()
        .first()
    )


# The same columns the ORM path loads (CLAIM_FIELDS), split into the session's and its series'.
CHILD_COLUMNS = tuple(f for f in CLAIM_FIELDS if "__" not in f)
PARENT_COLUMNS = tuple(f.removeprefix("parent__") for f in CLAIM_FIELDS if f.startswith("parent__"))
SENDER_COLUMNS = ("id", "email", "is_active")


def _instance(model, names, values):
    """A model instance from some of its columns (the rest deferred), as the ORM builds them."""
    loaded = dict(zip(names, values, strict=True))
    ordered = [f.attname for f in model._meta.concrete_fields if f.attname in loaded]
    return model.from_db(connection.alias, ordered, [loaded[n] for n in ordered])


@functools.cache
def _sender_and_session_sql() -> str:
    """The statement of `sender_and_session`, built once (it runs once per text)."""
    q = connection.ops.quote_name
    child_table, parent_table = ChildActivity._meta.db_table, ParentActivity._meta.db_table

    def cols(alias, model, names):
        return [f"{alias}.{q(model._meta.get_field(n).column)}" for n in names]

    select = [
        *cols("c", ChildActivity, CHILD_COLUMNS),
        *cols("p", ParentActivity, PARENT_COLUMNS),
        *cols("s", Person, SENDER_COLUMNS),
    ]
    return (
        f"SELECT {', '.join(select)}, EXISTS (SELECT 1 FROM {q(SmsOptOut._meta.db_table)} o "
        f"WHERE o.{q('phone')} = %s), "
        f"EXISTS (SELECT 1 FROM {q(EvaluationForm._meta.db_table)} ef "
        f"WHERE ef.{q('parent_id')} = c.{q('parent_id')} AND ef.{q('required')}), "
        f"(SELECT m.{q('reply')} FROM {q(SmsMessage._meta.db_table)} m "
        f"WHERE m.{q('message_sid')} = %s AND m.{q('message_sid')} <> '' LIMIT 1) "
        f"FROM {q(child_table)} c JOIN {q(parent_table)} p ON p.{q('id')} = c.{q('parent_id')} "
        f"LEFT JOIN {q(Person._meta.db_table)} s ON s.{q('mobile_phone')} = %s "
        f"WHERE c.{q('id')} = %s AND c.{q('is_active')}"
    )


def sender_and_session(
    phone: str, child_id, *, message_sid: str = ""
) -> tuple[Person | None, ChildActivity] | None:
    """The text of a grand-rounds burst, "<Child ID>" from a phone, read in ONE statement: the
    active session with its series and, as columns of the same row, the sender, whether the
    phone opted out, whether the series requires an evaluation (`child.evaluation_required`) and
    the reply already given to this MessageSid (`child.prior_reply`, None for a new text). Written in SQL because it runs once per text: compiling the equivalent ORM
    queries cost more than the database did (docs/performance.md). None when there is no such
    session (the caller then reads the sender alone and answers "unknown ID"), and on databases
    other than PostgreSQL, whose raw values need the ORM's converters (the ORM path then runs)."""
    if connection.vendor != "postgresql":
        return None
    try:
        child_id = int(child_id)
    except (TypeError, ValueError):
        return None
    if not 0 < child_id <= MAX_CHILD_ID:
        return None
    sql = _sender_and_session_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [phone, message_sid, phone, child_id])
        row = cursor.fetchone()
    if row is None:
        return None
    n_child, n_parent = len(CHILD_COLUMNS), len(PARENT_COLUMNS)
    child = _instance(ChildActivity, CHILD_COLUMNS, row[:n_child])
    child.parent = _instance(ParentActivity, PARENT_COLUMNS, row[n_child : n_child + n_parent])
    sender_values = row[n_child + n_parent : -3]
    opted_out, child.evaluation_required, child.prior_reply = row[-3], bool(row[-2]), row[-1]
    learner = None
    if sender_values[0] is not None:
        learner = _instance(Person, (*SENDER_COLUMNS, "mobile_phone"), (*sender_values, phone))
        learner.sms_opted_out = bool(opted_out)
    child.sender_opted_out = bool(opted_out)
    return learner, child


def account_for_email(email: str) -> Person | None:
    """The account behind an address, through domain aliases and merges."""
    person = find_person_by_email(email)
    seen = set()
    while person is not None and person.merged_into_id and person.pk not in seen:
        seen.add(person.pk)
        person = person.merged_into
    return person


def remember_pending(phone: str, child_id: int, now: datetime) -> SmsPendingClaim:
    """One waiting claim per phone and session; the earliest text counts for the window."""
    pending = SmsPendingClaim.objects.filter(
        phone=phone, child_id=child_id, completed_at__isnull=True
    ).first()
    return pending or SmsPendingClaim.objects.create(
        phone=phone, child_id=child_id, received_at=now
    )


def waiting_claim(phone: str) -> SmsPendingClaim | None:
    return (
        SmsPendingClaim.objects.select_related("child", "child__parent")
        .filter(phone=phone, completed_at__isnull=True)
        .order_by("-received_at")
        .first()
    )


@dataclass(frozen=True)
class Completed:
    """What became of one waiting claim: the claim, or the reason it could not be recorded."""

    child_id: int
    claim: Claim | None
    error: ClaimError | None

    @property
    def message(self) -> str:
        if self.claim is not None:
            return msg.claimed(self.claim)
        return self.error.message if self.error is not None else ""

    @property
    def claim_outcome(self) -> str:
        """claimed, claimed_pending, no_credit, or the error's code."""
        from .services import claim_outcome

        if self.claim is not None:
            return claim_outcome(self.claim)
        return self.error.code if self.error is not None else "unknown"


def complete_pending_claims(*, learner: Person, phone: str, now: datetime | None = None):
    """Record the claims a phone texted before it was linked, as of the moment each text arrived."""
    now = now or timezone.now()
    results: list[Completed] = []
    waiting = list(
        SmsPendingClaim.objects.filter(phone=phone, completed_at__isnull=True).order_by(
            "received_at"
        )
    )
    for pending in waiting:
        try:
            claim = claim_credit(
                learner=learner,
                child_id=pending.child_id,
                channel=ClaimChannel.SMS,
                now=pending.received_at,
            )
            results.append(Completed(pending.child_id, claim, None))
        except ClaimError as exc:
            results.append(Completed(pending.child_id, None, exc))
    if waiting:
        SmsPendingClaim.objects.filter(pk__in=[p.pk for p in waiting]).update(completed_at=now)
    return results
