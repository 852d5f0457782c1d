#!/usr/bin/env python
"""SMS burst: 1,000 signed texts for one session from 1,000 learners, against gunicorn on PostgreSQL.

What it does, in one run:
1. (re)creates a PostgreSQL database (default `rss_bench`), migrates it, and builds an APPROVED
   session whose claim window is open now, plus 1,000 learners with mobile phones;
2. serves the app with gunicorn (2 sync workers, DEBUG=0 settings) on a free port of 127.0.0.1;
3. measures the trivial endpoint `/healthz` (1,000 GETs), then the webhook (1,000 texts, each
   signed with Twilio's RequestValidator, one per learner), both at concurrency 20;
4. prints throughput, p50 and p95 of both and checks that exactly 1,000 claims exist, one per
   learner, and that every text was answered "Credit claimed".

Exits 1 when the webhook's p50 is above 3x the trivial endpoint's, or when anything was lost or
doubled. Usage: `.venv/bin/python benchmarks/sms_burst.py [--texts 1000] [--concurrency 20]`;
`--evaluation-required`: the series requires an evaluation (issue 17), every reply must carry its
link.
Needs PostgreSQL (`--pg postgres://postgres@127.0.0.1:5432`); talks to 127.0.0.1 only.
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.sms_burst_data import build_data, phone  # noqa: E402  (after the path)

HOST = "127.0.0.1"
TOKEN = "bench-" + secrets.token_hex(16)
TARGET_RATIO = 3.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def recreate_database(pg: str, name: str, template: str = "") -> None:
    """Empty, or a copy of `template` (a seeded bench database: the texts then land among its
    years of claims, as they do on a real server)."""
    import psycopg

    copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"{copy}')


def drop_database(pg: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def request(port: int, method: str, path: str, body: bytes | None = None, headers=None):
    """One request on a fresh connection (as Twilio makes them); returns (seconds, status, body)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        status = response.status
    finally:
        conn.close()
    return time.perf_counter() - started, status, data


def signed_text(site_url: str, i: int, body: str, sid: str = "") -> tuple[bytes, dict]:
    from twilio.request_validator import RequestValidator

    params = {
        "From": phone(i),
        "To": "+17345550000",
        "Body": body,
        "MessageSid": sid or f"SMbench{i:06d}",
    }
    signature = RequestValidator(TOKEN).compute_signature(f"{site_url}/sms/inbound/", params)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature,
    }
    return urllib.parse.urlencode(params).encode(), headers


def burst(concurrency: int, jobs) -> tuple[float, list]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda job: job(), jobs))
    return time.perf_counter() - started, results


def chunks(items, n: int):
    items = list(items)
    size = -(-len(items) // max(n, 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def summary(name: str, wall: float, results) -> dict:
    times = sorted(r[0] * 1000 for r in results)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    row = {
        "name": name,
        "n": len(times),
        "throughput": len(times) / wall,
        "p50": statistics.median(times),
        "p95": cuts[94],
    }
    print(
        f"{name:<22} {row['n']:>6} requests  {row['throughput']:8.1f} req/s  "
        f"p50 {row['p50']:7.2f} ms  p95 {row['p95']:7.2f} ms"
    )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="rss_bench")
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--template", default="", help="copy this (seeded) database instead of an empty one"
    )
    parser.add_argument(
        "--p95-ratio",
        type=float,
        default=0.0,
        help="also fail when the webhook's p95 is above this many times the trivial one's",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--evaluation-required",
        action="store_true",
        help="the series requires an evaluation (issue 17): replies carry its link",
    )
    args = parser.parse_args()
    if not 1 <= args.texts <= 10_000:
        parser.error("--texts must be 1..10000 (the learners' phones are +1 734 615 0000-9999)")

    port = free_port()
    site_url = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rss_dashboard.settings",
        "DATABASE_URL": f"{args.pg}/{args.db}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": site_url,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="rss-bench-static-"),
    }
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    print(f"database {args.db}: building ...", flush=True)
    recreate_database(args.pg, args.db, args.template)
    child_id = build_data(args.texts, args.evaluation_required)
    print(f"session {child_id} open now; {args.texts} learners with phones", flush=True)

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "rss_dashboard.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    failures: list[str] = []
    try:
        wait_until_up(port)
        # Warm both endpoints in every worker (imports, URL resolver, database connections).
        warm = [lambda: request(port, "GET", "/healthz") for _ in range(40)]
        warm += [
            # Their own message ids: a repeated id is Twilio retrying, answered with the first reply.
            lambda n=n: request(
                port, "POST", "/sms/inbound/", *signed_text(site_url, 9999, "HELP", f"SMwarm{n}")
            )
            for n in range(10)
        ]
        burst(args.concurrency, warm)

        # Alternate the two in rounds so both see the same (shared, noisy) machine.
        print(
            f"\n{args.texts} requests each in {args.rounds} alternating rounds, concurrency "
            f"{args.concurrency}, gunicorn {args.workers} sync workers on {site_url}"
        )
        texts = [signed_text(site_url, i, f"{child_id}") for i in range(args.texts)]
        health, sms, health_wall, sms_wall = [], [], 0.0, 0.0
        for chunk in chunks(range(args.texts), args.rounds):
            wall, done = burst(
                args.concurrency, [lambda: request(port, "GET", "/healthz") for _ in chunk]
            )
            health_wall += wall
            health += done
            wall, done = burst(
                args.concurrency,
                [
                    (
                        lambda body=texts[i][0], headers=texts[i][1]: request(
                            port, "POST", "/sms/inbound/", body, headers
                        )
                    )
                    for i in chunk
                ],
            )
            sms_wall += wall
            sms += done
        health_row = summary("GET /healthz", health_wall, health)
        sms_row = summary("POST /sms/inbound/", sms_wall, sms)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()

    if any(status != 200 for _t, status, _b in health):
        failures.append("some /healthz requests failed")
    # With a required evaluation the claim waits for it and the reply ends with its link.
    answer = (
        b"Credit is awarded after your evaluation"
        if args.evaluation_required
        else b"Credit claimed"
    )
    bad = [b for _t, status, b in sms if status != 200 or answer not in b]
    if args.evaluation_required:
        bad += [b for _t, status, b in sms if status == 200 and b"/e/" not in b]
    if bad:
        failures.append(f"{len(bad)} texts were not answered {answer!r}, e.g. {bad[0][:200]!r}")

    import django
    from django.db import connections

    django.setup()
    from django.db.models import Count

    from credit.models import Claim, SmsMessage

    claims = Claim.objects.filter(child_id=child_id)
    total = claims.count()
    learners = claims.aggregate(n=Count("learner", distinct=True))["n"]
    logged = SmsMessage.objects.filter(body=str(child_id)).count()
    print(
        f"\nclaims for session {child_id}: {total} (distinct learners {learners}); "
        f"texts logged: {logged}"
    )
    if total != args.texts or learners != args.texts:
        failures.append(
            f"expected exactly {args.texts} claims, found {total} ({learners} learners)"
        )
    if logged != args.texts:
        failures.append(f"expected {args.texts} logged texts, found {logged}")
    connections.close_all()

    ratio = sms_row["p50"] / health_row["p50"]
    verdict = "OK" if ratio <= TARGET_RATIO else "MISS"
    print(f"webhook p50 / trivial p50 = {ratio:.2f} (target <= {TARGET_RATIO:.0f}): {verdict}")
    if ratio > TARGET_RATIO:
        failures.append(f"webhook p50 is {ratio:.2f}x the trivial endpoint's")
    if args.p95_ratio:
        ratio95 = sms_row["p95"] / health_row["p95"]
        verdict = "OK" if ratio95 <= args.p95_ratio else "MISS"
        print(
            f"webhook p95 / trivial p95 = {ratio95:.2f} (target <= {args.p95_ratio:g}): {verdict}"
        )
        if ratio95 > args.p95_ratio:
            failures.append(f"webhook p95 is {ratio95:.2f}x the trivial endpoint's")

    if not args.keep:
        drop_database(args.pg, args.db)
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
