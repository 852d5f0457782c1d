"""The figures of issue 16 in `make bench`: the office's "ready to close" page for every series
of the year, against the dashboard's targets, and the whole year's export for ACCME (activities
and learner completions, benchmarks/pars_bench.py) in at most 10 s and 200 MB."""

import re
import statistics
import subprocess
import sys

from django.utils import timezone

YEAR_PAGE = "/office/pars/{year}/"


def _row(*args, **kwargs):
    from benchmarks.run import Row

    return Row(*args, **kwargs)


def http_rows(server, cookies, alternate, n) -> list:
    from benchmarks.run import percentile

    path = YEAR_PAGE.format(year=timezone.localdate().year)
    one, base1 = alternate(server, path, cookies["admin"], n, 1)
    eight, base8 = alternate(server, path, cookies["admin"], n, 8)
    p50, b50 = statistics.median(one), statistics.median(base1)
    p95_8, b95_8 = percentile(eight, 95), percentile(base8, 95)
    from benchmarks.figures import after_a_change

    cold, base_cold = after_a_change(server, path, cookies["admin"], n // 4)
    cold50 = statistics.median(cold)
    label = "PARS ready to close, every series of the year (office)"
    return [
        _row(
            f"{label}: p50, concurrency 1",
            p50,
            "ms",
            "<= 40 ms, <= 10x",
            b50,
            p50 <= 40 and p50 <= 10 * b50,
        ),
        _row(f"{label}: p95, concurrency 1", percentile(one, 95), "ms", "", percentile(base1, 95)),
        _row(f"{label}: p95, concurrency 8", p95_8, "ms", "<= 250 ms", b95_8, p95_8 <= 250),
        _row(
            f"{label}, right after a change: p50",
            cold50,
            "ms",
            "<= 40 ms",
            statistics.median(base_cold),
            cold50 <= 40,
        ),
    ]


def export_rows(env: dict, root) -> list:
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "benchmarks/pars_bench.py"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    text = out.stdout + out.stderr
    seconds = re.search(r"learner completions: ([\d.]+) s", text)
    memory = re.search(r"peak memory: ([\d.]+) MB", text)
    records = re.search(r"(\d+) learner records", text)
    if not (seconds and memory and records):
        print(text[-3000:])
        return [_row("PARS year export", float("nan"), "", "ran", ok=False)]
    s, mb = float(seconds[1]), float(memory[1])
    label = f"PARS year export: 400 series + {records[1]} learner records, xlsx and txt"
    return [
        _row(f"{label}: time", s, "s", "<= 10 s", ok=s <= 10),
        _row("PARS year export: peak memory of the process", mb, "MB", "<= 200 MB", ok=mb <= 200),
    ]
