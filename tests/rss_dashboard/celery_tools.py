"""Point the Celery app at a real broker for one block of a test (see conftest.py)."""

from contextlib import contextmanager

from kombu import pools

from rss_dashboard import outbox
from rss_dashboard.celery import app


def _reset_pools() -> None:
    # kombu keeps pools per broker URL; closing one leaves it closed for good, so drop them all.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker(url: str, queue: str):
    """Publish to `url` for real (not eager) until the block ends; then restore the settings."""
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    _reset_pools()
    outbox._broker_down_until.clear()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_pools()
        outbox._broker_down_until.clear()
