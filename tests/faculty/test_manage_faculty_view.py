"""The Manage Faculty window: search as you type, pre-set checkboxes, add, new person, remove."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.rules import ChildStatus
from faculty.models import Assignment, EmailDomainAlias, Person
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.personas import HTMX, INSIDE, WINDOW, login

pytestmark = pytest.mark.django_db


def test_it_opens_for_coordinators_only(client, coordinator, owner, outsider, child):
    url = reverse("manage_faculty", args=[child.pk])
    body = login(client, coordinator).get(url, **WINDOW).content.decode()
    assert "Manage Faculty" in body and 'id="faculty-search"' in body
    assert login(client, owner).get(url, **WINDOW).status_code == 403
    assert login(client, outsider).get(url, **WINDOW).status_code == 404
    assert client.post(url).status_code == 405


def test_it_searches_last_name_first_as_you_type(client, coordinator, owner, child):
    smith = f.person(last_name="Smith", first_name="Jane", email="jsmith@umich.edu")
    f.person(last_name="Smithson", first_name="Al")
    f.person(last_name="Jones", first_name="Smith")
    f.assign(child, f.person(last_name="Smith", first_name="Assigned"))
    url = reverse("faculty_search", args=[child.pk])
    login(client, coordinator)
    body = client.get(url, {"q": "smi"}, **HTMX).content.decode()
    assert "Smith, Jane" in body and "jsmith@umich.edu" in body and "Smithson, Al" in body
    assert "Jones" not in body
    assert "Smith, Assigned" in body and "already faculty" in body
    narrowed = client.get(url, {"q": "Smith, J"}, **HTMX).content.decode()
    assert "Smith, Jane" in narrowed and "Smithson" not in narrowed
    assert reverse("faculty_pick", args=[child.pk, smith.pk]) in narrowed
    assert b"Nobody found" in client.get(url, {"q": "Zzz"}, **HTMX).content
    assert login(client, owner).get(url, {"q": "smi"}).status_code == 403


def test_it_presets_request_disclosure_from_the_active_disclosure(client, coordinator, child):
    active = f.person(last_name="Active")
    f.disclosure(active, at=timezone.now() - timedelta(days=100))
    expired = f.person(last_name="Expired")
    f.disclosure(expired, at=child.start - timedelta(days=400))
    never = f.person(last_name="Never")
    login(client, coordinator)

    def pick(person):
        return client.get(reverse("faculty_pick", args=[child.pk, person.pk]), **HTMX).content

    def checked(content: bytes) -> bool:
        tag = re.search(rb'<input[^>]*name="request_disclosure"[^>]*>', content).group()
        return b" checked" in tag

    assert not checked(pick(active)) and b"Active disclosure on file" in pick(active)
    assert checked(pick(expired)) and b"expired" in pick(expired)
    assert checked(pick(never)) and b"No disclosure on file" in pick(never)


def test_it_adds_faculty_confirms_and_updates_the_row(client, coordinator, child):
    speaker = f.person(last_name="Smith", first_name="Jane")
    f.disclosure(speaker)
    assert child.status == ChildStatus.INCOMPLETE
    response = login(client, coordinator).post(
        reverse("faculty_add", args=[child.pk]),
        {
            "person": speaker.pk,
            "role": "speaker",
            "request_disclosure": "",
            "request_presentation": "on",
        },
        **INSIDE,
    )
    body = response.content.decode()
    assert "Faculty member added." in body
    assert "Smith, Jane was added as faculty for this activity." in body
    assert "a presentation request" in body
    assert f'<tr id="child-row-{child.pk}"' in body and 'hx-swap-oob="true"' in body
    assert "Smith, Jane: <strong>PENDING</strong>" in body  # the COI column changed
    assert json.loads(response["HX-Trigger"])["showMessage"].startswith("Faculty member added")
    assignment = Assignment.objects.get()
    assert not assignment.request_disclosure and assignment.request_presentation
    child.refresh_from_db()
    assert child.status == ChildStatus.PENDING
    emails = OutboxEmail.objects.all()
    assert [e.kind for e in emails] == ["presentation_request"]
    assert assignment.presentation_token in emails[0].text_body


def test_it_refuses_adding_someone_twice(client, coordinator, child):
    speaker = f.person(last_name="Twice")
    f.assign(child, speaker)
    response = login(client, coordinator).post(
        reverse("faculty_add", args=[child.pk]), {"person": speaker.pk, "role": "speaker"}, **INSIDE
    )
    assert b"already faculty on this session" in response.content
    assert Assignment.objects.count() == 1


def test_it_refuses_owners_and_outsiders_adding(client, owner, outsider, child):
    speaker = f.person(last_name="Nobody")
    url = reverse("faculty_add", args=[child.pk])
    assert login(client, owner).post(url, {"person": speaker.pk}, **INSIDE).status_code == 403
    assert login(client, outsider).post(url, {"person": speaker.pk}, **INSIDE).status_code == 404
    assert client.get(url).status_code == 405
    assert not Assignment.objects.exists()


def test_it_creates_a_new_person_and_offers_to_add_them(client, coordinator, child):
    url = reverse("faculty_person_new", args=[child.pk])
    login(client, coordinator)
    assert b"Add a new person" in client.get(url, **HTMX).content
    response = client.post(
        url,
        {"email": " New.Person@Example.org ", "last_name": "Person", "first_name": "New"},
        **HTMX,
    )
    person = Person.objects.get(email="new.person@example.org")
    assert b"Account created for Person, New" in response.content
    assert f'name="person" value="{person.pk}"'.encode() in response.content


def test_it_proposes_the_existing_account_instead_of_a_duplicate(client, coordinator, child):
    EmailDomainAlias.objects.create(alias_domain="med.umich.edu", canonical_domain="umich.edu")
    existing = f.person(email="jdoe@umich.edu", last_name="Doe", first_name="Jane")
    response = login(client, coordinator).post(
        reverse("faculty_person_new", args=[child.pk]),
        {"email": "jdoe@med.umich.edu", "last_name": "Doe", "first_name": "Jane"},
        **HTMX,
    )
    body = response.content.decode()
    assert "Doe, Jane already has an account as <strong>jdoe@umich.edu</strong>" in body
    assert reverse("faculty_pick", args=[child.pk, existing.pk]) in body
    assert Person.objects.filter(last_name="Doe").count() == 1


def test_it_removes_faculty_from_the_window_and_from_the_row(client, coordinator, child):
    first = f.assign(child, f.person(last_name="First"))
    second = f.assign(child, f.person(last_name="Second"))
    login(client, coordinator)
    in_window = client.post(reverse("faculty_remove", args=[first.pk]), **INSIDE)
    assert b"Removed First" in in_window.content
    assert b'hx-swap-oob="true"' in in_window.content and b"Manage Faculty" in in_window.content
    in_row = client.post(reverse("faculty_remove", args=[second.pk]), HTTP_HX_REQUEST="true")
    body = in_row.content.decode()
    assert body.startswith(f'<tr id="child-row-{child.pk}"') and "No faculty assigned." in body
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.removed_at and second.removed_by == coordinator  # soft, audited


def test_it_refuses_removal_to_owners_and_outsiders(client, owner, outsider, child):
    a = f.assign(child, f.person(last_name="Stays"))
    url = reverse("faculty_remove", args=[a.pk])
    assert login(client, owner).post(url, **HTMX).status_code == 403
    assert login(client, outsider).post(url, **HTMX).status_code == 404
    assert client.get(url).status_code == 405
    a.refresh_from_db()
    assert a.removed_at is None
