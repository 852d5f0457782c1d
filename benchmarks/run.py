"""Institution-scale benchmarks (issue 8): `make bench`.

Builds a PostgreSQL database with `seed_demo --scale 10` (about 20,000 sessions), serves the app with
gunicorn (2 workers) on 127.0.0.1, and measures each figure against a trivial endpoint in the same
run. Prints one table (figure, value, target, baseline, ratio) and exits 1 if a target is missed.
It is a benchmark, not a test: it prints numbers.

    python benchmarks/run.py [--scale 10] [--reuse] [--requests 200]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SECRET = "bench-secret-" + "k3Y9" * 12


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Server:
    """gunicorn with 2 workers on a free port of 127.0.0.1, production settings."""

    def __init__(self, env: dict):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.env = env
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "rss_dashboard.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(10)

    def get(self, path: str, cookie: str = "") -> tuple[int, float, int]:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        began = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - began) * 1000
        conn.close()
        return response.status, elapsed, len(body)

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True
        )
        sizes = []
        for pid in children.stdout.split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


def timed(server: Server, path: str, cookie: str, n: int, concurrency: int) -> list[float]:
    def one(_):
        status, ms, _size = server.get(path, cookie)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        return ms

    for _ in range(3):  # warm both workers
        one(None)
    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(n)))


def session_cookie(email: str) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from faculty.models import Person

    person = Person.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "faculty.auth.RoleBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", default="rss_bench")
    args = parser.parse_args()

    db_url = f"{PG}/{args.database}"
    static_root = tempfile.mkdtemp(prefix="rss-bench-static-")
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    manage = [sys.executable, "manage.py"]
    exists = (
        subprocess.run(
            [
                "psql",
                f"{PG}/postgres",
                "-Atc",
                f"select 1 from pg_database where datname='{args.database}'",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        == "1"
    )
    if not (args.reuse and exists):
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", f'drop database if exists "{args.database}"'],
            check=True,
        )
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", f'create database "{args.database}"'], check=True
        )
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        began = time.monotonic()
        subprocess.run(
            [*manage, "seed_demo", "--scale", str(args.scale)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"seeded --scale {args.scale} in {time.monotonic() - began:.1f}s")
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rss_dashboard.settings")
    django.setup()
    from benchmarks import figures

    rows: list[tuple[str, float, str, float | None, bool]] = []
    with Server(env) as server:
        cookies = {who: session_cookie(f"{who}@example.org") for who in ("admin", "coordinator")}
        rows += figures.http_figures(server, cookies, timed, percentile, args.requests)
        rss = server.worker_rss_mb()
        rows.append(
            (
                "gunicorn worker memory after the run (max, MB)",
                max(rss),
                "<= 150",
                None,
                max(rss) <= 150,
            )
        )
    rows += figures.query_figures()
    rows += figures.recompute_figures()

    print()
    print(f"{'figure':<62} {'value':>10} {'target':>12} {'ratio':>8}  result")
    failed = False
    for name, value, target, ratio, ok in rows:
        failed |= not ok
        ratio_text = f"{ratio:.1f}x" if ratio is not None else ""
        print(f"{name:<62} {value:>10.1f} {target:>12} {ratio_text:>8}  {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
