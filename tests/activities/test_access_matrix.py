"""Every dashboard endpoint against every persona: outsiders get 404, owners may look but get
403 on every change, wrong methods get 405, visitors are sent to sign in, and nothing changes."""

import pytest
from django.urls import reverse

from activities.models import ChildActivity, ChildFile, Comment, ParentActivity, Ticket
from faculty.models import Assignment, Person
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.activities import uploads_data as data
from tests.personas import HTMX, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(child, coordinator, other_series):
    speaker = f.person(last_name="Speaker", email="speaker@umich.edu")
    assignment = f.assign(child, speaker)
    assignment.presentation.save("x", data.upload("talk.pdf", data.PDF), save=True)
    stored = ChildFile(child=child, kind="supporting", original_name="a.pdf", size=1)
    stored.file.save("y", data.upload("a.pdf", data.PDF), save=False)
    stored.save()
    return {"child": child, "assignment": assignment, "speaker": speaker, "file": stored}


# (url name, args from the world, methods allowed, is it a change?)
def endpoints(w):
    c, a, p = w["child"], w["assignment"], w["speaker"]
    return [
        ("child_row", [c.pk], {"GET"}, False),
        ("child_edit", [c.pk], {"GET", "POST"}, True),
        ("child_file_download", [w["file"].pk], {"GET"}, False),
        ("child_deactivate", [c.pk], {"GET", "POST"}, True),  # GET: the confirmation
        ("child_reactivate", [c.pk], {"POST"}, True),
        ("child_move", [c.pk], {"POST"}, True),
        ("parent_calendar", [c.parent_id], {"GET"}, False),
        ("child_comments", [c.pk], {"GET", "POST"}, "post"),
        ("child_email_team", [c.pk], {"GET", "POST"}, False),
        ("child_email_person", [c.pk, p.pk], {"GET", "POST"}, False),
        ("manage_faculty", [c.pk], {"GET"}, True),
        ("faculty_search", [c.pk], {"GET"}, True),
        ("faculty_pick", [c.pk, p.pk], {"GET"}, True),
        ("faculty_add", [c.pk], {"POST"}, True),
        ("faculty_person_new", [c.pk], {"GET", "POST"}, True),
        ("faculty_remove", [a.pk], {"POST"}, True),
        ("presentation_form", [a.pk], {"GET", "POST"}, True),
        ("presentation_download", [a.pk], {"GET"}, False),
        ("presentation_delete", [a.pk], {"POST"}, True),
        ("person_detail", [p.pk], {"GET"}, False),
        ("parent_recurrence", [c.parent_id], {"GET", "POST"}, "post"),
    ]


POST_DATA = {
    "date": "2030-01-01",
    "name": "Changed",
    "body": "Changed",
    "subject": "Changed",
    "nonce": "n" * 20,
    "person": 1,
    "email": "new@example.org",
    "last_name": "New",
    "frequency": "weekly",
    "weekdays": ["MO"],
    "start_time": "08:00",
}


def snapshot():
    return (
        list(ChildActivity.objects.values_list("id", "version", "is_active", "name")),
        list(Assignment.objects.values_list("id", "removed_at", "presentation")),
        list(ParentActivity.objects.values_list("id", "recurrence")),
        Comment.objects.count(),
        Ticket.objects.count(),
        OutboxEmail.objects.count(),
        Person.objects.count(),
        ChildFile.objects.filter(removed_at__isnull=True).count(),
    )


def call(client, method, url):
    if method == "GET":
        return client.get(url, **HTMX)
    return client.post(url, POST_DATA, **HTMX)


def test_outsiders_get_404_and_change_nothing(client, world, outsider):
    before = snapshot()
    login(client, outsider)
    for name, args, methods, _ in endpoints(world):
        for method in methods:
            response = call(client, method, reverse(name, args=args))
            assert response.status_code == 404, (name, method, response.status_code)
    assert snapshot() == before


def test_owners_look_but_get_403_on_changes(client, world, owner):
    before = snapshot()
    login(client, owner)
    for name, args, methods, change in endpoints(world):
        for method in methods:
            response = call(client, method, reverse(name, args=args))
            refused = change is True or (change == "post" and method == "POST")
            if refused:
                assert response.status_code == 403, (name, method, response.status_code)
            elif name.startswith("child_email") and method == "POST":
                continue  # owners may email (checked in test_conversation_view)
            else:
                assert response.status_code == 200, (name, method, response.status_code)
    OutboxEmail.objects.all().delete()
    assert snapshot()[:5] == before[:5] and snapshot()[6:] == before[6:]


def test_wrong_methods_get_405(client, world, coordinator):
    login(client, coordinator)
    for name, args, methods, _ in endpoints(world):
        url = reverse(name, args=args)
        for method in {"GET", "POST", "PUT", "DELETE"} - methods:
            response = getattr(client, method.lower())(url)
            assert response.status_code == 405, (name, method, response.status_code)
    assert client.put(reverse("dashboard")).status_code == 405
    assert client.delete(reverse("child_new")).status_code == 405


def test_visitors_are_sent_to_sign_in(client, world):
    for name, args, _methods, _ in endpoints(world):
        response = client.get(reverse(name, args=args))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), name
