"""Signing in with email and password, signing out, resetting a password through the outbox."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from rss_dashboard.models import OutboxEmail
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_signs_in_with_the_email_and_signs_out(client, coordinator, series):
    page = client.get(reverse("login"))
    assert b'type="email"' in page.content and b"Forgot your password?" in page.content
    wrong = client.post(reverse("login"), {"username": coordinator.email, "password": "nope"})
    assert b"do not match an account" in wrong.content
    response = client.post(
        reverse("login"), {"username": coordinator.email, "password": f.PASSWORD}, follow=True
    )
    assert response.request["PATH_INFO"] == reverse("dashboard")
    out = client.post(reverse("logout"), follow=True)
    assert out.request["PATH_INFO"] == reverse("login")
    assert client.get(reverse("dashboard")).status_code == 302


def test_it_resets_a_password_through_the_outbox(client, coordinator, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.com"]
    page = client.get(reverse("password_reset"))
    assert b"Reset your password" in page.content
    response = client.post(
        reverse("password_reset"), {"email": coordinator.email}, HTTP_HOST="other.example.com"
    )
    assert response.status_code == 302
    email = OutboxEmail.objects.get(kind="password_reset")
    assert email.to == [coordinator.email]
    link = re.search(r"https://rss\.example\.org(/accounts/reset/\S+/)", email.text_body)
    assert link, email.text_body  # the link is on SITE_URL, never on the request's Host
    confirm = client.get(link.group(1), follow=True)
    assert b"Choose a new password" in confirm.content
    done = client.post(
        confirm.request["PATH_INFO"],
        {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"},
        follow=True,
    )
    assert b"Password changed" in done.content
    coordinator.refresh_from_db()
    assert coordinator.check_password("a-new-long-passphrase-42")


def test_it_says_nothing_about_unknown_addresses(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert b"If an account uses that address" in response.content
    assert not OutboxEmail.objects.exists()


def test_the_sign_in_page_links_to_registration_keeping_next(client, db):
    page = client.get(reverse("login"), {"next": "/claim/12/?src=qr"}).content.decode()
    assert f'href="{reverse("register")}?next=/claim/12/%3Fsrc%3Dqr"' in page
    assert "Create an account" in page


def test_a_person_added_by_a_coordinator_sets_a_first_password_by_reset(client, db):
    from faculty.services import person_create

    added = person_create(email="New.Speaker@umich.edu", last_name="Speaker", first_name="Nina")
    assert not added.has_usable_password()
    client.post(reverse("password_reset"), {"email": "new.speaker@UMICH.edu"})
    email = OutboxEmail.objects.get(kind="password_reset")
    assert email.to == [added.email]
    link = re.search(r"https://rss\.example\.org(/accounts/reset/\S+/)", email.text_body)
    confirm = client.get(link.group(1), follow=True)
    client.post(
        confirm.request["PATH_INFO"],
        {
            "new_password1": "a-first-long-passphrase-7",
            "new_password2": "a-first-long-passphrase-7",
        },
    )
    added.refresh_from_db()
    assert added.check_password("a-first-long-passphrase-7")
    assert client.login(username=added.email, password="a-first-long-passphrase-7")


def test_deactivated_people_get_no_reset_email(client, db):
    gone = f.person(email="gone@umich.edu")
    gone.is_active = False
    gone.set_unusable_password()
    gone.save()
    client.post(reverse("password_reset"), {"email": gone.email})
    assert not OutboxEmail.objects.exists()


def test_password_reset_cannot_flood_an_inbox(client, coordinator):
    """Issue 13.5: 20 resets in 22 seconds reached one address. Now one every five minutes per
    address, with the same answer to the client whatever happens."""
    import time_machine

    start = f.local(2026, 3, 2, 9, 0)
    with time_machine.travel(start, tick=False):
        answers = [
            client.post(reverse("password_reset"), {"email": coordinator.email.upper()})
            for _ in range(20)
        ]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert OutboxEmail.objects.filter(kind="password_reset").count() == 1
    with time_machine.travel(start + timedelta(minutes=5, seconds=1), tick=False):
        client.post(reverse("password_reset"), {"email": coordinator.email}, REMOTE_ADDR="10.1.2.3")
    assert OutboxEmail.objects.filter(kind="password_reset").count() == 2


def test_password_reset_is_limited_per_client(client, db):
    import time_machine

    people = [f.person(email=f"p{i}@umich.edu", last_name=f"P{i}") for i in range(12)]
    with time_machine.travel(f.local(2026, 3, 2, 9, 0), tick=False):
        for person in people:
            answer = client.post(reverse("password_reset"), {"email": person.email})
            assert answer["Location"] == reverse("password_reset_done")
        other = client.post(
            reverse("password_reset"), {"email": people[-1].email}, REMOTE_ADDR="10.1.2.3"
        )
    assert other["Location"] == reverse("password_reset_done")
    sent = OutboxEmail.objects.filter(kind="password_reset")
    # Ten from the first client; the twelfth address still gets its email from another client.
    assert sent.count() == 11
    assert sent.filter(to=[people[-1].email]).exists()
    assert not sent.filter(to=[people[-2].email]).exists()
