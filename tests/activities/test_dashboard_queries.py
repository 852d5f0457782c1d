"""The dashboard costs the same number of queries for 10 rows as for 100 (issue 8: at most 15)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Comment, ParentRole, ParentRoleKind, Specialty
from activities.services.children import child_approve
from activities.services.coi_reviews import coi_review_record
from activities.services.status import recompute_children
from disclosures.rules import MitigationStep, ReviewDecision
from tests import factories as f
from tests.personas import login

pytestmark = pytest.mark.django_db
URL = "/dashboard/?per_page=100"
MAX_QUERIES = 15


def make_rows(series, office, n: int, offset: int) -> None:
    """Children with every column filled: faculty with and without disclosures, relationships,
    presentations, reviews, comments, specialties, a decision."""
    cardiology = Specialty.objects.get_or_create(name="Cardiology")[0]
    made = []
    for i in range(offset, offset + n):
        c = f.child(series, start=timezone.now() + timedelta(days=1, minutes=i), recompute=False)
        c.specialties.add(cardiology)
        speaker = f.person(last_name=f"Speaker{i}")
        f.disclosure(speaker, relationships=[("Acme", f.CONSULTANT)] if i % 2 else ())
        a = f.assign(c, speaker, recompute=False)
        a.presentation_name = "talk.pdf"
        a.presentation = "presentations/x"
        a.save()
        f.assign(c, f.person(last_name=f"Silent{i}"), recompute=False)
        Comment.objects.create(child=c, author=office, from_office=True, body=f"Note {i}")
        made.append((c, a))
    recompute_children([c.pk for c, _ in made])
    for _child, a in made[:3]:
        if a.person.disclosures.first().relationships.exists():
            coi_review_record(
                assignment=a,
                reviewer=office,
                decision=ReviewDecision.MITIGATED,
                relevant=True,
                mitigation_steps=[MitigationStep.PEER_REVIEW],
            )
    # A decided child, to load "who approved".
    c = f.child(series, start=timezone.now() + timedelta(days=2, minutes=offset))
    speaker = f.person(last_name=f"Approved{offset}")
    f.disclosure(speaker)
    f.assign(c, speaker)
    child_approve(c, reviewer=office, confirm_planners_reason="The planner is disclosing.")


def count(client) -> int:
    client.get(URL)  # warm caches (closure days, URL patterns) as a running server has them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx), response.content.count(b'class="child-row')


def test_it_issues_the_same_queries_for_10_and_100_rows(
    client, django_assert_num_queries, series, office, coordinator, admin
):
    planner = f.person(last_name="Planner")
    ParentRole.objects.create(parent=series, person=planner, role=ParentRoleKind.PLANNER)
    make_rows(series, office, 9, 0)
    few = {}
    for user in (coordinator, admin):  # the two paths: one's own series, and everything
        login(client, user)
        few[user.pk], shown = count(client)
        assert shown == 10
        assert few[user.pk] <= MAX_QUERIES
    make_rows(series, office, 89, 100)
    for user in (coordinator, admin):
        login(client, user)
        client.get(URL)
        with django_assert_num_queries(few[user.pk]):
            response = client.get(URL)
        assert response.content.count(b'class="child-row') == 100
