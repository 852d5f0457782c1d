"""The whole institution's year exported for ACCME (issue 16), timed and weighed.

Against an existing database (e.g. `rss_bench`, seeded with `seed_demo --scale 10`), through the
views as the office uses them: the activity file of every series of the year (Excel and
tab-delimited; a draft, since the demo's year is not over), then the learner completions (the
export that records what it sends, then its Excel and tab-delimited files). Every response is
read to the end as a browser would. Everything runs in one transaction that is rolled back, so
the database is left as it was. Prints the seconds and the process's peak memory (VmHWM).

    DATABASE_URL=postgres://.../rss_bench python benchmarks/pars_bench.py [--year 2026]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def drain(response) -> int:
    if response.status_code != 200:
        raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return sum(len(chunk) for chunk in response.streaming_content)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=None)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rss_dashboard.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from credit.pars.models import CompletionExport
    from faculty.models import Person

    year = args.year or timezone.localdate().year
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Person.objects.get(email="admin@example.org"))
    before = peak_mb()
    sizes = {}
    cpu = time.process_time()
    began = time.perf_counter()
    with transaction.atomic():
        for fmt in ("xlsx", "txt"):
            url = reverse(f"pars_activities_{fmt}", args=[year]) + "?draft=1"
            sizes[f"activities.{fmt}"] = drain(client.get(url))
        done = client.post(reverse("pars_learners", args=[year]))
        if done.status_code != 302:
            raise SystemExit(f"learner export answered {done.status_code}")
        export = CompletionExport.objects.filter(year=year).latest("id")
        for fmt in ("xlsx", "txt"):
            sizes[f"learners.{fmt}"] = drain(
                client.get(reverse(f"pars_batch_{fmt}", args=[export.pk]))
            )
        elapsed = time.perf_counter() - began
        cpu = time.process_time() - cpu
        records = export.records.count()
        transaction.set_rollback(True)
    print(f"series-year rows and learner records: {records} learner records in file #{export.pk}")
    print("bytes: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    print(f"year export, activities and learner completions: {elapsed:.2f} s")
    print(f"of which this process's CPU: {cpu:.2f} s (the rest: PostgreSQL, and waiting)")
    print(f"peak memory: {peak_mb():.1f} MB (after setup {before:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
