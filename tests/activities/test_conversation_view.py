"""Comments on a child (coordinators and the office) and emails to a child's people."""

import json

import pytest
from django.urls import reverse

from activities.models import Comment
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.personas import INSIDE, WINDOW, login

pytestmark = pytest.mark.django_db


def comments(child):
    return reverse("child_comments", args=[child.pk])


def test_a_coordinators_comment_emails_the_office(client, coordinator, child, settings):
    response = login(client, coordinator).post(
        comments(child), {"body": "Speaker changed; please re-check O'Brien & co."}, **INSIDE
    )
    assert response.status_code == 200
    assert b"Speaker changed; please re-check O&#x27;Brien &amp; co." in response.content
    assert f'<tr id="child-row-{child.pk}"'.encode() in response.content  # count updates
    comment = Comment.objects.get()
    assert comment.author == coordinator and not comment.from_office
    email = OutboxEmail.objects.get(kind="child_comment")
    assert email.to == [settings.OFFICE_EMAIL]
    assert email.reply_to == [coordinator.email]
    assert "Speaker changed; please re-check O'Brien & co." in email.text_body  # plain text
    assert "O&#x27;Brien &amp; co." in email.html_body  # escaped in HTML
    assert f"/dashboard/?child_id={child.pk}" in email.text_body
    assert "Why you get this" in email.text_body


def test_the_offices_comment_emails_the_coordinators(client, office, coordinator, owner, child):
    login(client, office).post(
        comments(child), {"body": "Please change the name to the topic."}, **INSIDE
    )
    assert Comment.objects.get().from_office
    email = OutboxEmail.objects.get(kind="child_comment")
    assert email.to == [coordinator.email]  # the coordinators, not the owners


def test_owners_read_the_thread_but_do_not_post(client, owner, outsider, office, child):
    Comment.objects.create(child=child, author=office, from_office=True, body="Looks good.")
    page = login(client, owner).get(comments(child), **WINDOW)
    assert b"Looks good." in page.content and b"<textarea" not in page.content
    assert client.post(comments(child), {"body": "Hi"}, **INSIDE).status_code == 403
    assert login(client, outsider).get(comments(child), **WINDOW).status_code == 404
    assert Comment.objects.count() == 1
    assert client.put(comments(child)).status_code == 405


def test_an_empty_comment_is_refused(client, coordinator, child):
    response = login(client, coordinator).post(comments(child), {"body": "   "}, **INSIDE)
    assert b"This field is required." in response.content
    assert not Comment.objects.exists()


def test_it_emails_all_owners_and_coordinators_once(client, coordinator, owner, child):
    url = reverse("child_email_team", args=[child.pk])
    second = f.person(last_name="Second", email="second@umich.edu")
    from activities.models import ParentRole, ParentRoleKind

    ParentRole.objects.create(parent=child.parent, person=second, role=ParentRoleKind.COORDINATOR)
    form = login(client, coordinator).get(url, **WINDOW).content.decode()
    assert "Owner, Owen" in form and "Second" in form
    payload = {"subject": "Room change & more", "body": "We move to Kahn.", "nonce": "n" * 20}
    response = client.post(url, payload, **INSIDE)
    assert json.loads(response["HX-Trigger"])["closeModal"] is True
    client.post(url, payload, **INSIDE)  # submitted twice: sent once
    email = OutboxEmail.objects.get(kind="coordinator_message")
    assert email.to == sorted([owner.email, second.email])  # the sender is not written to
    assert email.reply_to == [coordinator.email]
    assert email.subject == "Room change & more"
    assert "We move to Kahn." in email.text_body and "Why you get this" in email.text_body


def test_owners_may_email_too(client, owner, coordinator, child):
    url = reverse("child_email_team", args=[child.pk])
    login(client, owner).post(
        url, {"subject": "Hello", "body": "From the owner", "nonce": "o" * 20}, **INSIDE
    )
    assert OutboxEmail.objects.get().to == [coordinator.email]


def test_it_emails_only_people_of_the_child(client, coordinator, outsider, child):
    speaker = f.person(last_name="Speaker", email="speaker@umich.edu")
    f.assign(child, speaker)
    stranger = f.person(last_name="Stranger")
    login(client, coordinator)
    ok = reverse("child_email_person", args=[child.pk, speaker.pk])
    client.post(ok, {"subject": "Slides", "body": "Send them", "nonce": "s" * 20}, **INSIDE)
    assert OutboxEmail.objects.get().to == ["speaker@umich.edu"]
    assert (
        client.get(reverse("child_email_person", args=[child.pk, stranger.pk])).status_code == 404
    )
    assert login(client, outsider).get(ok, **WINDOW).status_code == 404
