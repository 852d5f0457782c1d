"""Attendance import benchmark (issue 18): a 1,000-row Zoom participant report of 300 people
(rejoins, addresses on an alias domain, guests without email, strangers) on a session of a
`seed_demo --scale 10` database.

    python benchmarks/attendance_bench.py [--db rss_bench18] [--build] [--runs 3]

--build (or a missing database) drops and rebuilds the PostgreSQL database with
`seed_demo --scale 10` (a few minutes). The benchmark adds one session to a seeded series, then
times, --runs times each: the preview (read, match, decide; no row written) and the import (the
same, then 240-odd claims through `claim_credit` and the entries), each import in a transaction
rolled back afterwards so that the database is left as it was. Prints the median and the worst
run and PASS when the worst preview is within 2 s and the worst import within 5 s; otherwise
FAIL and exit status 1. It prints numbers; it is not a test.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rss_dashboard.settings")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PREVIEW_TARGET, IMPORT_TARGET = 2.0, 5.0
BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "attendance-benchmark-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver",
}


def psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url, "-Atqc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def build(name: str) -> None:
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": f"{PG}/{name}"}
    psql(f"{PG}/postgres", f'drop database if exists "{name}" with (force)')
    psql(f"{PG}/postgres", f'create database "{name}"')
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    began = time.monotonic()
    subprocess.run(
        [*manage, "seed_demo", "--scale", "10"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    psql(env["DATABASE_URL"], "VACUUM ANALYZE")
    print(f"seeded --scale 10 in {time.monotonic() - began:.0f} s", flush=True)


def report(session, people: list[str], rng: random.Random, rows: int) -> bytes:
    """A Zoom export (meeting block, BOM, CRLF) of `rows` joins by the given people."""
    from tests.credit.attendance_files import zoom_csv

    start, zone = session.start, session.zone
    joins = []
    per_person = [rows // len(people)] * len(people)
    for i in range(rows - sum(per_person)):
        per_person[i] += 1
    for (name, email), count in zip(people, per_person, strict=True):
        at = start - timedelta(minutes=rng.randint(0, 5))
        for _ in range(count):
            stay = timedelta(minutes=rng.randint(8, 25))
            joins.append((name, email, at.astimezone(zone), (at + stay).astimezone(zone)))
            at += stay - timedelta(minutes=rng.randint(-3, 2))  # a gap or an overlap
    rng.shuffle(joins)
    return zoom_csv(joins)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="rss_bench18")
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--people", type=int, default=300)
    args = parser.parse_args()

    exists = psql(f"{PG}/postgres", f"select 1 from pg_database where datname = '{args.db}'")
    if args.build or not exists:
        build(args.db)
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone

    from activities.models import ChildActivity, ParentActivity, ParentRole, ParentRoleKind
    from credit.services_attendance import attendance_import, attendance_preview
    from faculty.models import EmailDomainAlias, Person

    rng = random.Random(18)
    now = timezone.now()
    parent = ParentActivity.objects.filter(year=now.year).order_by("pk").first()
    coordinator = (
        ParentRole.objects.filter(parent=parent, role=ParentRoleKind.COORDINATOR).first().person
    )
    people_total = Person.objects.count()
    known = list(
        Person.objects.filter(is_active=True, merged_into__isnull=True)
        .order_by("?")
        .values_list("first_name", "last_name", "email")[: args.people - 60]
    )
    domain = known[0][2].rpartition("@")[2]
    EmailDomainAlias.objects.get_or_create(
        alias_domain=f"bench-alias.{domain}", defaults={"canonical_domain": domain}
    )
    people = [(f"{first} {last}", email) for first, last, email in known]
    # 30 of them join from the alias domain; 30 strangers; 30 guests without email.
    for i in range(30):
        name, email = people[i]
        local, _, dom = email.rpartition("@")
        people[i] = (name, f"{local}@bench-alias.{dom}" if dom == domain else email)
    people += [(f"Stranger {i}", f"stranger{i}@gmail.example") for i in range(30)]
    people += [(f"Guest {i}", "") for i in range(30)]

    with transaction.atomic():
        session = ChildActivity.objects.create(
            parent=parent,
            name="Attendance benchmark session",
            start=now - timedelta(minutes=90),
            end=now - timedelta(minutes=30),
            time_zone=parent.time_zone,
        )
    data = report(session, people, rng, args.rows)
    print(
        f"database {args.db}: {people_total:,} people; session {session.pk} of {parent}; "
        f"report {len(data) / 1024:.0f} KB, {args.rows} rows, {len(people)} people",
        flush=True,
    )

    previews, imports, created = [], [], 0
    pages = []
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    # No collectstatic here: pages name static files without the manifest's hashes.
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=plain_static).enable()
    browser = Client()
    browser.force_login(coordinator)
    try:
        for _ in range(args.runs):
            # The whole request: upload, preview, the page of 300 people rendered.
            upload = SimpleUploadedFile("participants.csv", data, content_type="text/csv")
            began = time.perf_counter()
            answer = browser.post(
                reverse("attendance_preview", args=[session.pk]),
                {"kind": "report", "file": upload},
                secure=True,
            )
            pages.append(time.perf_counter() - began)
            assert answer.status_code == 200, answer.status_code
        for _ in range(args.runs):
            upload = SimpleUploadedFile("participants.csv", data, content_type="text/csv")
            began = time.perf_counter()
            shown = attendance_preview(child=session, by=coordinator, upload=upload, kind="report")
            previews.append(time.perf_counter() - began)
            with transaction.atomic():
                began = time.perf_counter()
                record = attendance_import(child=session, by=coordinator, token=shown.token)
                imports.append(time.perf_counter() - began)
                created = record.claims_created
                counts = (record.matched, record.unmatched, record.below_minimum)
                transaction.set_rollback(True)
    finally:
        with transaction.atomic():
            ChildActivity.objects.filter(pk=session.pk).update(is_active=False)
    ok = max(pages) <= PREVIEW_TARGET and max(imports) <= IMPORT_TARGET
    print(
        f"preview page (the request): median {statistics.median(pages):.2f} s, "
        f"worst {max(pages):.2f} s (target <= {PREVIEW_TARGET} s)"
    )
    print(
        f"preview: median {statistics.median(previews):.2f} s, worst {max(previews):.2f} s (target <= {PREVIEW_TARGET} s)"
    )
    print(
        f"import:  median {statistics.median(imports):.2f} s, worst {max(imports):.2f} s "
        f"(target <= {IMPORT_TARGET} s); {created} claims created; matched/unmatched/below "
        f"{counts[0]}/{counts[1]}/{counts[2]}"
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
