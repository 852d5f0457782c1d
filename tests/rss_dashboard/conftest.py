"""Celery on a real broker for the outbox tests: the app pointed at Redis, a worker in a thread.

The worker runs in a thread of the test process, so the locmem mail outbox is shared with the test.
Each test gets a queue of its own, so parallel test processes (xdist) never take each other's tasks.
"""

import threading
import uuid
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from rss_dashboard.celery import app
from tests.rss_dashboard.celery_tools import broker
from tests.tools import require_redis


def _close_worker_connections(**kwargs) -> None:
    # The worker thread's database connections must not outlive the test (the test database is
    # dropped at the end); the test's own thread keeps its connection.
    if threading.current_thread() is not threading.main_thread():
        connections.close_all()


@pytest.fixture
def redis_queue():
    """(broker URL, a fresh queue name); the queue is deleted afterwards."""
    import redis

    url = require_redis()
    queue = f"rss-test-{uuid.uuid4().hex[:12]}"
    yield url, queue
    client = redis.Redis.from_url(url)
    client.delete(queue, *client.scan_iter(f"_kombu.binding*.{queue}"))


@pytest.fixture
def celery_on_redis(redis_queue):
    """The app publishing to the test Redis, with no worker yet (tasks wait in the queue)."""
    url, queue = redis_queue
    with broker(url, queue):
        yield url, queue


@pytest.fixture
def run_worker(redis_queue):
    """A context manager starting a real worker (solo pool, in a thread) on the test queue."""
    _url, queue = redis_queue

    @contextmanager
    def running():
        hijack = app.conf.worker_hijack_root_logger
        app.conf.worker_hijack_root_logger = False  # leave pytest's log capture alone
        task_postrun.connect(_close_worker_connections, weak=False)
        try:
            with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]) as w:
                yield w
        finally:
            task_postrun.disconnect(_close_worker_connections)
            app.conf.worker_hijack_root_logger = hijack

    return running
