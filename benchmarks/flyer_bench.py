"""Flyer and QR benchmark: a session with 6 faculty and 2 planners, the Word flyer with its QR code.

    python benchmarks/flyer_bench.py [-n 50] [--target-ms 150]

It builds a throwaway test database (in-memory SQLite by default; with DATABASE_URL set, Django's
test database next to the configured one, dropped at the end), approves a realistic session through
the real services, then times, N times each:

- the whole request  GET /children/<id>/flyer.docx?qr=1  (middleware, session, access check,
  queries, python-docx, QR code) through Django's test client;
- the renderer alone (access helper + render_flyer_docx with the QR code);
- the QR code alone, PNG and SVG.

It prints the median and p95 of each in milliseconds and PASS when the p95 of the whole request is
under the target (150 ms); otherwise FAIL and exit status 1. It prints numbers; it is not a test.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rss_dashboard.settings")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def timed(fn, n: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def build_session():
    """An APPROVED session: 6 faculty (2 with relationships, reviewed and mitigated), 2 planners."""
    from django.utils import timezone

    from activities.models import (
        ChildActivity,
        Department,
        ParentActivity,
        ParentRole,
        ParentRoleKind,
        ParentState,
        Specialty,
    )
    from activities.services.children import child_approve
    from activities.services.coi_reviews import coi_review_record
    from activities.services.faculty import assignment_add
    from activities.services.status import recompute_children
    from disclosures.rules import MitigationStep, Nature, ReviewDecision
    from disclosures.services import RelationshipInput, disclosure_submit
    from faculty.models import Assignment, Person, SiteRole

    start = (timezone.now() + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    coordinator = Person.objects.create_user("coordinator@bench.example", last_name="Coordinator")
    office = Person.objects.create_user(
        "reviewer@bench.example", last_name="Reviewer", site_role=SiteRole.REVIEWER
    )
    parent = ParentActivity.objects.create(
        name="Medicine Grand Rounds",
        department=Department.objects.create(name="Internal Medicine"),
        year=start.astimezone(timezone.get_default_timezone()).year,
        state=ParentState.APPROVED,
        professions=["physician", "nurse", "pa"],
    )
    parent.specialties.set(
        [Specialty.objects.create(name=n) for n in ("Cardiology", "Internal Medicine")]
    )
    ParentRole.objects.create(parent=parent, person=coordinator, role=ParentRoleKind.COORDINATOR)
    for i in range(2):
        planner = Person.objects.create_user(
            f"planner{i}@bench.example", last_name=f"Planner{i}", first_name="Pat", credentials="MD"
        )
        ParentRole.objects.create(parent=parent, person=planner, role=ParentRoleKind.PLANNER)
        disclosure_submit(person=planner, relationships=[], nothing_to_disclose=True, attested=True)
    child = ChildActivity.objects.create(
        parent=parent,
        name="Anticoagulation after TAVR: what the trials say",
        start=start,
        end=start + timedelta(hours=1),
        location="Ford Auditorium, University Hospital",
        objectives="Describe the trials\nChoose a regimen\nRecognise bleeding risk",
        professions=list(parent.professions),
    )
    child.specialties.set(parent.specialties.all())
    for i in range(6):
        speaker = Person.objects.create_user(
            f"speaker{i}@bench.example",
            last_name=f"Speaker{i}",
            first_name="Sam",
            credentials="MD, PhD",
            affiliation="Division of Cardiology",
        )
        assignment_add(child=child, person=speaker, by=coordinator)
        relationships = (
            [
                RelationshipInput(f"Company {i}A", Nature.CONSULTANT),
                RelationshipInput(f"Company {i}B", Nature.ADVISORY_BOARD),
            ]
            if i < 2
            else []
        )
        disclosure_submit(
            person=speaker,
            relationships=relationships,
            nothing_to_disclose=not relationships,
            attested=True,
        )
    for assignment in Assignment.objects.filter(child=child, coi_status="needs_review"):
        coi_review_record(
            assignment=assignment,
            reviewer=office,
            decision=ReviewDecision.MITIGATED,
            relevant=True,
            mitigation_steps=[MitigationStep.PEER_REVIEW],
        )
    recompute_children([child.pk])
    child = child_approve(child, reviewer=office)
    assert child.status == "approved", child.status
    return child, coordinator


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50, help="renders per measurement (default 50)")
    parser.add_argument("--target-ms", type=float, default=150.0)
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # the inline email tasks of the set-up log every send
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from activities.access import get_child_for_user
    from flyers.renderers import render_flyer_docx, render_qr_png, render_qr_svg

    setup_test_environment()
    settings.DEBUG = False  # no query log: time what production does
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        child, coordinator = build_session()
        client = Client()
        client.force_login(coordinator)
        url = reverse("flyer_docx", args=[child.pk]) + "?qr=1"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        size_kb = len(response.content) / 1024

        def request():
            client.get(url)

        def renderer():
            render_flyer_docx(get_child_for_user(coordinator, child.pk), include_qr=True)

        results = {
            "flyer .docx + QR, whole request": timed(request, args.n),
            "flyer .docx + QR, renderer": timed(renderer, args.n),
            "QR code PNG": timed(lambda: render_qr_png(child), args.n),
            "QR code SVG": timed(lambda: render_qr_svg(child), args.n),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    engine = connection.vendor
    print(
        f"Flyer benchmark: 6 faculty, 2 planners, QR code included; N={args.n}; {engine}; "
        f"Python {sys.version.split()[0]}; .docx {size_kb:.0f} KB"
    )
    print(f"{'':34} {'median ms':>10} {'p95 ms':>10}")
    for label, samples in results.items():
        print(f"{label:34} {statistics.median(samples):10.1f} {percentile(samples, 95):10.1f}")
    p95 = percentile(results["flyer .docx + QR, whole request"], 95)
    verdict = "PASS" if p95 < args.target_ms else "FAIL"
    print(f"target: whole request p95 < {args.target_ms:.0f} ms: {p95:.1f} ms {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
