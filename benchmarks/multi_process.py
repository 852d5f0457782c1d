"""More than one machine (issue 21 item 4), in `make bench`: two gunicorn processes of 2 workers
each behind the compose nginx (deploy/nginx.conf, run for real with a throw-away certificate),
the cache in Redis (REDIS_CACHE_URL), and many coordinators taking turns on their dashboards.

It counts how many dashboard loads were served from the cache with the dashboard's
`X-Dashboard-Cache: hit|miss` header (DEBUG_CACHE_HEADER=1, rss_dashboard/cache_header.py), so it
measures whatever the cache does without knowing how it is keyed or where it lives; nginx adds
`X-Upstream` (in the bench's copy of its configuration only) to show that both processes served.
Two patterns: a still database, and a writer committing one change the dashboard shows every
250 ms. A cache shared by every process misses only a coordinator's first load on a still
database: (loads - 1) / loads is the best possible ratio. Also read: PostgreSQL connections
held and the Redis memory the cache took (docs/scaling.md).

Report-only rows (issue 21 sets no target for the ratio). Needs nginx, openssl and Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/13; its database is emptied first).
"""

import http.client
import os
import shutil
import ssl
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DASHBOARD = "/dashboard/?per_page=50"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
CHANGE_EVERY = 0.25  # seconds between the writer's commits


def _row(*args, **kwargs):
    from benchmarks.run import Row

    return Row(*args, **kwargs)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Nginx:
    """deploy/nginx.conf with its upstream pointed at the given ports, TLS with a fresh
    self-signed certificate, run in the foreground from a temporary prefix."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.dir = Path(tempfile.mkdtemp(prefix="rss-bench-nginx-"))
        self.port = _free_port()
        self.proc = None

    def __enter__(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", "/CN=localhost", "-keyout", str(self.dir / "privkey.pem")]
            + ["-out", str(self.dir / "fullchain.pem")],
            check=True,
            capture_output=True,
        )
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        servers = (
            "    server web1:8000 max_fails=3 fail_timeout=10s;\n"
            "    server web2:8000 max_fails=3 fail_timeout=10s;\n"
        )
        if servers not in site:
            raise SystemExit("deploy/nginx.conf changed shape: update benchmarks/multi_process.py")
        site = site.replace(
            servers,
            "".join(f"    server {HOST}:{p} max_fails=3 fail_timeout=10s;\n" for p in self.ports),
        )
        site = site.replace("listen 80;", f"listen {HOST}:{_free_port()};")
        site = site.replace("listen 443 ssl", f"listen {HOST}:{self.port} ssl")
        site = site.replace("/etc/nginx/certs/", f"{self.dir}/")
        site = site.replace(
            "        proxy_pass http://rss_web;\n",
            "        proxy_pass http://rss_web;\n        add_header X-Upstream $upstream_addr always;\n",
        )
        (self.dir / "site.conf").write_text(site)
        temp = "".join(
            f"{name}_temp_path {self.dir}/{name};\n"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.dir / "nginx.conf").write_text(
            f"daemon off;\npid {self.dir}/nginx.pid;\nerror_log {self.dir}/error.log;\n"
            f"worker_processes 1;\nevents {{}}\nhttp {{\naccess_log off;\n{temp}"
            f"include {self.dir}/site.conf;\n}}\n"
        )
        self.proc = subprocess.Popen(
            [nginx, "-c", str(self.dir / "nginx.conf"), "-p", str(self.dir)],
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit("nginx did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def get(self, path: str, cookie: str = "") -> tuple[int, float, str, str]:
        """One HTTPS GET on a fresh connection: (status, ms, X-Dashboard-Cache, X-Upstream)."""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(HOST, self.port, timeout=60, context=context)
        began = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, "Host": HOST})
        response = conn.getresponse()
        response.read()
        ms = (time.perf_counter() - began) * 1000
        conn.close()
        return (
            response.status,
            ms,
            response.getheader("X-Dashboard-Cache", ""),
            response.getheader("X-Upstream", ""),
        )


def _coordinator_cookies(n: int) -> list[str]:
    from activities.models import ParentRole, ParentRoleKind
    from benchmarks.run import session_cookie
    from faculty.models import Person

    ids = (
        ParentRole.objects.filter(role=ParentRoleKind.COORDINATOR)
        .values_list("person_id", flat=True)
        .distinct()
        .order_by("person_id")[:n]
    )
    emails = Person.objects.filter(pk__in=list(ids)).values_list("email", flat=True)
    return [session_cookie(email) for email in emails]


class Writer(threading.Thread):
    """Commits one change the dashboard shows every CHANGE_EVERY seconds (as figures.py does)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.changes = 0

    def run(self):
        from django.db import connection

        from benchmarks.figures import something_changed

        try:
            while not self.stop.wait(CHANGE_EVERY):
                something_changed()
                self.changes += 1
        finally:
            connection.close()


def _pattern(nginx: Nginx, cookies: list[str], loads: int, concurrency: int, writer: bool):
    """Every coordinator loads the dashboard `loads` times, taking turns; /healthz between rounds.
    Returns (dashboard ms, healthz ms, Counter of hit/miss, Counter of upstreams, changes)."""
    times, base, verdicts, upstreams = [], [], Counter(), Counter()
    thread = Writer() if writer else None
    if thread:
        thread.start()

    def one(cookie):
        status, ms, verdict, upstream = nginx.get(DASHBOARD, cookie)
        if status != 200:
            raise SystemExit(f"GET {DASHBOARD} through nginx answered {status}")
        return ms, verdict, upstream

    try:
        with ThreadPoolExecutor(concurrency) as pool:
            for _ in range(loads):
                base += [nginx.get("/healthz")[1] for _ in range(len(cookies) // 2)]
                for ms, verdict, upstream in pool.map(one, cookies):
                    times.append(ms)
                    verdicts[verdict or "no header"] += 1
                    upstreams[upstream] += 1
    finally:
        if thread:
            thread.stop.set()
            thread.join()
    return times, base, verdicts, upstreams, thread.changes if thread else 0


def _connections(database: str) -> int:
    from benchmarks.run import psql

    return int(
        psql(
            "select count(*) from pg_stat_activity "
            f"where datname = '{database}' and pid <> pg_backend_pid()"
        )
    )


def shared_cache_rows(env: dict, database: str, *, coordinators: int = 20, loads: int = 6):
    import redis
    from django.db import connections

    from benchmarks.run import Server, percentile

    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        return [_row("shared cache behind nginx: nginx not installed", float("nan"), "")]
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.RedisError as error:
        return [_row(f"shared cache behind nginx: Redis {REDIS_URL} unreachable ({error})", 0, "")]
    cookies = _coordinator_cookies(coordinators)
    connections.close_all()
    served = {
        **env,
        "REDIS_CACHE_URL": REDIS_URL,
        "DEBUG_CACHE_HEADER": "1",
        "TRUSTED_PROXY_COUNT": "1",
    }
    served.pop("REDIS_URL", None)  # Celery stays inline: only the cache is in Redis
    rows = []
    with Server(served) as web1, Server(served) as web2, Nginx([web1.port, web2.port]) as nginx:
        # Each worker's imports and connections, through both processes (not counted).
        for _ in range(8):
            nginx.get("/healthz")
        held = _connections(database)
        client.flushdb()
        label = f"2 gunicorn x 2 workers behind nginx, Redis cache, {len(cookies)} coordinators"
        for writer in (False, True):
            times, base, verdicts, upstreams, changes = _pattern(
                nginx, cookies, loads, concurrency=4, writer=writer
            )
            hits, total = verdicts["hit"], sum(verdicts.values())
            ratio = 100 * hits / total
            pattern = (
                f"a change every {CHANGE_EVERY * 1000:.0f} ms ({changes} changes)"
                if writer
                else "still database"
            )
            best = 100 * (loads - 1) / loads
            rows.append(
                _row(
                    f"{label} x {loads} loads, {pattern}: dashboard hit ratio "
                    f"(best if shared {best:.0f}%; {hits}/{total}; processes "
                    f"{len(upstreams)})",
                    ratio,
                    "%",
                )
            )
            p50, b50 = statistics.median(times), statistics.median(base)
            rows.append(
                _row(
                    f"  same, {pattern}: dashboard p50 through nginx, concurrency 4",
                    p50,
                    "ms",
                    "",
                    b50,
                )
            )
            rows.append(
                _row(
                    f"  same, {pattern}: dashboard p95",
                    percentile(times, 95),
                    "ms",
                    "",
                    percentile(base, 95),
                )
            )
            if not writer:
                info = client.info("memory")
                rows.append(
                    _row(
                        f"  Redis cache after the still pattern ({client.dbsize()} keys)",
                        info["used_memory"] / 1024 / 1024,
                        "MB",
                    )
                )
        rows.append(_row("  PostgreSQL connections held by the 4 workers (persistent)", held, ""))
        rss = web1.worker_rss_mb() + web2.worker_rss_mb()
        rows.append(_row(f"  gunicorn worker memory (max of {len(rss)})", max(rss), "MB"))
    client.flushdb()
    return rows


def pooling_rows(env: dict, database: str, n: int = 60) -> list:
    """The connection settings under gunicorn (2 workers), each against /healthz: persistent
    connections (the default), psycopg's pool (DATABASE_POOL=1) and PgBouncer's settings
    (DATABASE_PGBOUNCER=1: here straight to PostgreSQL, so a connection per request and no
    server-side cursors, as behind PgBouncer). Each with a replica alias (DATABASE_REPLICA_URL,
    here the same database): a report CSV and a PARS export are served through the router."""
    from benchmarks.figures import DASHBOARD
    from benchmarks.run import PG, Server, alternate, session_cookie

    cookie = session_cookie("coordinator@example.org")
    admin = session_cookie("admin@example.org")
    from activities.models import ChildActivity
    from credit.models import Claim

    child = Claim.objects.order_by("-child_id").values_list("child_id", flat=True).first()
    year = ChildActivity.objects.get(pk=child).parent.year
    rows = []
    for label, extra in (
        ("persistent connections", {}),
        ("DATABASE_POOL=1 (max 4 a worker)", {"DATABASE_POOL": "1", "DATABASE_POOL_MAX_SIZE": "4"}),
        ("DATABASE_PGBOUNCER=1 settings", {"DATABASE_PGBOUNCER": "1"}),
    ):
        served = {**env, **extra, "DATABASE_REPLICA_URL": f"{PG}/{database}"}
        with Server(served) as server:
            times, base = alternate(server, DASHBOARD.format(n=50), cookie, n, 1)
            checks = [
                server.get(f"/children/{child}/attendance.csv", admin)[0],
                server.get(f"/office/pars/{year}/activities.txt?draft=1", admin)[0],
            ]
        p50, b50 = statistics.median(times), statistics.median(base)
        rows.append(
            _row(
                f"{label}, with a replica alias: dashboard p50 (report CSV, PARS export "
                f"{'/'.join(map(str, checks))})",
                p50,
                "ms",
                "reports answer 200",
                b50,
                checks == [200, 200],
            )
        )
    return rows
