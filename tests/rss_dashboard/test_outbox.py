"""The outbox (SPEC §12) with Celery inline: one row per event, sent after commit, retried with
backoff, failures kept for administrators, and a dead broker never holding up a save."""

import smtplib
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from rss_dashboard import outbox
from rss_dashboard.emails import build_email
from rss_dashboard.models import OutboxEmail, OutboxState
from tests import factories as f
from tests.rss_dashboard.backends import FlakyBackend
from tests.rss_dashboard.celery_tools import broker

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def flaky_backend(settings):
    settings.EMAIL_BACKEND = "tests.rss_dashboard.backends.FlakyBackend"
    FlakyBackend.failures = []
    yield FlakyBackend
    FlakyBackend.failures = []


@pytest.fixture
def child():
    parent = f.parent(name="Heart & Lung Grand Rounds")
    return f.child(parent, name="Valves & vessels", start=T0 + timedelta(days=20))


def queue(key="event:1", to=("jane@example.org",), child=None):
    return outbox.queue_email(
        event_key=key,
        kind="test",
        to=list(to),
        template="disclosure_no_action",
        context={"person": f.person(), "child": child, "parent": child.parent},
    )


def test_it_writes_one_row_per_event_and_sends_it_after_commit(
    child, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue(child=child)
        assert mail.outbox == []  # not before the commit
        assert queue(child=child) is None  # the same event again: nothing
    assert len(callbacks) == 1
    assert OutboxEmail.objects.count() == 1
    first.refresh_from_db()
    assert first.state == OutboxState.SENT and first.attempts == 1
    assert [m.to for m in mail.outbox] == [["jane@example.org"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.message_id(first)


def test_it_writes_nothing_when_the_change_rolls_back(child, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue(child=child)
        raise RuntimeError("the change failed")
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_it_queues_nothing_without_recipients(child):
    assert queue(child=child, to=["", "  "]) is None
    assert not OutboxEmail.objects.exists()


def test_it_renders_text_unescaped_and_times_in_the_session_zone(child):
    child.time_zone = "America/Los_Angeles"
    child.start = datetime(2026, 3, 20, 17, 0, tzinfo=UTC)
    built = build_email(
        "disclosure_request",
        {"person": f.person(first_name="Ann"), "child": child, "parent": child.parent, "link": "L"},
    )
    assert "Heart & Lung Grand Rounds" in built.text and "&amp;" not in built.text
    assert '"Valves & vessels"' in built.text
    assert "Heart &amp; Lung Grand Rounds" in built.html
    assert "Friday, March 20, 2026, 10:00 AM PDT" in built.text  # not Detroit's 1:00 PM EDT
    assert built.subject == "Disclosure needed: Valves & vessels on Mar 20, 2026"


def test_times_of_several_sessions_show_in_the_site_zone_whatever_the_request_activated(child):
    child.time_zone = "America/Los_Angeles"
    child.start = datetime(2026, 3, 20, 17, 0, tzinfo=UTC)
    row = {"child": child, "status": "PENDING", "advice": "", "missing": [], "dashboard_url": "u"}
    with timezone.override("Asia/Tokyo"):
        built = build_email(
            "weekly_digest",
            {"person": f.person(), "rows": [row], "until": T0.date(), "dashboard_url": "d"},
        )
    assert "Fri Mar 20, 1:00 PM EDT" in built.text  # the same moment, in America/Detroit


def test_it_retries_a_transient_failure_with_backoff_and_sends_once(child, flaky_backend):
    flaky_backend.failures = [smtplib.SMTPServerDisconnected("Connection unexpectedly closed")]
    with time_machine.travel(T0, tick=False):
        email = queue(child=child)
        outbox.enqueue(email.pk)  # inline: the first attempt fails
        email.refresh_from_db()
        assert email.state == OutboxState.QUEUED and email.attempts == 1
        assert email.next_attempt_at == T0 + timedelta(seconds=30)
        assert "Connection unexpectedly closed" in email.last_error
        assert outbox.sweep() == 0  # not due yet
        assert outbox.deliver(email.pk) == "skipped"  # an early duplicate does nothing
    with time_machine.travel(T0 + timedelta(seconds=31), tick=False):
        assert outbox.sweep() == 1
        assert outbox.sweep() == 0
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (OutboxState.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_it_backs_off_exponentially_up_to_an_hour():
    assert [outbox.backoff(n).total_seconds() for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


@pytest.mark.parametrize(
    "exc, kind",
    [
        (smtplib.SMTPServerDisconnected("bye"), "transient"),
        (smtplib.SMTPConnectError(421, b"busy"), "transient"),
        (smtplib.SMTPResponseException(451, b"try later"), "transient"),
        (smtplib.SMTPDataError(554, b"rejected"), "permanent"),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), "permanent"),
        (smtplib.SMTPRecipientsRefused({"a@x.org": (550, b"no such user")}), "permanent"),
        (smtplib.SMTPRecipientsRefused({"a@x.org": (450, b"mailbox busy")}), "transient"),
        (TimeoutError("timed out"), "transient"),
        (ConnectionRefusedError(111, "refused"), "transient"),
        (socket.gaierror(-2, "Name or service not known"), "transient"),
        (UnicodeEncodeError("ascii", "é", 0, 1, "x"), "permanent"),
    ],
)
def test_it_tells_transient_from_permanent_failures(exc, kind):
    assert outbox.classify(exc) == kind


def test_it_keeps_a_permanent_failure_with_its_error(child, flaky_backend):
    flaky_backend.failures = [
        smtplib.SMTPRecipientsRefused({"jane@example.org": (550, b"5.1.1 no such user")})
    ]
    email = queue(child=child)  # created now: due at once
    assert outbox.deliver(email.pk) == OutboxState.FAILED
    email.refresh_from_db()
    assert email.state == OutboxState.FAILED and "no such user" in email.last_error
    assert outbox.sweep() == 0 and mail.outbox == []


def test_it_gives_up_after_the_last_attempt(child, flaky_backend):
    flaky_backend.failures = [TimeoutError("smtp timed out")] * outbox.MAX_ATTEMPTS
    with time_machine.travel(T0, tick=False):
        email = queue(child=child)
    now = T0
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        with time_machine.travel(now, tick=False), pytest.raises(outbox.TransientEmailError):
            outbox.deliver(email.pk)
        now += outbox.backoff(attempt)
    with time_machine.travel(now, tick=False):
        assert outbox.deliver(email.pk) == OutboxState.FAILED
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutboxState.FAILED, outbox.MAX_ATTEMPTS)
    assert "smtp timed out" in email.last_error


def test_it_resends_a_row_whose_worker_died_and_ignores_that_worker_later(child):
    """The at-least-once choice: a claim older than STALE_CLAIM goes back to the queue."""
    with time_machine.travel(T0, tick=False):
        email = queue(child=child)
        dead_token = outbox._claim(email.pk, timezone.now())  # a worker claimed it, then died
        assert dead_token and outbox.sweep() == 0  # a live claim is left alone
    with time_machine.travel(T0 + outbox.STALE_CLAIM + timedelta(seconds=1), tick=False):
        assert outbox.sweep() == 1  # released and sent inline
    email.refresh_from_db()
    assert email.state == OutboxState.SENT and email.attempts == 2
    assert len(mail.outbox) == 1
    # The dead worker waking up cannot overwrite what the live one wrote.
    assert not outbox._finish(email.pk, dead_token, state=OutboxState.FAILED, last_error="late")
    email.refresh_from_db()
    assert email.state == OutboxState.SENT and email.last_error == ""


def test_the_sweep_leaves_rows_handed_to_the_broker_alone_for_a_while(child):
    with time_machine.travel(T0, tick=False):
        email = queue(child=child)  # handed over at T0 (its task never ran in this test)
        assert outbox.sweep() == 0
    with time_machine.travel(T0 + outbox.SWEEP_GRACE + timedelta(seconds=1), tick=False):
        assert outbox.sweep() == 1  # the message was lost (e.g. Redis restarted): sent now
    email.refresh_from_db()
    assert email.state == OutboxState.SENT


def test_a_closed_broker_port_does_not_hold_up_the_save(child, django_capture_on_commit_callbacks):
    with broker("redis://127.0.0.1:1/0", "rss-test-closed"):
        began = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            first = queue("event:1", child=child)
        with django_capture_on_commit_callbacks(execute=True):
            second = queue("event:2", child=child)  # the breaker: no second wait
        elapsed = time.monotonic() - began
    assert elapsed < 2, elapsed
    for email in (first, second):
        email.refresh_from_db()
        assert email.state == OutboxState.QUEUED and email.enqueued_at is None
    assert {e.pk for e in outbox.due_for_sweep()} == {first.pk, second.pk}


@pytest.mark.slow  # waits for the timeout
def test_a_broker_that_never_answers_costs_one_short_timeout(child):
    """A dropped route, not a refused connection: the socket timeouts in settings bound it."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    try:
        with broker(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", "rss-test-silent"):
            email = queue(child=child)
            began = time.monotonic()
            assert outbox.enqueue(email.pk) is False
            assert outbox.enqueue(email.pk) is False
            elapsed = time.monotonic() - began
    finally:
        silent.close()
    assert elapsed < 4.5, elapsed  # one socket timeout (3 s), not one per email
    email.refresh_from_db()
    assert email.enqueued_at is None
