"""Merging duplicate people (SPEC §1): everything moves, nothing is lost, it is audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from activities.models import ChildReview, Comment, ParentRole, ParentRoleKind, Ticket, TicketKind
from activities.services.coi_reviews import coi_review_record
from credit.models import Claim, ClaimChannel, LateClaimRequest, LateClaimState, SmsPendingClaim
from disclosures.models import CoiReview, Disclosure, FinancialRelationship
from disclosures.rules import CoiStatus, Nature, ReviewDecision
from faculty.models import Assignment, Person
from faculty.services import find_person_by_email
from faculty.services_merge import MergeError, merge_preview, person_merge
from tests import factories as f

pytestmark = pytest.mark.django_db
TABLES = [
    Assignment,
    Disclosure,
    FinancialRelationship,
    CoiReview,
    Claim,
    LateClaimRequest,
    ParentRole,
    Comment,
    Ticket,
    ChildReview,
    SmsPendingClaim,
    Person,
]


def counts():
    return {model.__name__: model.objects.count() for model in TABLES}


def claim(learner, child):
    return Claim.objects.create(
        learner=learner, child=child, channel=ClaimChannel.WEB, credit_hours=Decimal("1.00")
    )


@pytest.fixture
def world(office):
    """Two accounts of Jane Doe, each with a history, overlapping in places."""
    keep = f.person(email="jdoe@umich.edu", last_name="Doe", first_name="Jane")
    dup = f.person(
        email="jdoe@med.umich.edu",
        last_name="Doe",
        first_name="Jane",
        credentials="MD",
        mobile_phone="+17345550123",
    )
    both_plan = f.parent(name="Cardiology Grand Rounds", planners=[keep, dup])
    owned = f.parent(name="Tumor Board", owners=[dup])
    shared = f.child(both_plan, name="Heart failure")
    only_dup = f.child(both_plan, name="Valve disease", start=timezone.now() + timedelta(days=20))
    claimed_by_both = f.child(owned, name="Lung nodules", start=timezone.now() - timedelta(days=3))
    claimed_by_dup = f.child(owned, name="Melanoma", start=timezone.now() - timedelta(days=4))

    f.disclosure(keep, at=timezone.now() - timedelta(days=60))
    newer = f.disclosure(
        dup, at=timezone.now() - timedelta(days=2), relationships=[("Acme", Nature.CONSULTANT)]
    )
    a_keep = f.assign(shared, keep)
    a_dup_shared = f.assign(shared, dup)
    a_dup = f.assign(only_dup, dup)
    coi_review_record(assignment=a_dup, reviewer=office, decision=ReviewDecision.APPROVED)

    claim(keep, claimed_by_both)
    claim(dup, claimed_by_both)
    claim(dup, claimed_by_dup)
    LateClaimRequest.objects.create(learner=keep, child=shared, reason="Was on call")
    LateClaimRequest.objects.create(learner=dup, child=shared, reason="Was on call too")
    LateClaimRequest.objects.create(learner=dup, child=only_dup, reason="Forgot")
    SmsPendingClaim.objects.create(phone="+17345550123", child=shared)
    Comment.objects.create(child=shared, author=dup, body="Please fix the time")
    Ticket.objects.create(kind=TicketKind.OTHER, subject="Help", opened_by=dup)
    earlier = f.person(email="jane.doe@old.example.org", last_name="Doe")
    earlier.merged_into, earlier.is_active = dup, False
    earlier.save()
    return {
        "keep": keep,
        "dup": dup,
        "a_keep": a_keep,
        "a_dup_shared": a_dup_shared,
        "a_dup": a_dup,
        "newer": newer,
        "earlier": earlier,
        "claimed_by_both": claimed_by_both,
        "claimed_by_dup": claimed_by_dup,
        "both_plan": both_plan,
        "owned": owned,
    }


def test_a_merge_keeps_every_row_and_moves_it(world, admin_user):
    keep, dup = world["keep"], world["dup"]
    before = counts()
    assert merge_preview(dup)["faculty.Assignment.person"] == 2
    result = person_merge(keep=keep, duplicate=dup, by=admin_user)
    after = counts()
    # The planner role both held is the same fact twice: the only row that goes (in history).
    assert after == {**before, "ParentRole": before["ParentRole"] - 1}
    assert ParentRole.history.filter(history_type="-", history_user=admin_user).count() == 1

    assert set(Assignment.objects.values_list("person_id", flat=True)) == {keep.pk}
    assert set(Disclosure.objects.values_list("person_id", flat=True)) == {keep.pk}
    assert CoiReview.objects.get().assignment.person == keep
    assert Comment.objects.get().author == keep and Ticket.objects.get().opened_by == keep
    assert set(ParentRole.objects.filter(person=keep).values_list("parent_id", "role")) == {
        (world["both_plan"].pk, ParentRoleKind.PLANNER),
        (world["owned"].pk, ParentRoleKind.OWNER),
    }
    assert not ParentRole.objects.filter(person=dup).exists()

    # Both on the same session: the duplicate's assignment is removed (audited), not deleted.
    a_dup_shared = Assignment.objects.get(pk=world["a_dup_shared"].pk)
    assert a_dup_shared.removed_at is not None and a_dup_shared.removed_by == admin_user
    assert Assignment.objects.current().filter(child=world["a_keep"].child).count() == 1

    # Both claimed the same session: the kept person's claim counts, the other stays recorded.
    assert Claim.objects.get(child=world["claimed_by_both"], learner=keep)
    assert Claim.objects.get(child=world["claimed_by_both"], learner=dup)
    assert Claim.objects.get(child=world["claimed_by_dup"]).learner == keep
    closed = LateClaimRequest.objects.get(state=LateClaimState.REFUSED)
    assert closed.learner == keep and "duplicate" in closed.decision_note
    assert LateClaimRequest.objects.filter(learner=keep, state=LateClaimState.PENDING).count() == 2

    dup.refresh_from_db()
    keep.refresh_from_db()
    assert dup.merged_into == keep and not dup.is_active and dup.mobile_phone is None
    assert keep.mobile_phone == "+17345550123" and keep.credentials == "MD"
    assert Person.objects.get(pk=world["earlier"].pk).merged_into == keep
    assert any("Both claimed sessions" in n for n in result.notes)


def test_a_merge_is_audited(world, admin_user):
    keep, dup = world["keep"], world["dup"]
    person_merge(keep=keep, duplicate=dup, by=admin_user)
    entries = LogEntry.objects.filter(user=admin_user).order_by("object_id")
    assert {e.object_id for e in entries} == {str(keep.pk), str(dup.pk)}
    assert all("Merged person" in e.change_message for e in entries)
    last = dup.history.first()
    assert last.history_user == admin_user and "jdoe@med.umich.edu" in last.history_change_reason
    moved = world["a_dup"].history.first()
    assert moved.person_id == keep.pk and moved.history_user == admin_user


def test_a_merge_recomputes_the_statuses(world, admin_user):
    keep = world["keep"]
    assert world["a_keep"].coi_status == CoiStatus.PENDING  # nothing to disclose, 60 days ago
    person_merge(keep=keep, duplicate=world["dup"], by=admin_user)
    a_keep = Assignment.objects.get(pk=world["a_keep"].pk)
    a_dup = Assignment.objects.get(pk=world["a_dup"].pk)
    assert a_keep.coi_status == CoiStatus.NEEDS_REVIEW  # the same human disclosed Acme since
    assert a_dup.coi_status == CoiStatus.APPROVED  # the review was on that very disclosure


def test_the_duplicates_address_finds_the_kept_person(world, admin_user):
    person_merge(keep=world["keep"], duplicate=world["dup"], by=admin_user)
    assert find_person_by_email("JDOE@med.umich.edu") == world["keep"]
    assert find_person_by_email("jane.doe@old.example.org") == world["keep"]


def test_a_merge_is_refused_when_it_makes_no_sense(world, admin_user, office):
    keep, dup = world["keep"], world["dup"]
    cases = [
        (dict(keep=keep, duplicate=dup, by=office), "forbidden"),
        (dict(keep=keep, duplicate=keep, by=admin_user), "same_person"),
        (dict(keep=keep, duplicate=admin_user, by=admin_user), "own_account"),
        (dict(keep=world["earlier"], duplicate=dup, by=admin_user), "keep_inactive"),
        (dict(keep=keep, duplicate=world["earlier"], by=admin_user), "already_merged"),
    ]
    before = counts()
    for kwargs, code in cases:
        with pytest.raises(MergeError) as err:
            person_merge(**kwargs)
        assert err.value.code == code
    assert counts() == before
    assert Person.objects.get(pk=dup.pk).is_active


# --- the admin action -----------------------------------------------------------------------

CHANGELIST = reverse("admin:faculty_person_changelist")


def post_merge(client, people, **extra):
    return client.post(
        CHANGELIST,
        {
            "action": "merge_people",
            helpers.ACTION_CHECKBOX_NAME: [p.pk for p in people],
            "index": "0",
            **extra,
        },
    )


def test_an_administrator_merges_after_a_confirmation(client, world, admin_user):
    keep, dup = world["keep"], world["dup"]
    client.force_login(admin_user)
    response = post_merge(client, [keep, dup])
    assert response.status_code == 200
    body = response.content.decode()
    assert "jdoe@med.umich.edu" in body and "faculty.Assignment.person: 2" in body
    assert Person.objects.get(pk=dup.pk).is_active  # nothing yet
    response = client.post(
        CHANGELIST,
        {
            "action": "merge_people",
            helpers.ACTION_CHECKBOX_NAME: [keep.pk, dup.pk],
            "confirm": "1",
            "keep": keep.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:faculty_person_change", args=[keep.pk])
    assert Person.objects.get(pk=dup.pk).merged_into == keep


def test_the_action_needs_exactly_two_people(client, world, admin_user):
    client.force_login(admin_user)
    response = post_merge(client, [world["keep"]])
    assert response.status_code == 302
    assert Person.objects.filter(merged_into__isnull=False).count() == 1  # only the earlier one


def test_reviewers_cannot_merge(client, world, office):
    client.force_login(office)
    before = counts()
    post_merge(client, [world["keep"], world["dup"]], confirm="1", keep=world["keep"].pk)
    assert counts() == before
    assert Person.objects.get(pk=world["dup"].pk).merged_into is None
    response = client.get(CHANGELIST)
    assert response.status_code == 200 and "merge_people" not in response.content.decode()
