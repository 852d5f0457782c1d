"""The production stack as docker-compose.yml and the Dockerfile describe it (no Docker engine in
CI: these read the files and the settings the containers get)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web1", "web2", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_app_process_runs_the_one_image_with_production_settings():
    services = compose()["services"]
    assert set(services) == {*APP_SERVICES, "proxy", "db", "redis"}
    for name in APP_SERVICES:
        service = services[name]
        assert service["build"] == "." and service["image"] == "rss-dashboard:latest", name
        env = service["environment"]
        assert env["DEBUG"] == "0" and env["REDIS_URL"] == "redis://redis:6379/0", name
        assert env["REDIS_CACHE_URL"] != env["REDIS_URL"], "a cache clear must not empty the queue"
        assert env["DATABASE_URL"].startswith("postgres://rss:"), name


def test_nothing_starts_before_the_database_is_migrated():
    services = compose()["services"]
    for name in ("web1", "web2", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
    assert services["migrate"]["restart"] == "no"
    assert services["proxy"]["depends_on"] == {
        "web1": {"condition": "service_healthy"},
        "web2": {"condition": "service_healthy"},
    }


def test_long_running_services_restart_and_report_their_health():
    services = compose()["services"]
    for name in ("web1", "web2", "worker", "beat", "proxy", "db", "redis"):
        assert services[name]["restart"] == "unless-stopped", name
    for name in ("web1", "web2", "worker", "proxy", "db", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert "celery -A rss_dashboard worker" in services["worker"]["command"]
    assert "celery -A rss_dashboard beat" in services["beat"]["command"]
    assert "--appendonly yes" in services["redis"]["command"]  # queued tasks survive a restart
    assert (ROOT / "deploy" / "healthcheck.py").exists()


def test_the_image_collects_static_files_for_production_storage():
    dockerfile = (ROOT / "Dockerfile").read_text()
    # DEBUG=0 storage writes the manifest that production templates need ({% static %}).
    assert re.search(r"DEBUG=0 SECRET_KEY=\S+\s+\\?\s*python manage.py collectstatic", dockerfile)
    assert "mkdir -p /var/lib/rss/uploads" in dockerfile  # the volume is writable by the app user
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_with_redis_url_celery_uses_the_broker_with_short_timeouts():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_CACHE_URL"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="a-real-secret-" + "x9Q2" * 12,
        ALLOWED_HOSTS="rss.example.org",
        REDIS_URL="redis://redis:6379/0",
    )
    code = (
        "import json; from django.conf import settings; from rss_dashboard.celery import app; "
        "print(json.dumps({'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url, "
        "'transport': app.conf.broker_transport_options, 'tz': str(app.conf.timezone), "
        "'cache': settings.CACHES['default']['BACKEND'], 'jobs': sorted(app.conf.beat_schedule)}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    conf = json.loads(result.stdout.strip().splitlines()[-1])
    assert conf["eager"] is False and conf["broker"] == "redis://redis:6379/0"
    assert conf["transport"]["socket_connect_timeout"] <= 2
    assert conf["transport"]["socket_timeout"] <= 3
    assert conf["tz"] == "America/Detroit"
    assert conf["cache"] == "rss_dashboard.cache.ResilientRedisCache"
    assert "outbox-sweep" in conf["jobs"] and "monitor-sessions" in conf["jobs"]
