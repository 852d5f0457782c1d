"""The person page: who may see it, and what it shows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.personas import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaker(child, other_child):
    person = f.person(last_name="Speaker", first_name="Sam", credentials="MD")
    f.disclosure(person, relationships=[("Acme", f.CONSULTANT)])
    f.assign(child, person)
    f.assign(other_child, person)
    past = f.child(child.parent, start=timezone.now() - timedelta(days=30), name="Old talk")
    f.assign(past, person)
    return person


def test_it_shows_profile_disclosures_and_assignments(client, coordinator, speaker, child):
    body = login(client, coordinator).get(reverse("person_detail", args=[speaker.pk])).content
    body = body.decode()
    assert "Speaker, Sam, MD" in body
    assert "Acme (Consultant)" in body and "active until" in body
    assert "Upcoming assignments (1)" in body and child.name in body
    assert "Past assignments (1)" in body and "Old talk" in body
    assert "Whipple" not in body  # series B's session is not shown to series A's coordinator


def test_reviewers_see_every_assignment(client, office, speaker):
    body = login(client, office).get(reverse("person_detail", args=[speaker.pk])).content
    assert b"Whipple" in body and b"Upcoming assignments (2)" in body


def test_it_is_not_found_for_people_who_do_not_work_with_the_person(client, speaker):
    stranger = f.person(last_name="Stranger")
    assert (
        login(client, stranger).get(reverse("person_detail", args=[speaker.pk])).status_code == 404
    )
    unrelated = f.person(last_name="Unrelated")
    assert (
        login(client, speaker).get(reverse("person_detail", args=[unrelated.pk])).status_code == 404
    )
    assert (
        login(client, speaker).get(reverse("person_detail", args=[speaker.pk])).status_code == 200
    )
    assert client.post(reverse("person_detail", args=[speaker.pk])).status_code == 405


def test_owners_see_the_people_of_their_series(client, owner, coordinator, speaker):
    assert login(client, owner).get(reverse("person_detail", args=[speaker.pk])).status_code == 200
    assert (
        login(client, owner).get(reverse("person_detail", args=[coordinator.pk])).status_code == 200
    )
