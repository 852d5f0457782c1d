"""The outbox on the production path: a real Redis broker and a real Celery worker (in a thread)."""

import queue
import smtplib
import threading
import time
from datetime import timedelta

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.db import connections

from activities.services.faculty import assignment_add
from rss_dashboard import outbox
from rss_dashboard.models import OutboxEmail, OutboxState
from rss_dashboard.tasks import send_outbox_email, sweep_outbox
from tests import factories as f
from tests.rss_dashboard.backends import FlakyBackend
from tests.rss_dashboard.celery_tools import broker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def finished():
    """Task outcomes as the worker finishes them: (task name, return value or state)."""
    results: queue.Queue = queue.Queue()

    def record(sender=None, retval=None, state=None, **kwargs):
        results.put((sender.name.rsplit(".", 1)[-1], retval if state == "SUCCESS" else state))

    task_postrun.connect(record, weak=False)
    yield results
    task_postrun.disconnect(record)


def next_outcome(results: queue.Queue) -> tuple[str, object]:
    return results.get(timeout=15)  # the worker answers in milliseconds; this only bounds a hang


def test_it_delivers_an_email_queued_by_a_service(celery_on_redis, run_worker, finished):
    child = f.child()
    speaker = f.person(email="speaker@example.org")
    with run_worker():
        assignment_add(child=child, person=speaker)  # commits, then publishes to Redis
        assert next_outcome(finished) == ("send_outbox_email", "sent")
    assert [m.to for m in mail.outbox] == [["speaker@example.org"]]
    assert "Disclosure needed" in mail.outbox[0].subject
    email = OutboxEmail.objects.get()
    assert email.state == OutboxState.SENT and email.attempts == 1


def test_a_broker_outage_loses_nothing_and_the_sweep_sends_once(redis_queue, run_worker, finished):
    url, queue_name = redis_queue
    child = f.child()
    speaker = f.person(email="speaker@example.org")
    with broker(CLOSED_PORT, queue_name):
        began = time.monotonic()
        assignment_add(child=child, person=speaker)  # the coordinator's save succeeds
        assert time.monotonic() - began < 2
    email = OutboxEmail.objects.get()
    assert email.state == OutboxState.QUEUED and email.enqueued_at is None
    assert mail.outbox == []

    with broker(url, queue_name), run_worker():  # Redis is back; beat runs the sweep
        sweep_outbox.delay()
        assert next_outcome(finished) == ("sweep_outbox", 1)
        assert next_outcome(finished) == ("send_outbox_email", "sent")
        sweep_outbox.delay()
        assert next_outcome(finished) == ("sweep_outbox", 0)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.state == OutboxState.SENT


def test_a_task_retried_after_a_transient_smtp_error_sends_once(
    celery_on_redis, run_worker, finished, settings, monkeypatch
):
    settings.EMAIL_BACKEND = "tests.rss_dashboard.backends.FlakyBackend"
    FlakyBackend.failures = [smtplib.SMTPServerDisconnected("Connection unexpectedly closed")]
    monkeypatch.setattr(outbox, "backoff", lambda attempts: timedelta(0))  # retry at once
    child = f.child()
    with run_worker():
        assignment_add(child=child, person=f.person())
        assert next_outcome(finished) == ("send_outbox_email", "RETRY")
        assert next_outcome(finished) == ("send_outbox_email", "sent")
        email = OutboxEmail.objects.get()
        send_outbox_email.delay(email.pk)  # the broker delivers the message once more
        assert next_outcome(finished) == ("send_outbox_email", "skipped")
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (OutboxState.SENT, 2, "")


@pytest.mark.postgres
def test_two_workers_racing_on_the_same_rows_send_each_once():
    child = f.child()
    emails = [
        outbox.queue_email(
            event_key=f"race:{n}",
            kind="test",
            to=[f"person{n}@example.org"],
            template="disclosure_no_action",
            context={"person": f.person(), "child": child, "parent": child.parent},
        )
        for n in range(10)
    ]
    # queue_email sent them inline at commit (eager); put them back as if their tasks were pending.
    OutboxEmail.objects.update(state=OutboxState.QUEUED, attempts=0, sent_at=None)
    mail.outbox.clear()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def worker():
        try:
            start.wait()
            for email in emails:
                outcomes.append(outbox.deliver(email.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["sent"] * 10 + ["skipped"] * 10
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"person{n}@example.org" for n in range(10)
    )
    assert set(OutboxEmail.objects.values_list("state", "attempts")) == {(OutboxState.SENT, 1)}
