"""The figures of the benchmarks that run as scripts of their own (benchmarks/sms_burst.py,
flyer_bench.py), in subprocesses on their own databases, read back from what they print."""

import os
import re
import subprocess
import sys

from benchmarks.run import PG, ROOT, Row


def _burst_figures(out: subprocess.CompletedProcess):
    """What sms_burst.py printed: its whole output, and the matches of /healthz's line, the
    webhook's line and the claims' line (None where a line is missing)."""
    text = out.stdout + out.stderr
    health = re.search(r"GET /healthz .*?p50\s+([\d.]+) ms\s+p95\s+([\d.]+)", text)
    sms = re.search(
        r"POST /sms/inbound/ .*?([\d.]+) req/s\s+p50\s+([\d.]+) ms\s+p95\s+([\d.]+)", text
    )
    claims = re.search(
        r"claims for session \d+: (\d+) \(distinct learners (\d+)\); texts logged: (\d+)", text
    )
    return text, health, sms, claims


def sms_rows(texts: int, database: str, *, evaluation_required: bool = False) -> list[Row]:
    """benchmarks/sms_burst.py in a subprocess, on its own database; its numbers as rows."""
    extra = ["--evaluation-required"] if evaluation_required else []
    out = subprocess.run(
        [
            sys.executable,
            "benchmarks/sms_burst.py",
            "--db",
            database,
            "--texts",
            str(texts),
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    text, health, sms, claims = _burst_figures(out)
    if not (health and sms and claims):
        print(text[-3000:])
        return [Row("SMS burst", float("nan"), "", "ran", ok=False)]
    base = float(health[1])
    total, learners, logged = (int(x) for x in claims.groups())
    exact = total == learners == logged == texts and out.returncode in (0, 1)
    lost = [
        line
        for line in text.splitlines()
        if line.startswith("FAIL") and "x the trivial" not in line
    ]
    p50 = float(sms[2])
    if evaluation_required:  # issue 17: the same target with the evaluation's link in each reply
        return [
            Row(
                f"SMS burst, series requires an evaluation: webhook p50 ({texts} texts)",
                p50,
                "ms",
                "<= 3x trivial",
                base,
                p50 <= 3 * base,
            ),
            Row(
                f"SMS burst, evaluation required: claims (learners {learners}, logged {logged})",
                total,
                "",
                f"== {texts}",
                ok=exact and not lost,
            ),
        ]
    return [
        Row(
            f"SMS burst: webhook p50, concurrency 20 ({texts} texts)",
            p50,
            "ms",
            "<= 3x trivial",
            base,
            p50 <= 3 * base,
        ),
        Row("SMS burst: webhook p95, concurrency 20", float(sms[3]), "ms", "", float(health[2])),
        Row("SMS burst: webhook throughput", float(sms[1]), "texts/s"),
        Row(
            f"SMS burst: claims (learners {learners}, texts logged {logged})",
            total,
            "",
            f"== {texts}",
            ok=exact and not lost,
        ),
    ]


def crowd_rows(database: str, texts: int = 5000, concurrency: int = 50) -> list[Row]:
    """Issue 21's grand-rounds crowd: `texts` texts at `concurrency` for one session, every one
    answered, exactly one claim each, the webhook's p95 within 5x the trivial endpoint's p95 at
    the same concurrency (benchmarks/sms_burst.py on its own database)."""
    out = subprocess.run(
        [
            sys.executable,
            "benchmarks/sms_burst.py",
            "--db",
            database,
            "--texts",
            str(texts),
            "--concurrency",
            str(concurrency),
            "--p95-ratio",
            "5",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    text, health, sms, claims = _burst_figures(out)
    if not (health and sms and claims):
        print(text[-3000:])
        return [Row("SMS crowd", float("nan"), "", "ran", ok=False)]
    total, learners, logged = (int(x) for x in claims.groups())
    unanswered = [line for line in text.splitlines() if "were not answered" in line]
    p95, base95 = float(sms[3]), float(health[2])
    label = f"SMS crowd: {texts} texts at concurrency {concurrency}"
    return [
        Row(f"{label}: webhook p95", p95, "ms", "<= 5x trivial p95", base95, p95 <= 5 * base95),
        Row(f"{label}: webhook p50", float(sms[2]), "ms", "", float(health[1])),
        Row(f"{label}: throughput", float(sms[1]), "texts/s"),
        Row(
            f"{label}: claims (learners {learners}, logged {logged}, unanswered {len(unanswered)})",
            total,
            "",
            f"== {texts}",
            ok=total == learners == logged == texts and not unanswered,
        ),
    ]


def flyer_rows(n: int, database: str) -> list[Row]:
    """benchmarks/flyer_bench.py in a subprocess (Django's test database beside `database`)."""
    env = {**os.environ, "DATABASE_URL": f"{PG}/{database}", "DEBUG": "0"}
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, "benchmarks/flyer_bench.py", "-n", str(n)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    text = out.stdout + out.stderr
    found = re.search(r"flyer \.docx \+ QR, whole request\s+([\d.]+)\s+([\d.]+)", text)
    if not found:
        print(text[-3000:])
        return [Row("flyer benchmark", float("nan"), "", "ran", ok=False)]
    p95 = float(found[2])
    return [
        Row("flyer .docx + QR, whole request p50 (test client)", float(found[1]), "ms"),
        Row(
            "flyer .docx + QR, whole request p95 (test client)", p95, "ms", "< 150 ms", ok=p95 < 150
        ),
    ]
