import os
import subprocess
import sys

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-real-secret-" + "x9Q2" * 12,
    "ALLOWED_HOSTS": "rss.example.org",
    "SITE_URL": "https://rss.example.org",
}


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow  # manage.py in a subprocess
def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "0", "SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "short"}, "SECRET_KEY must be a real secret"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL='mysql://x' is not a valid URL"),
        ({"REDIS_URL": "http://redis"}, "REDIS_URL='http://redis' is not a valid URL"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT='twenty-five' is not a whole number"),
        ({"SITE_URL": "rss.example.org"}, "SITE_URL='rss.example.org' is not a valid URL"),
    ],
)
def test_bad_settings_fail_at_start_with_a_clear_message(env, message):
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_keeps_serving_while_the_broker_is_down(client):
    """Issue 13.8: a load balancer must not pull a web server whose pages work (email waits)."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "error"}
    strict = client.get("/healthz/ready")
    assert strict.status_code == 503
    assert strict.json()["broker"] == "error"


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("rss_dashboard.views.connection.cursor", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/healthz/ready").status_code == 405
