"""A database connection dropped under a running web process (issue 13.4).

Production keeps connections open between requests (CONN_MAX_AGE). When PostgreSQL drops one
(restart, failover, pg_terminate_backend) the next request must get a fresh connection, not a 500.
The test runs the app as production does, in a gunicorn sync worker (one thread that keeps its
connection), against the test database.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def app_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


@pytest.fixture
def gunicorn():
    port = free_port()
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DATABASE_URL": url,
        "DEBUG": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
        + ["rss_dashboard.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(base + "/healthz") == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_a_request_after_the_connection_was_killed_is_served(gunicorn):
    assert get(gunicorn + "/series/") == 200  # the worker now holds a persistent connection
    backends = app_backends()
    assert backends, "the worker should keep its connection between requests"
    with connection.cursor() as cursor:
        for pid in backends:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    # Without CONN_HEALTH_CHECKS the first query on the dead connection answers 500.
    assert [get(gunicorn + "/series/") for _ in range(3)] == [200, 200, 200]
    assert get(gunicorn + "/accounts/login/") == 200
