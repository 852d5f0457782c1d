"""Free text has a limit in the form, the service and the database (issue 13.7): 9,000,000
characters of objectives made a 9 MB editor and flyer; a 5 MB email body went into the outbox."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from activities.models import ChildActivity, Comment
from activities.services.messages import MessageError, message_send
from rss_dashboard import limits
from rss_dashboard.models import OutboxEmail
from tests.activities.test_editor_view import form_data
from tests.personas import INSIDE, login

pytestmark = pytest.mark.django_db


def test_the_editor_refuses_huge_objectives_and_changes_nothing(client, coordinator, child):
    before = (child.objectives, child.version)
    response = login(client, coordinator).post(
        reverse("child_edit", args=[child.pk]),
        form_data(child, objectives="x" * 9_000_000),
        **INSIDE,
    )
    assert response.status_code == 200
    assert b"at most 4000 characters" in response.content
    child.refresh_from_db()
    assert (child.objectives, child.version) == before


def test_the_editor_keeps_objectives_at_the_limit(client, coordinator, child):
    login(client, coordinator).post(
        reverse("child_edit", args=[child.pk]),
        form_data(child, objectives="y" * limits.OBJECTIVES),
        **INSIDE,
    )
    child.refresh_from_db()
    assert len(child.objectives) == limits.OBJECTIVES


def test_a_huge_email_body_is_refused_and_nothing_is_queued(client, coordinator, child):
    url = reverse("child_email_team", args=[child.pk])
    response = login(client, coordinator).post(
        url, {"subject": "Big", "body": "z" * 5_000_000, "nonce": "n" * 20}, **INSIDE
    )
    assert b"at most 10000 characters" in response.content
    assert not OutboxEmail.objects.exists()


def test_the_message_service_refuses_a_huge_body_too(coordinator, owner, child):
    with pytest.raises(MessageError) as refused:
        message_send(
            child=child,
            sender=coordinator,
            recipients=[owner],
            subject="Big",
            body="z" * (limits.MESSAGE + 1),
            nonce="n" * 20,
            why="test",
        )
    assert refused.value.code == "body_too_long"
    assert not OutboxEmail.objects.exists()


def test_the_database_refuses_objectives_past_the_limit_whatever_writes_it(child):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildActivity.objects.filter(pk=child.pk).update(objectives="o" * (limits.OBJECTIVES + 1))


def test_the_database_refuses_a_comment_past_the_limit(child, coordinator):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(child=child, author=coordinator, body="c" * (limits.COMMENT + 1))
