"""The figures of `benchmarks/run.py`. Each returns rows (figure, value, target, ratio, ok)."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

DASHBOARD = "/dashboard/?per_page=50"
FACULTY_SEARCH = "/children/{child}/faculty/search/?q=Sm"


def _some_child_of(email: str) -> int:
    from activities.access import visible_children
    from faculty.models import Person

    return (
        visible_children(Person.objects.get(email=email)).filter(is_active=True).latest("start").pk
    )


def http_figures(server, cookies, timed, percentile, n):
    rows = []
    base1 = timed(server, "/healthz", "", n, 1)
    base8 = timed(server, "/healthz", "", n, 8)
    b50_1, b95_8 = statistics.median(base1), percentile(base8, 95)
    rows.append(
        ("trivial endpoint /healthz p50 (ms), concurrency 1", b50_1, "baseline", None, True)
    )
    rows.append(
        ("trivial endpoint /healthz p95 (ms), concurrency 8", b95_8, "baseline", None, True)
    )
    for who in ("admin", "coordinator"):
        one = timed(server, DASHBOARD, cookies[who], n, 1)
        eight = timed(server, DASHBOARD, cookies[who], n, 8)
        p50 = statistics.median(one)
        rows.append(
            (
                f"dashboard ({who}, 50 rows) p50 (ms), concurrency 1",
                p50,
                "<= 40",
                p50 / b50_1,
                p50 <= 40 and p50 <= 10 * b50_1,
            )
        )
        rows.append(
            (
                f"dashboard ({who}, 50 rows) p95 (ms), concurrency 1",
                percentile(one, 95),
                "report",
                None,
                True,
            )
        )
        p50_8 = statistics.median(eight)
        rows.append(
            (f"dashboard ({who}, 50 rows) p50 (ms), concurrency 8", p50_8, "report", None, True)
        )
        p95_8 = percentile(eight, 95)
        rows.append(
            (
                f"dashboard ({who}, 50 rows) p95 (ms), concurrency 8",
                p95_8,
                "<= 250",
                p95_8 / b95_8,
                p95_8 <= 250,
            )
        )
    search = FACULTY_SEARCH.format(child=_some_child_of("coordinator@example.org"))
    times = timed(server, search, cookies["coordinator"], n, 1)
    p50 = statistics.median(times)
    rows.append(("Manage Faculty search 'Sm' p50 (ms)", p50, "<= 20", p50 / b50_1, p50 <= 20))
    rows.append(
        ("Manage Faculty search 'Sm' p95 (ms)", percentile(times, 95), "report", None, True)
    )
    return rows


def query_figures():
    from faculty.models import Person

    rows = []
    for who in ("admin", "coordinator"):
        client = Client()
        client.force_login(Person.objects.get(email=f"{who}@example.org"))
        counts = []
        for per_page in (10, 50, 100):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(f"/dashboard/?per_page={per_page}")
            assert response.status_code == 200, response.status_code
            counts.append(len(ctx))
        worst = max(counts)
        rows.append(
            (
                f"dashboard queries per page ({who}; 10/50/100 rows: {counts})",
                worst,
                "<= 15",
                None,
                worst <= 15 and len(set(counts)) == 1,
            )
        )
    return rows


def recompute_figures():
    from datetime import timedelta

    from django.utils import timezone

    from activities.models import ChildActivity
    from activities.services.status import recompute_all
    from disclosures.services import disclosure_submit
    from faculty.models import Assignment, Person

    rows = []
    began = time.perf_counter()
    recompute_all()
    elapsed = time.perf_counter() - began
    total = ChildActivity.objects.count()
    rows.append((f"recompute all {total} children (s)", elapsed, "<= 30", None, elapsed <= 30))

    person, _ = Person.objects.get_or_create(
        email="bench-busy-speaker@example.org", defaults={"last_name": "Busy", "first_name": "Bea"}
    )
    upcoming = (
        ChildActivity.objects.filter(start__gte=timezone.now() - timedelta(days=300))
        .exclude(assignments__person=person)
        .order_by("start")[: max(0, 50 - person.assignments.count())]
    )
    Assignment.objects.bulk_create(Assignment(child=c, person=person) for c in upcoming)
    n = Assignment.objects.current().filter(person=person).count()
    samples = []
    for _ in range(5):
        began = time.perf_counter()
        disclosure_submit(person=person, relationships=[], nothing_to_disclose=True, attested=True)
        samples.append((time.perf_counter() - began) * 1000)
    p50 = statistics.median(samples)
    rows.append(
        (
            f"disclosure + recompute, person with {n} assignments (ms, p50)",
            p50,
            "<= 200",
            None,
            p50 <= 200,
        )
    )
    return rows
