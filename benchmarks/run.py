"""Institution-scale benchmarks (issue 8): `make bench`.

One command, one table. It

1. (re)builds the PostgreSQL database `rss_bench` with `seed_demo --scale 10` (about 20,000
   sessions, 60,000 assignments, 30,000 people) and ANALYZEs it (`--database` names it; the SMS
   and flyer databases take its name with `_sms` / `_flyer`, so two runs can share a server);
2. serves the app with gunicorn (2 sync workers, DEBUG=0 settings) on a free port of 127.0.0.1;
3. measures every HTTP figure in rounds that alternate with the trivial endpoint `/healthz`, so
   figure and baseline see the same (shared, noisy) machine;
4. counts the dashboard's queries per page, times `recompute_statuses` and a disclosure of a
   person with 50 assignments, reads the gunicorn workers' memory;
5. runs the SMS burst (`benchmarks/sms_burst.py`, database `rss_bench_sms`) and the flyer benchmark
   (`benchmarks/flyer_bench.py`, Django's test database beside `rss_bench_flyer`) as subprocesses
   and folds their numbers in;
6. measures the office's PARS "ready to close" page for every series of the year and, in a
   subprocess, the whole year's export for ACCME (benchmarks/pars_figures.py, pars_bench.py).
7. measures issue 17's figures (benchmarks/evaluation_figures.py): the evaluation summary of 52
   sessions and 2,000 responses, certificates, and the SMS burst again with the series requiring
   an evaluation;
8. runs two gunicorn processes of 2 workers behind the compose nginx with the cache in Redis and
   counts the dashboard's cache hits (benchmarks/multi_process.py), and serves the app with each
   connection setting (persistent, DATABASE_POOL, DATABASE_PGBOUNCER) and a replica alias.

It prints one table (figure, value, target/baseline, ratio, result) and exits 1 if a target is
missed. It is a benchmark, not a test.

    python benchmarks/run.py [--scale 10] [--reuse] [--requests 200] [--skip-sms] [--skip-flyer]
                             [--skip-pars] [--skip-evaluations] [--skip-multi] [--skip-busy]
                             [--redis-cache redis://host:6379/N] [--years 1] [--skip-crowd]

Busy hours (issue 21, benchmarks/figures.py::busy_figures): 60 coordinators and 20 administrators
and reviewers take turns (each request the next person's session) while a writer commits one
ordinary change every 250 ms.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
HOST = "127.0.0.1"


@dataclass
class Row:
    figure: str
    value: float
    unit: str
    target: str = ""  # what the value must satisfy, e.g. "<= 40 ms"; "" reports only
    baseline: float | None = None  # the trivial endpoint's figure measured beside it
    ok: bool = True

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


class Server:
    """gunicorn with 2 sync workers on a free port of 127.0.0.1."""

    def __init__(self, env: dict, workers: int = 2):
        with socket.socket() as s:
            s.bind((HOST, 0))
            self.port = s.getsockname()[1]
        self.env = env
        self.workers = workers
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "rss_dashboard.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"{HOST}:{self.port}",
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
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def get(self, path: str, cookie: str = "") -> tuple[int, float]:
        """One GET on a fresh connection; (status, milliseconds)."""
        conn = HTTPConnection(HOST, self.port, timeout=60)
        began = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, "Host": HOST})
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - began) * 1000
        conn.close()
        return response.status, elapsed

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


def burst(server: Server, path: str, cookie: str, n: int, concurrency: int) -> list[float]:
    def one(_):
        status, ms = server.get(path, cookie)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        return ms

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(n)))


def alternate(
    server: Server, path: str, cookie: str, n: int, concurrency: int, rounds: int = 4
) -> tuple[list[float], list[float]]:
    """n requests of `path` and n of /healthz, in alternating rounds; (figure, baseline) ms."""
    burst(server, path, cookie, 2 * server.workers * concurrency, concurrency)  # warm workers
    burst(server, "/healthz", "", 4 * concurrency, concurrency)
    measured, baseline = [], []
    per_round = -(-n // rounds)
    for _ in range(rounds):
        baseline += burst(server, "/healthz", "", per_round, concurrency)
        measured += burst(server, path, cookie, per_round, concurrency)
    return measured, baseline


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


def psql(sql: str) -> str:
    return subprocess.run(
        ["psql", f"{PG}/postgres", "-Atqc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def build_database(name: str, scale: int, env: dict) -> None:
    manage = [sys.executable, "manage.py"]
    psql(f'drop database if exists "{name}" with (force)')
    psql(f'create database "{name}"')
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    began = time.monotonic()
    subprocess.run(
        [*manage, "seed_demo", "--scale", str(scale)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
    print(f"seeded --scale {scale} in {time.monotonic() - began:.0f} s", flush=True)


def five_year_rows(args, env: dict) -> list[Row]:
    """Issue 21's five years of history (benchmarks/history_figures.py)."""
    from benchmarks.history_figures import history_rows

    return history_rows(args, env, PG)


def progress(rows: list[Row]) -> list[Row]:
    for row in rows:
        print(f"  {row.figure}: {row.value:.1f} {row.unit}", flush=True)
    return rows


def print_table(rows: list[Row]) -> bool:
    failed = False
    print()
    print(f"{'figure':<66} {'value':>12} {'target / baseline':>26} {'ratio':>7}  result")
    print("-" * 122)
    for row in rows:
        failed |= not row.ok
        value = f"{row.value:.1f} {row.unit}".strip()
        base = f"{row.baseline:.1f} {row.unit}" if row.baseline is not None else ""
        target = " / ".join(x for x in (row.target, base) if x)
        ratio = f"{row.ratio:.1f}x" if row.ratio is not None else ""
        result = ("ok" if row.ok else "MISSED") if row.target else ""
        print(f"{row.figure:<66} {value:>12} {target:>26} {ratio:>7}  {result}")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--database", default="rss_bench")
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    parser.add_argument("--requests", type=int, default=200, help="per figure and concurrency")
    parser.add_argument("--texts", type=int, default=1000, help="SMS burst size (<= 1000)")
    parser.add_argument("--skip-sms", action="store_true")
    parser.add_argument("--skip-flyer", action="store_true")
    parser.add_argument("--skip-pars", action="store_true")
    parser.add_argument(
        "--years",
        type=int,
        default=5,
        help="also build <database>5y (seed_demo --years 5) and add the five-year rows (issue "
        "21); 1: the one-year rows only",
    )
    parser.add_argument(
        "--history-only", action="store_true", help="with --years: only the five-year rows"
    )
    parser.add_argument("--crowd-texts", type=int, default=5000, help="SMS crowd size (issue 21)")
    parser.add_argument("--skip-crowd", action="store_true")
    parser.add_argument("--skip-multi", action="store_true", help="two processes behind nginx")
    parser.add_argument("--skip-evaluations", action="store_true")
    parser.add_argument("--skip-busy", action="store_true", help="no busy-hours rows")
    parser.add_argument(
        "--redis-cache",
        default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/12"),
        help="serve with REDIS_CACHE_URL set to this, as production does (caches shared between "
        "the workers; its database is emptied first); '' for per-process local memory",
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rss_dashboard.settings",
        "DATABASE_URL": f"{PG}/{args.database}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="rss-bench-static-"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # Celery inline, local-memory cache: nothing else to start
    env.pop("REDIS_CACHE_URL", None)
    if args.redis_cache:
        import redis

        try:
            redis.Redis.from_url(args.redis_cache, socket_connect_timeout=1).flushdb()
            env["REDIS_CACHE_URL"] = args.redis_cache
        except redis.RedisError as error:
            print(f"no Redis at {args.redis_cache} ({error}): caches in local memory", flush=True)
    os.environ.update(env)
    exists = psql(f"select 1 from pg_database where datname='{args.database}'") == "1"
    if not (args.reuse and exists):
        build_database(args.database, args.scale, env)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from benchmarks import figures, pars_figures
    from benchmarks.subprocess_figures import crowd_rows, flyer_rows, sms_rows

    rows: list[Row] = []
    if args.history_only:
        return finish(args, five_year_rows(args, env))
    with Server(env) as server:
        cookies = {who: session_cookie(f"{who}@example.org") for who in ("admin", "coordinator")}
        rows += progress(figures.http_figures(server, cookies, alternate, args.requests))
        if not args.skip_busy:
            rows += progress(figures.busy_figures(server, session_cookie, burst, args.requests))
        if not args.skip_pars:
            rows += progress(pars_figures.http_rows(server, cookies, alternate, args.requests))
        if not args.skip_evaluations:
            from benchmarks import evaluation_figures

            rows += progress(
                evaluation_figures.http_rows(server, cookies, alternate, args.requests)
            )
        rss = server.worker_rss_mb()
    rows.append(
        Row(
            f"gunicorn worker memory after the run (max of {len(rss)})",
            max(rss),
            "MB",
            "<= 150 MB",
            ok=max(rss) <= 150,
        )
    )
    rows += progress(figures.query_figures())
    rows += progress(figures.recompute_figures())
    from django.db import connections

    connections.close_all()
    if not args.skip_multi:
        print("two gunicorn processes behind nginx, cache in Redis ...", flush=True)
        from benchmarks import multi_process

        rows += progress(multi_process.shared_cache_rows(env, args.database))
        rows += progress(multi_process.pooling_rows(env, args.database))
        connections.close_all()
    if not args.skip_sms:
        print("SMS burst ...", flush=True)
        rows += progress(sms_rows(args.texts, f"{args.database}_sms"))
        if not args.skip_evaluations:
            print("SMS burst, the series requiring an evaluation ...", flush=True)
            rows += progress(sms_rows(args.texts, f"{args.database}_sms", evaluation_required=True))
    if not args.skip_flyer:
        print("flyer benchmark ...", flush=True)
        rows += progress(flyer_rows(50, f"{args.database}_flyer"))
    if not args.skip_pars:
        print("PARS year export ...", flush=True)
        rows += progress(pars_figures.export_rows(env, ROOT))
    if not args.skip_sms and not args.skip_crowd:
        print("SMS crowd ...", flush=True)
        rows += progress(crowd_rows(f"{args.database}_crowd", args.crowd_texts))
    if args.years > 1:
        rows += progress(five_year_rows(args, env))
    return finish(args, rows)


def finish(args, rows: list[Row]) -> int:
    load = os.getloadavg()
    print(
        f"\n{os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
        f"database {args.database} (--scale {args.scale}); {args.requests} requests a figure"
    )
    failed = print_table(rows)
    print("\nMISSED: a target above was not met." if failed else "\nAll targets met.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
