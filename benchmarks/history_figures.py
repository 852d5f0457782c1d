"""Five years of history (issue 21 item 2): the rows `benchmarks/run.py --years 5` adds.

Honest comparison, in one invocation: the one-year database (`--database`, `seed_demo --scale 10`)
and the five-year one (`<database>5y`, `seed_demo --scale 10 --years 5`: the same current year,
plus four years before it) are both served, each by its own gunicorn (2 sync workers), and every
HTTP figure is measured in rounds that alternate between them, each beside its own `/healthz`.
A figure's growth is its ratio to `/healthz` on five years over the same on one year, so load
from elsewhere on the machine cancels out; target <= 1.2x. The database-side figures (recompute
every status, a disclosure's recompute) run in a subprocess per database, alternating; the SMS
burst runs on a copy of each database. A five-year learner's transcript must stay within 10x
`/healthz`, and the attendance import and the year's PARS export keep their own issues' targets
on the five-year database.

Also a command for those subprocesses: `python benchmarks/history_figures.py facts|recompute`
against DATABASE_URL prints one JSON line.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROWTH = 1.2  # every figure of the one-year run, on five years
RECOMPUTE_GROWTH = 5.0
TRANSCRIPT_RATIO = 10.0
WHO = ("admin", "coordinator", "learner")


def _row(*args, **kwargs):
    from benchmarks.run import Row

    return Row(*args, **kwargs)


def history_database(database: str, years: int) -> str:
    return f"{database}{years}y"


def build(name: str, scale: int, years: int, env: dict) -> float:
    """Drop, migrate, seed with history, VACUUM ANALYZE; the seed's seconds."""
    from benchmarks.run import psql

    psql(f'drop database if exists "{name}" with (force)')
    psql(f'create database "{name}"')
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    began = time.monotonic()
    subprocess.run(
        [*manage, "seed_demo", "--scale", str(scale), "--years", str(years)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seeded = time.monotonic() - began
    subprocess.run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
    print(f"seeded --scale {scale} --years {years} in {seeded:.0f} s", flush=True)
    return seeded


def _json_of(env: dict, what: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "benchmarks/history_figures.py", what],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _changed(url: str) -> None:
    """What any committed change does to the dashboard's cache (benchmarks/figures.py
    something_changed), on the given database."""
    import psycopg

    from activities.freshness import TABLE

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"UPDATE {TABLE} SET n = n + 1")


def _interleaved(servers, paths, cookies, n, *, rounds=4, change_urls=None):
    """n GETs of paths[i] on servers[i] and n of its /healthz, rounds alternating between the
    servers; per server (figure ms, healthz ms). With change_urls, each GET right after a change
    (the page built from the database)."""
    results = [([], []) for _ in servers]
    for server, path, cookie in zip(servers, paths, cookies, strict=True):  # warm
        for _ in range(2 * server.workers):
            server.get(path, cookie)
            server.get("/healthz")
    per_round = -(-n // rounds)
    for _ in range(rounds):
        for i, (server, path, cookie) in enumerate(zip(servers, paths, cookies, strict=True)):
            for _ in range(per_round):
                results[i][1].append(server.get("/healthz")[1])
                if change_urls:
                    _changed(change_urls[i])
                status, ms = server.get(path, cookie)
                if status != 200:
                    raise SystemExit(f"GET {path} answered {status}")
                results[i][0].append(ms)
    return results


def _growth_row(label, one, five, unit="ms"):
    """(figure, healthz) p50s on one and five years; the growth of figure/healthz."""
    (f1, h1), (f5, h5) = one, five
    growth = (f5 / h5) / (f1 / h1)
    return _row(
        f"5y: {label} ({f1:.1f} -> {f5:.1f} {unit}; x/healthz {f1 / h1:.1f} -> {f5 / h5:.1f})",
        growth,
        "x",
        f"<= {GROWTH}x 1y",
        ok=growth <= GROWTH,
    )


def http_rows(one_env, five_env, n) -> list:
    from benchmarks.run import Server

    rows = []
    facts = [_json_of(one_env, "facts"), _json_of(five_env, "facts")]
    with Server(one_env) as one, Server(five_env) as five:
        servers = [one, five]
        cookie = {who: [f["cookies"][who] for f in facts] for who in WHO}
        dashboard = "/dashboard/?per_page=50"
        figures = [
            ("dashboard, admin, 50 rows: p50", [dashboard] * 2, "admin", False),
            ("dashboard, coordinator, 50 rows: p50", [dashboard] * 2, "coordinator", False),
            ("dashboard, admin, right after a change: p50", [dashboard] * 2, "admin", True),
            (
                "Manage Faculty search 'Sm' (coordinator): p50",
                [f"/children/{f['child']}/faculty/search/?q=Sm" for f in facts],
                "coordinator",
                False,
            ),
            (
                "a series' reports page (sessions with counts): p50",
                [f"/parents/{f['parent']}/reports/" for f in facts],
                "coordinator",
                False,
            ),
            (
                "PARS ready to close, every series of the year: p50",
                [f"/office/pars/{f['year']}/" for f in facts],
                "admin",
                False,
            ),
        ]
        for label, paths, who, cold in figures:
            urls = [one_env["DATABASE_URL"], five_env["DATABASE_URL"]] if cold else None
            count = n // 2 if cold else n
            measured = _interleaved(servers, paths, cookie[who], count, change_urls=urls)
            p50s = [(statistics.median(m), statistics.median(b)) for m, b in measured]
            rows.append(_growth_row(label, *p50s))
            print(f"  {rows[-1].figure}: {rows[-1].value:.2f}x", flush=True)
        (t1, _), (t5, h5) = _interleaved(servers, ["/transcript/"] * 2, cookie["learner"], n)
        p50, base = statistics.median(t5), statistics.median(h5)
        claims = facts[1]["learner_claims"]
        rows.append(
            _row(
                f"5y: the demo learner's transcript, {claims} claims over 5 years: p50 "
                f"(1y {statistics.median(t1):.1f} ms)",
                p50,
                "ms",
                f"<= {TRANSCRIPT_RATIO:g}x",
                base,
                p50 <= TRANSCRIPT_RATIO * base,
            )
        )
    return rows


def recompute_rows(one_env, five_env) -> list:
    """Each database twice, alternating; the better of each."""
    runs: list[list[dict]] = [[], []]
    for _ in range(2):
        for i, env in enumerate((one_env, five_env)):
            runs[i].append(_json_of(env, "recompute"))
    best = [{k: min(r[k] for r in rs) for k in ("all", "disclosure", "children")} for rs in runs]
    one, five = best
    growth = five["all"] / one["all"]
    disclosure = five["disclosure"] / one["disclosure"]
    return [
        _row(
            f"5y: recompute all {five['children']} statuses ({one['all']:.1f} s for "
            f"{one['children']} -> {five['all']:.1f} s)",
            growth,
            "x",
            f"<= {RECOMPUTE_GROWTH:g}x 1y",
            ok=growth <= RECOMPUTE_GROWTH,
        ),
        _row(
            f"5y: disclosure + recompute, 50 assignments ({one['disclosure']:.1f} -> "
            f"{five['disclosure']:.1f} ms)",
            disclosure,
            "x",
            f"<= {GROWTH}x 1y",
            ok=disclosure <= GROWTH,
        ),
    ]


def sms_rows(one: str, five: str, texts: int = 1000) -> list:
    """The SMS burst (1,000 texts, concurrency 20) on a copy of each database: the texts land
    among one or five years of claims."""
    ratios = []
    for template in (one, five):
        out = subprocess.run(
            [
                sys.executable,
                "benchmarks/sms_burst.py",
                "--db",
                f"{template}_smscopy",
                "--template",
                template,
                "--texts",
                str(texts),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        text = out.stdout + out.stderr
        found = re.search(r"webhook p50 / trivial p50 = ([\d.]+)", text)
        claims = re.search(r"claims for session \d+: (\d+)", text)
        if not (found and claims and int(claims[1]) == texts):
            print(text[-3000:])
            return [_row(f"5y: SMS burst on {template}", float("nan"), "", "ran", ok=False)]
        ratios.append(float(found[1]))
    growth = ratios[1] / ratios[0]
    return [
        _row(
            f"5y: SMS burst webhook p50, {texts} texts (x/healthz {ratios[0]:.2f} -> "
            f"{ratios[1]:.2f})",
            growth,
            "x",
            f"<= {GROWTH}x 1y",
            ok=growth <= GROWTH,
        )
    ]


def attendance_rows(five: str) -> list:
    out = subprocess.run(
        [sys.executable, "benchmarks/attendance_bench.py", "--db", five, "--runs", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ALLOWED_HOSTS")},
    )
    text = out.stdout + out.stderr
    preview = re.search(r"preview: median ([\d.]+) s, worst ([\d.]+) s", text)
    done = re.search(r"import:  median ([\d.]+) s, worst ([\d.]+) s", text)
    if not (preview and done):
        print(text[-3000:])
        return [_row("5y: attendance import", float("nan"), "", "ran", ok=False)]
    return [
        _row(
            "5y: attendance import, 1,000-row Zoom report: preview, worst of 3",
            float(preview[2]),
            "s",
            "<= 2 s",
            ok=float(preview[2]) <= 2,
        ),
        _row(
            "5y: attendance import: import, worst of 3",
            float(done[2]),
            "s",
            "<= 5 s",
            ok=float(done[2]) <= 5,
        ),
    ]


def pars_rows(five_env) -> list:
    from benchmarks import pars_figures

    rows = pars_figures.export_rows(five_env, ROOT)
    for row in rows:
        row.figure = "5y: " + row.figure
    return rows


def history_rows(args, env: dict, pg: str) -> list:
    """Every five-year row; builds `<database>5y` unless --reuse finds it."""
    from benchmarks.run import psql

    name = history_database(args.database, args.years)
    five_env = {**env, "DATABASE_URL": f"{pg}/{name}"}
    rows = []
    exists = psql(f"select 1 from pg_database where datname='{name}'") == "1"
    if not (args.reuse and exists):
        seeded = build(name, args.scale, args.years, five_env)
        rows.append(_row(f"5y: seed_demo --scale {args.scale} --years {args.years}", seeded, "s"))
    print("five years: HTTP figures, both databases alternating ...", flush=True)
    rows += http_rows(env, five_env, args.requests)
    print("five years: recompute ...", flush=True)
    rows += recompute_rows(env, five_env)
    if not args.skip_sms:
        print("five years: SMS burst on copies of both databases ...", flush=True)
        rows += sms_rows(args.database, name)
    print("five years: attendance import and PARS export ...", flush=True)
    rows += attendance_rows(name)
    if not args.skip_pars:
        rows += pars_rows(five_env)
    return rows


# --- the subprocess side -----------------------------------------------------------------------
def _facts() -> dict:
    from django.utils import timezone

    from activities.access import editable_parent_ids
    from activities.models import ChildActivity, ParentActivity
    from benchmarks.run import session_cookie
    from credit.models import Claim
    from faculty.models import Person

    coordinator = Person.objects.get(email="coordinator@example.org")
    year = timezone.localdate().year
    parents = editable_parent_ids(coordinator)
    return {
        "year": year,
        "child": ChildActivity.objects.filter(parent_id__in=parents, is_active=True)
        .latest("start")
        .pk,
        "parent": ParentActivity.objects.filter(pk__in=parents, year=year).order_by("pk")[0].pk,
        "learner_claims": Claim.objects.filter(learner__email="learner@example.org").count(),
        "cookies": {who: session_cookie(f"{who}@example.org") for who in WHO},
    }


def _recompute() -> dict:
    from activities.models import ChildActivity
    from benchmarks import figures

    rows = figures.recompute_figures()
    return {
        "children": ChildActivity.objects.count(),
        "all": rows[0].value,
        "disclosure": rows[1].value,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rss_dashboard.settings")
    import django

    django.setup()
    print(json.dumps({"facts": _facts, "recompute": _recompute}[sys.argv[1]]()))
