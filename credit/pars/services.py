"""Every write of the PARS app but the learner export (completions.py) and the import of board
answers (answers.py). The audit is simple-history's: each change keeps who made it."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from activities.models import ParentActivity
from rss_dashboard.audit import attribute

from .codes import Board
from .completions import ParsError
from .models import BoardIdentifier, CompletionRecord, LearnerIdentity, SeriesReport


def report_for(parent: ParentActivity) -> SeriesReport:
    """The series' PARS fields, or a new unsaved set (nothing is written on a read)."""
    try:
        return parent.pars
    except SeriesReport.DoesNotExist:
        return SeriesReport(parent=parent)


@transaction.atomic
def report_save(*, report: SeriesReport, forms, formsets, by, office: bool) -> SeriesReport:
    """Save the PARS fields (and the office's part when `office`). Coordinators cannot change a
    locked series; the lock is checked again on the row, in the transaction."""
    if report.pk:
        current = SeriesReport.objects.select_for_update().get(pk=report.pk)
        if current.locked_at is not None and not office:
            raise PermissionDenied("The office has locked this series' PARS fields.")
    report = forms[0].save(commit=False)
    for form in forms[1:]:
        for name in form.Meta.fields:
            setattr(report, name, form.cleaned_data[name])
    attribute(report, by).save()
    for formset in formsets:
        formset.instance = report
        formset.save()
    return report


@transaction.atomic
def report_lock(
    *, parent: ParentActivity, by, lock: bool, now: datetime | None = None
) -> SeriesReport:
    report, _ = SeriesReport.objects.select_for_update().get_or_create(parent=parent)
    report.locked_at = (now or timezone.now()) if lock else None
    report.locked_by = by if lock else None
    report.save(update_fields=["locked_at", "locked_by", "updated_at"])
    return report


def identity_for(person) -> LearnerIdentity:
    try:
        return person.pars_identity
    except LearnerIdentity.DoesNotExist:
        return LearnerIdentity(person=person)


def identifiers_initial(person) -> dict:
    who = identity_for(person)
    initial = {
        "npi": who.npi,
        "birth_month": who.birth_month,
        "birth_day": who.birth_day,
        "license_state": who.license_state,
        "license_number": who.license_number,
        "state_consent": who.state_consent_at is not None,
    }
    for b in BoardIdentifier.objects.filter(person=person):
        initial[f"id_{b.board}"] = b.board_id
        initial[f"consent_{b.board}"] = b.consent_at is not None
    return initial


@transaction.atomic
def identifiers_save(*, person, data: dict, asked: Sequence[str] = (), now: datetime | None = None):
    """Store a learner's identifiers. Each permission keeps the moment it was given; taking it
    back clears it (the history keeps both). `asked`: what the claim page asked for, so it is
    not asked again."""
    now = now or timezone.now()
    who = identity_for(person)
    who.npi = data.get("npi", "")
    who.birth_month = data.get("birth_month")
    who.birth_day = data.get("birth_day")
    who.license_state = data.get("license_state", "")
    who.license_number = data.get("license_number", "").strip()
    if data.get("state_consent"):
        who.state_consent_at = who.state_consent_at or now
    else:
        who.state_consent_at = None
    who.asked = sorted(set(who.asked) | set(asked))
    who.save()
    current = {
        b.board: b for b in BoardIdentifier.objects.select_for_update().filter(person=person)
    }
    for board in Board.values:
        board_id = (data.get(f"id_{board}") or "").strip()
        consent = bool(data.get(f"consent_{board}"))
        row = current.get(board)
        if not board_id and not consent:
            if row is not None:
                row.delete()
            continue
        row = row or BoardIdentifier(person=person, board=board)
        changed = row.board_id != board_id or (row.consent_at is not None) != consent
        row.board_id = board_id
        row.consent_at = (row.consent_at or now) if consent else None
        if changed or row.pk is None:
            row.save()
    return who


@transaction.atomic
def identifiers_declined(*, person, asked: list[str]) -> LearnerIdentity:
    """The learner said "not now" on the claim page: do not ask for these again."""
    who = identity_for(person)
    who.asked = sorted(set(who.asked) | set(asked))
    who.save()
    return who


@transaction.atomic
def record_resolve(*, record_id: int, by, now: datetime | None = None) -> CompletionRecord:
    """The office gave up on (or dealt outside the app with) a rejected record."""
    record = CompletionRecord.objects.select_for_update().filter(pk=record_id).first()
    if record is None or record.status != "rejected":
        raise ParsError("not_rejected", "That record is not on the worklist.")
    if record.resolved_at is None:
        record.resolved_at = now or timezone.now()
        record.resolved_by = by
        record.save(update_fields=["resolved_at", "resolved_by"])
    return record


def identifiers_merge(*, keep, duplicate) -> list[str]:
    """When two accounts are merged (faculty.services_merge): the kept person's identifiers win, the
    duplicate's fill what the kept one lacks (a board ID, the NPI, the license...); nothing of
    the duplicate's is left pointing at it. Returns notes for the merge's summary."""
    notes = []
    theirs = LearnerIdentity.objects.filter(person=duplicate).first()
    if theirs is not None:
        mine = LearnerIdentity.objects.filter(person=keep).first()
        if mine is None:
            theirs.person = keep
            theirs.save()
        else:
            filled = []
            for name in ("npi", "birth_month", "birth_day", "license_state", "license_number"):
                if not getattr(mine, name) and getattr(theirs, name):
                    setattr(mine, name, getattr(theirs, name))
                    filled.append(name)
            if {"license_state", "license_number"} & set(filled) or not mine.state_consent_at:
                mine.state_consent_at = mine.state_consent_at or theirs.state_consent_at
            mine.asked = sorted(set(mine.asked) | set(theirs.asked))
            mine.save()
            theirs.delete()
            if filled:
                notes.append("Identifiers for ACCME taken from the duplicate: " + ", ".join(filled))
    held = set(BoardIdentifier.objects.filter(person=keep).values_list("board", flat=True))
    for row in BoardIdentifier.objects.filter(person=duplicate):
        if row.board in held:
            row.delete()
        else:
            row.person = keep
            row.save()
            notes.append(f"{row.get_board_display()} ID taken from the duplicate.")
    return notes
