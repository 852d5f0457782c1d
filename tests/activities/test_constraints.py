"""Invariants live in the database, not only in forms (checked on PostgreSQL in CI)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from activities.models import ChildActivity
from credit.models import Claim
from faculty.models import Assignment, Person
from tests import factories as f

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_one_claim_per_learner_and_child():
    child = f.child()
    learner = f.person()
    Claim.objects.create(learner=learner, child=child, channel="sms", credit_hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(learner=learner, child=child, channel="web", credit_hours=1)
    assert Claim.objects.count() == 1


def test_email_is_unique_whatever_the_case():
    f.person(email="jdoe@umich.edu")
    with pytest.raises(IntegrityError), transaction.atomic():
        # A raw insert, as a careless import would do, bypassing normalisation.
        Person.objects.bulk_create(
            [Person(email="JDoe@UMich.edu", last_name="Doe", last_name_lower="doe", password="!")]
        )
    assert Person.objects.filter(email__iexact="jdoe@umich.edu").count() == 1


def test_a_child_id_is_never_reused():
    child = f.child()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildActivity.objects.create(
            id=child.id, parent=child.parent, name="Another", start=child.start, end=child.end
        )
    newer = f.child(child.parent)
    assert newer.id > child.id


def test_a_child_is_deactivated_never_deleted():
    child = f.child()
    with pytest.raises(ValidationError, match="deactivated, never deleted"):
        child.delete()
    assert ChildActivity.objects.filter(pk=child.pk).exists()


@pytest.mark.postgres
def test_child_ids_come_from_a_sequence_that_never_goes_back():
    """Even after a raw delete of the newest child by an operator, its id is not handed out again:
    the ids come from a sequence owned by the column that neither cycles nor counts down (the
    backup test checks that a restore keeps the sequence's place)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.cycle, s.increment_by FROM pg_sequences s "
            "WHERE format('%I.%I', s.schemaname, s.sequencename)::regclass "
            "= pg_get_serial_sequence('activities_childactivity', 'id')::regclass"
        )
        assert cursor.fetchall() == [(False, 1)]
    newest = f.child()
    ChildActivity.objects.filter(pk=newest.pk).delete()
    assert f.child().id > newest.id


def test_end_must_follow_start():
    child = f.child()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildActivity.objects.filter(pk=child.pk).update(end=child.start - timedelta(minutes=1))


def test_one_current_assignment_per_person_and_child():
    child = f.child()
    who = f.person()
    f.assign(child, who)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(child=child, person=who)


def test_phone_numbers_are_unique_and_e164():
    f.person(mobile_phone="+17345550101")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.person(mobile_phone="+17345550101")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.person(mobile_phone="734-555-0102")
