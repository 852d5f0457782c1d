"""A merge can be undone from its history (SPEC §16): both people exactly as they were."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from credit.models import Claim
from faculty.models import Person, PersonMerge, SsoIdentity
from faculty.services_merge import person_merge
from faculty.services_merge_undo import (
    UndoError,
    added_since,
    merge_undo,
    snapshot,
    undo_refusal,
)
from tests import factories as f
from tests.faculty.test_merge import claim, counts, world  # noqa: F401 - world is a fixture

pytestmark = pytest.mark.django_db


def state(w):
    """Every row pointing at the two people (and the one merged earlier), and the people."""
    return snapshot([w["keep"].pk, w["dup"].pk, w["earlier"].pk])


def test_undo_restores_both_people_exactly(world, admin_user):  # noqa: F811
    SsoIdentity.objects.create(
        person=world["dup"], method="oidc", issuer="https://idp", subject="s1", email="x@y.org"
    )
    before, before_counts = state(world), counts()
    result = person_merge(keep=world["keep"], duplicate=world["dup"], by=admin_user)
    assert state(world) != before
    merge = PersonMerge.objects.get(pk=result.merge_id)
    moved = {(c["model"], c["action"]) for c in merge.changes["rows"]}
    assert {
        ("credit.claim", "changed"),
        ("faculty.assignment", "changed"),
        ("disclosures.disclosure", "changed"),
        ("activities.parentrole", "deleted"),
        ("activities.parentrole", "changed"),
        ("credit.lateclaimrequest", "changed"),
        ("faculty.ssoidentity", "changed"),
        ("faculty.person", "changed"),
    } <= moved

    undone = merge_undo(merge_id=merge.pk, by=admin_user)

    assert state(world) == before
    assert counts() == before_counts
    dup = Person.objects.get(pk=world["dup"].pk)
    assert dup.is_active and dup.merged_into is None and dup.mobile_phone == "+17345550123"
    assert Person.objects.get(pk=world["keep"].pk).mobile_phone is None
    assert Person.objects.get(pk=world["earlier"].pk).merged_into == dup
    assert SsoIdentity.objects.get().person == dup
    assert not undone.kept_later
    merge.refresh_from_db()
    assert merge.undone_by == admin_user and "Undid merge" in merge.undo_summary


def test_changes_after_the_merge(world, admin_user):  # noqa: F811
    """What happened after the merge: a moved claim keeps its later award and goes back to the
    duplicate; a field the merge filled and someone changed since keeps the later value; a
    claim made after the merge stays with the kept person."""
    keep, dup = world["keep"], world["dup"]
    result = person_merge(keep=keep, duplicate=dup, by=admin_user)
    moved_claim = Claim.objects.get(child=world["claimed_by_dup"])
    assert moved_claim.learner == keep
    awarded = timezone.now()
    Claim.objects.filter(pk=moved_claim.pk).update(awarded_at=awarded)
    keep = Person.objects.get(pk=keep.pk)
    keep.credentials = "MD, PhD"  # the merge had filled "MD" from the duplicate
    keep.affiliation = "Cardiology"  # not touched by the merge
    keep.save()
    later_child = f.child(world["owned"], name="After the merge")
    later_claim = claim(keep, later_child)
    merge = PersonMerge.objects.get(pk=result.merge_id)
    assert added_since(merge) == {"credit.claim": 1}

    undone = merge_undo(merge_id=merge.pk, by=admin_user)

    moved_claim.refresh_from_db()
    assert moved_claim.learner_id == dup.pk and moved_claim.awarded_at == awarded
    later_claim.refresh_from_db()
    assert later_claim.learner_id == keep.pk
    keep.refresh_from_db()
    assert (keep.credentials, keep.affiliation) == ("MD, PhD", "Cardiology")
    assert any("credentials was changed since the merge" in n for n in undone.kept_later)
    assert Person.objects.get(pk=dup.pk).credentials == "MD"


def test_undo_is_refused_when_it_cannot_be_exact(world, admin_user, office):  # noqa: F811
    keep, dup = world["keep"], world["dup"]
    merge_id = person_merge(keep=keep, duplicate=dup, by=admin_user).merge_id
    with pytest.raises(UndoError) as err:
        merge_undo(merge_id=merge_id, by=office)
    assert err.value.code == "forbidden"

    third = f.person(email="jane@elsewhere.org", last_name="Doe", first_name="Jane")
    later = person_merge(keep=third, duplicate=keep, by=admin_user).merge_id
    with pytest.raises(UndoError, match="undo that merge first"):
        merge_undo(merge_id=merge_id, by=admin_user)
    merge_undo(merge_id=later, by=admin_user)
    merge_undo(merge_id=merge_id, by=admin_user)
    with pytest.raises(UndoError, match="already undone"):
        merge_undo(merge_id=merge_id, by=admin_user)


def test_undo_is_offered_within_the_retention_period(world, admin_user, settings):  # noqa: F811
    settings.MERGE_UNDO_DAYS = 30
    merge_id = person_merge(keep=world["keep"], duplicate=world["dup"], by=admin_user).merge_id
    merge = PersonMerge.objects.get(pk=merge_id)
    assert undo_refusal(merge) == ""
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert "30 days" in undo_refusal(merge)
        with pytest.raises(UndoError):
            merge_undo(merge_id=merge_id, by=admin_user)
    assert Person.objects.get(pk=world["dup"].pk).merged_into_id == world["keep"].pk


def test_the_records_of_the_past_do_not_move(world, admin_user):  # noqa: F811
    """Sign-ins and earlier merges describe one account: a later merge leaves them alone."""
    from django.test import Client

    Client().force_login(world["dup"])
    first = person_merge(keep=world["keep"], duplicate=world["dup"], by=admin_user)
    third = f.person(email="j.doe@elsewhere.org", last_name="Doe", first_name="Jane")
    person_merge(keep=third, duplicate=world["keep"], by=admin_user)
    assert PersonMerge.objects.get(pk=first.merge_id).keep_id == world["keep"].pk
    assert world["dup"].sign_ins.count() == 1
    assert Decimal(1) == Decimal("1.00")
