"""The production stack as docker-compose.yml and the Dockerfile describe it (no Docker engine in
CI: these read the files and the settings the containers get)."""

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow  # runs manage.py and the image's collectstatic step

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web1", "web2", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_app_process_runs_the_one_image_with_production_settings():
    services = compose()["services"]
    always = {name for name, service in services.items() if not service.get("profiles")}
    assert always == {*APP_SERVICES, "proxy", "db", "redis"}
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


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(instruction, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        if raw.lstrip().startswith("#") or not raw.strip():
            continue
        current += raw.rstrip().removesuffix("\\") + " "
        if not raw.rstrip().endswith("\\"):
            lines.append(current.strip())
            current = ""
    return [tuple(line.split(None, 1)) for line in lines]


def dockerignored(relative: str, patterns: list[str]) -> bool:
    """Whether `docker build` leaves the path out of the context (.dockerignore, last match wins)."""
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip("/")
        parts = relative.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, f"*/{pattern}") for p in prefixes):
            ignored = not negate
    return ignored


def build_context(dest: Path) -> Path:
    """What `COPY . .` puts in /app: the tracked and untracked files less .dockerignore's."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for relative in listed:
        source = ROOT / relative
        if source.is_file() and not dockerignored(relative, patterns):
            (dest / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / relative)
    return dest


def test_the_image_keeps_secrets_and_local_state_out_of_its_context():
    patterns = (ROOT / ".dockerignore").read_text().split()
    for path in (".env", ".env.production", "var/db.sqlite3", "node_modules/x", ".venv/bin/python"):
        assert dockerignored(path, patterns), path
    assert not dockerignored(".env.example", patterns)
    assert not dockerignored("static/app/app.js", patterns)


def test_the_image_build_collects_every_static_file_the_templates_use(tmp_path):
    """Runs the Dockerfile's own collectstatic step (as written there, with the Dockerfile's ENV)
    on what `COPY . .` copies: a build that fails, or a template naming a file the manifest lacks
    (a 500 on every page with DEBUG=0), fails here."""
    steps = dockerfile_instructions()
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
    for instruction, args in steps:
        if instruction == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", args)))
    (run,) = [
        args for instruction, args in steps if instruction == "RUN" and "collectstatic" in args
    ]
    (collect,) = [part.strip() for part in run.split("&&") if "collectstatic" in part]
    assert "DEBUG=0" in collect  # production storage: hashed names and a manifest
    app = build_context(tmp_path / "app")
    env.update(PYTHONPATH=str(app), VAR_DIR=str(tmp_path / "var"))

    result = subprocess.run(
        ["bash", "-c", collect], cwd=app, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "var" / "staticfiles" / "staticfiles.json").read_text())
    used = {
        name
        for template in (ROOT).glob("**/templates/**/*.html")
        if ".venv" not in template.parts and "node_modules" not in template.parts
        for name in re.findall(r"{% static ['\"]([^'\"]+)['\"]", template.read_text())
    }
    assert "app/app.js" in used and "vendor/htmx-2.0.11.min.js" in used
    missing = sorted(used - set(manifest["paths"]))
    assert not missing, f"templates use static files the image does not have: {missing}"


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


def test_the_optional_pooler_runs_pgbouncer_in_transaction_mode():
    """`--profile pooler` (docs/scaling.md): the app reaches PostgreSQL through PgBouncer when
    DATABASE_HOST=pgbouncer and DATABASE_PGBOUNCER=1 (no server-side cursors, no persistent
    connections: rss_dashboard/db_config.py)."""
    services = compose()["services"]
    pooler = services["pgbouncer"]
    assert pooler["profiles"] == ["pooler"]
    assert pooler["environment"]["POOL_MODE"] == "transaction"
    assert pooler["environment"]["LISTEN_PORT"] == "5432"
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert "@${DATABASE_HOST:-db}:5432/rss" in env["DATABASE_URL"], name
        assert env["DATABASE_PGBOUNCER"] == "${DATABASE_PGBOUNCER:-0}", name
