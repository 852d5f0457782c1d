"""Issue 14 item 4: someone without a password (faculty a coordinator added) reaches the
disclosure form through "Email me a link" on the sign-in page, and the manual's Form.aspx link
says so instead of only asking for a password."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from disclosures.links import person_id_from_token
from faculty.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def added(db):
    """Created by a coordinator in Manage Faculty: no usable password."""
    return person_create(email="nell@umich.edu", last_name="Nodisc", first_name="Nell")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def call(data):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("email_link"), data)
        return response, mail.outbox[before:]

    return call


def test_the_forms_legacy_link_leads_to_a_sign_in_page_that_offers_a_link(client):
    legacy = client.get("/Form.aspx?FormID=42", follow=True)
    body = legacy.content.decode()
    assert legacy.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Here for your disclosure?" in body and "email me a personal link" in body
    assert reverse("email_link") + "?next=/disclosure/" in body


def test_email_me_a_link_sends_the_personal_disclosure_link(client, added, post):
    assert added.has_usable_password() is False
    page = client.get(reverse("email_link"), {"next": "/disclosure/"})
    assert "you do not need a password" in page.content.decode()
    response, sent = post({"email": "Nell@UMICH.edu", "next": "/disclosure/"})
    assert response.status_code == 200
    assert "If Nell@UMICH.edu belongs to an account" in response.content.decode()
    (message,) = sent
    assert message.to == ["nell@umich.edu"]
    token = re.search(r"/disclosure/\?t=(\S+)", message.body).group(1)
    assert person_id_from_token(token)[0] == added.pk
    form = client.get(f"/disclosure/?t={token}")
    assert form.status_code == 200 and "Nodisc" in form.content.decode()


def test_without_the_disclosure_it_sends_the_link_to_set_a_password(added, post):
    response, sent = post({"email": "nell@umich.edu"})
    (message,) = sent
    assert "/accounts/reset/" in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_email(post):
    response, sent = post({"email": "nobody@umich.edu", "next": "/disclosure/"})
    assert response.status_code == 200
    assert "If nobody@umich.edu belongs to an account" in response.content.decode()
    assert sent == []


def test_it_is_limited_per_address_silently_and_per_caller(added, post, settings, one_rate_window):
    settings.CREDIT_RATE_LIMITS = {"email_link_address": (2, 3600), "email_link_ip": (4, 3600)}
    sent_total = []
    for _ in range(3):
        response, sent = post({"email": "nell@umich.edu", "next": "/disclosure/"})
        assert response.status_code == 200
        sent_total += sent
    assert len(sent_total) == 2  # the third asked for nothing new and told nobody
    post({"email": "other@umich.edu"})
    response, _ = post({"email": "nell@umich.edu"})
    assert response.status_code == 429


def test_a_bad_next_is_ignored(client):
    page = client.get(reverse("email_link"), {"next": "https://evil.example.com/disclosure/"})
    assert "evil.example.com" not in page.content.decode()
