"""Administrators see the outbox, failures with their error, and can retry failed emails."""

import time

import pytest
from django.core import mail

from rss_dashboard.models import OutboxEmail, OutboxState
from tests import factories as f
from tests.rss_dashboard.celery_tools import broker

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/rss_dashboard/outboxemail/"


def failed_email(n=1, **extra) -> OutboxEmail:
    return OutboxEmail.objects.create(
        event_key=f"test:{n}",
        kind="disclosure_request",
        to=["jane@example.org"],
        subject=f"Disclosure needed {n}",
        text_body="Please disclose.",
        state=OutboxState.FAILED,
        attempts=12,
        last_error="SMTPRecipientsRefused({'jane@example.org': (550, b'no such user')})",
        **extra,
    )


@pytest.fixture
def admin_client(client):
    client.force_login(f.administrator())
    return client


def test_it_lists_failed_emails_with_their_error(admin_client):
    failed_email()
    OutboxEmail.objects.create(
        event_key="test:sent",
        kind="k",
        to=["a@example.org"],
        subject="Fine",
        text_body="x",
        state=OutboxState.SENT,
    )
    response = admin_client.get(CHANGELIST, {"state__exact": "failed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Disclosure needed 1" in page and "no such user" in page
    assert "Fine" not in page
    found = admin_client.get(CHANGELIST, {"q": "jane@example"}).content.decode()
    assert "Disclosure needed 1" in found and "Fine" not in found
    email = OutboxEmail.objects.get(event_key="test:1")
    detail = admin_client.get(f"{CHANGELIST}{email.pk}/change/").content.decode()
    assert "Please disclose." in detail and "no such user" in detail


def test_it_retries_failed_emails_and_never_resends_sent_ones(
    admin_client, django_capture_on_commit_callbacks
):
    failed = failed_email()
    sent = OutboxEmail.objects.create(
        event_key="test:sent",
        kind="k",
        to=["a@example.org"],
        subject="Sent",
        text_body="x",
        state=OutboxState.SENT,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "1 email(s) queued again." in response.content.decode()
    assert "1 email(s) left alone" in response.content.decode()
    failed.refresh_from_db()
    assert failed.state == OutboxState.SENT and failed.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Disclosure needed 1"]


def test_a_retry_while_the_broker_is_down_answers_at_once_and_keeps_the_email(
    admin_client, django_capture_on_commit_callbacks
):
    failed = failed_email()
    with broker("redis://127.0.0.1:1/0", "rss-test-closed"):
        began = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                CHANGELIST, {"action": "retry", "_selected_action": [failed.pk]}
            )
        assert time.monotonic() - began < 2
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == OutboxState.QUEUED and failed.enqueued_at is None  # for the sweep


@pytest.mark.parametrize("who, status", [("reviewer", 403), ("coordinator", 302)])
def test_only_administrators_read_the_outbox(client, who, status):
    """Bodies hold personal links; reviewers work elsewhere, others are sent to sign in."""
    email = failed_email()
    client.force_login(f.reviewer() if who == "reviewer" else f.person())
    assert client.get(CHANGELIST).status_code == status
    assert client.get(f"{CHANGELIST}{email.pk}/change/").status_code == status
    response = client.post(CHANGELIST, {"action": "retry", "_selected_action": [email.pk]})
    assert response.status_code == status
    email.refresh_from_db()
    assert email.state == OutboxState.FAILED
