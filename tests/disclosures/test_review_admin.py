"""The COI review queue and review page in the admin (SPEC §6), and who may reach them."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import ChildActivity
from activities.rules import ChildStatus
from activities.services.coi_reviews import coi_review_record
from activities.services.faculty import assignment_remove
from disclosures.models import CoiReview
from disclosures.rules import CoiStatus, MitigationStep, Nature, ReviewDecision
from tests import factories as f

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:activities_reviewqueueitem_changelist")
TODAY = f.local(2026, 3, 2, 9)  # a Monday


def review_url(assignment):
    return reverse("admin:activities_reviewqueueitem_change", args=[assignment.pk])


@pytest.fixture
def monday():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def needs_review(series, speaker, monday):
    child = f.child(series, start=f.local(2026, 3, 9, 12))  # 5 business days ahead
    f.disclosure(speaker, relationships=[("Acme", Nature.CONSULTANT), ("Bolt", Nature.OWNER)])
    return f.assign(child, speaker)


def rows(response):
    return list(response.context["cl"].result_list)


def test_the_queue_lists_what_waits_in_session_order(client, office, series, monday):
    later = f.child(series, start=f.local(2026, 3, 9, 12))
    sooner = f.child(f.parent(department=f.department("Surgery")), start=f.local(2026, 3, 4, 8))
    pending, in_review, updated = f.person(), f.person(), f.person()
    f.disclosure(pending)
    f.disclosure(in_review, relationships=[("Acme", Nature.CONSULTANT)])
    f.disclosure(updated, at=timezone.now() - timedelta(days=20))
    a_updated = f.assign(later, updated)
    coi_review_record(assignment=a_updated, reviewer=office, decision=ReviewDecision.APPROVED)
    f.disclosure(updated, relationships=[("Bolt", Nature.STOCK)])
    a_pending, a_review = f.assign(later, pending), f.assign(sooner, in_review)
    a_updated.refresh_from_db()
    assert a_updated.coi_status == CoiStatus.DISCLOSURE_UPDATED
    # Not in the queue: no disclosure, approved, removed, or on a deactivated session.
    f.assign(later, f.person())
    approved = f.person()
    f.disclosure(approved)
    coi_review_record(
        assignment=f.assign(sooner, approved), reviewer=office, decision=ReviewDecision.APPROVED
    )
    removed = f.person()
    f.disclosure(removed)
    assignment_remove(f.assign(sooner, removed))
    hidden = f.person()
    f.disclosure(hidden)
    f.assign(f.child(series, start=f.local(2026, 3, 5), is_active=False), hidden)

    client.force_login(office)
    response = client.get(QUEUE)
    assert response.status_code == 200
    listed = rows(response)
    assert listed[0].pk == a_review.pk
    assert {a.pk for a in listed[1:]} == {a_pending.pk, a_updated.pk}
    body = response.content.decode()
    # Business days left, in a narrow column (the queue fits a laptop screen).
    assert '<td class="field-days_left">2</td>' in body
    assert '<td class="field-days_left">5</td>' in body
    assert "Disclosure: Bolt (Stock or stock options)" in body

    def only(query):
        return {a.pk for a in rows(client.get(QUEUE + query))}

    assert only(f"?series={series.pk}") == {a_pending.pk, a_updated.pk}
    assert only(f"?department={sooner.parent.department_id}") == {a_review.pk}
    assert only(f"?person={pending.pk}") == {a_pending.pk}
    # The sidebar names only the person chosen, never everybody in the queue.
    assert f"?person={pending.pk}" not in body
    chosen = client.get(QUEUE + f"?person={pending.pk}").content.decode()
    assert pending.name in chosen and f"?person={in_review.pk}" not in chosen
    assert only("?person=x") == {a.pk for a in listed}  # garbage: no person filter
    assert only("?status=disclosure_updated") == {a_updated.pk}
    assert only("?q=" + in_review.last_name) == {a_review.pk}
    # The Session column sorts both ways (the queue orders by an expression: review_queue()).
    assert [a.pk for a in rows(client.get(QUEUE + "?o=1"))][0] == a_review.pk
    assert [a.pk for a in rows(client.get(QUEUE + "?o=-1"))][-1] == a_review.pk


def test_the_queue_costs_the_same_queries_for_more_rows(client, office, series, monday):
    def add(n):
        for _ in range(n):
            person = f.person()
            f.disclosure(person, relationships=[("Acme", Nature.CONSULTANT)])
            f.assign(f.child(series, start=f.local(2026, 3, 10)), person)

    client.force_login(office)
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    add(6)
    with CaptureQueriesContext(connection) as more:
        assert client.get(QUEUE).status_code == 200
    assert len(more) == len(few)


def test_the_review_page_shows_the_disclosure_and_decisions(client, office, needs_review):
    client.force_login(office)
    response = client.get(review_url(needs_review))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Acme" in body and "Consultant" in body and "Owner of the company" in body
    assert "Excluded" in body  # the owner relationship
    assert "5 business days left" in body
    assert "NEEDS REVIEW" in body and "No decision yet" in body


def test_a_reviewer_records_a_decision_with_mitigation(client, office, needs_review):
    client.force_login(office)
    disclosure = needs_review.person.disclosures.get()
    response = client.post(
        review_url(needs_review),
        {
            "disclosure_id": disclosure.pk,
            "decision": ReviewDecision.APPROVED_WITH_EXCEPTIONS,
            "relevant": "on",
            "mitigation_steps": [MitigationStep.PEER_REVIEW, MitigationStep.LIMITED_ROLE],
            "exception": "device_safety",
            "note": "Teaches the safe use of the Bolt pump only.",
            "_save": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    review = CoiReview.objects.get()
    assert review.reviewer == office and review.disclosure == disclosure
    assert review.mitigation_steps == ["peer_review", "limited_role"]
    needs_review.refresh_from_db()
    assert needs_review.coi_status == CoiStatus.APPROVED_WITH_EXCEPTIONS
    assert ChildActivity.objects.get(pk=needs_review.child_id).status == ChildStatus.PENDING
    page = client.get(review_url(needs_review)).content.decode()
    assert "Teaches the safe use" in page and "Peer review of content" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": ReviewDecision.APPROVED}, "record the exception or reject"),
        (
            {
                "decision": ReviewDecision.APPROVED_WITH_EXCEPTIONS,
                "exception": "basic_science",
                "relevant": "on",
            },
            "at least one mitigation step",
        ),
        ({"decision": "nonsense"}, "Select a valid choice"),
    ],
    ids=["owner-without-exception", "relevant-without-steps", "bad-decision"],
)
def test_an_invalid_decision_is_shown_and_nothing_is_saved(
    client, office, needs_review, data, message
):
    client.force_login(office)
    disclosure = needs_review.person.disclosures.get()
    response = client.post(review_url(needs_review), {"disclosure_id": disclosure.pk, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CoiReview.objects.exists()
    needs_review.refresh_from_db()
    assert needs_review.coi_status == CoiStatus.NEEDS_REVIEW


def test_a_decision_on_a_replaced_disclosure_is_refused(client, office, needs_review):
    client.force_login(office)
    read = needs_review.person.disclosures.get()
    f.disclosure(needs_review.person, at=timezone.now())
    response = client.post(
        review_url(needs_review),
        {"disclosure_id": read.pk, "decision": ReviewDecision.REJECTED, "note": "Owner"},
    )
    assert response.status_code == 200
    assert "submitted a newer disclosure while you were reviewing" in response.content.decode()
    assert not CoiReview.objects.exists()


def test_a_decision_applies_to_the_series_and_moves_to_the_next(client, office, needs_review):
    speaker, child = needs_review.person, needs_review.child
    later = f.assign(f.child(child.parent, start=f.local(2026, 3, 19, 12)), speaker)
    someone = f.person()
    f.disclosure(someone)
    following = f.assign(f.child(f.parent(), start=f.local(2026, 3, 12)), someone)
    client.force_login(office)
    response = client.post(
        review_url(needs_review),
        {
            "disclosure_id": speaker.disclosures.get().pk,
            "decision": ReviewDecision.REJECTED,
            "note": "Owner of Bolt; the talk is about Bolt's pump.",
            "apply_to_series": "on",
            "_next": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == review_url(following)
    later.refresh_from_db()
    assert later.coi_status == CoiStatus.REJECTED
    assert ChildActivity.objects.get(pk=later.child_id).status == ChildStatus.REJECTED
    assert CoiReview.objects.filter(decision=ReviewDecision.REJECTED).count() == 2


def test_the_quick_approval_approves_pending_and_explains_the_rest(
    client, office, series, needs_review
):
    pending = f.person()
    f.disclosure(pending)
    a_pending = f.assign(needs_review.child, pending)
    client.force_login(office)
    response = client.post(
        QUEUE,
        {
            "action": "approve_pending",
            helpers.ACTION_CHECKBOX_NAME: [a_pending.pk, needs_review.pk],
            "index": "0",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Approved 1 assignment." in body
    assert "Not approved" in body and "open it and review the disclosure" in body
    a_pending.refresh_from_db()
    needs_review.refresh_from_db()
    assert a_pending.coi_status == CoiStatus.APPROVED
    assert needs_review.coi_status == CoiStatus.NEEDS_REVIEW


@pytest.mark.parametrize("who", ["coordinator", "owner", "learner", "speaker"])
def test_nobody_else_reaches_the_review_screens(request, client, who, needs_review):
    client.force_login(request.getfixturevalue(who))
    disclosure = needs_review.person.disclosures.get()
    for url in (QUEUE, review_url(needs_review), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    response = client.post(
        review_url(needs_review),
        {
            "disclosure_id": disclosure.pk,
            "decision": ReviewDecision.REJECTED,
            "note": "x",
        },
    )
    assert response.status_code == 302
    response = client.post(
        QUEUE,
        {
            "action": "approve_pending",
            helpers.ACTION_CHECKBOX_NAME: [needs_review.pk],
            "index": "0",
        },
    )
    assert response.status_code == 302
    assert not CoiReview.objects.exists()
    needs_review.refresh_from_db()
    assert needs_review.coi_status == CoiStatus.NEEDS_REVIEW


def test_anonymous_visitors_are_sent_to_the_admin_login(client, needs_review):
    response = client.get(review_url(needs_review))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_decisions_are_made_only_through_the_review_page(client, office, needs_review):
    """The generic admin forms would skip the rules and the recompute: reviewers get 403."""
    client.force_login(office)
    assert client.get(reverse("admin:disclosures_coireview_add")).status_code == 403
    assert client.get(reverse("admin:activities_childreview_add")).status_code == 403
    assert client.get(reverse("admin:disclosures_disclosure_add")).status_code == 403
    child_url = reverse("admin:activities_childactivity_change", args=[needs_review.child_id])
    assert client.get(child_url).status_code == 200  # may look
    response = client.post(child_url, {"name": "Changed by a reviewer"})
    assert response.status_code == 403
    assert ChildActivity.objects.get(pk=needs_review.child_id).name != "Changed by a reviewer"


def test_the_admin_index_shows_the_office_work(client, office, needs_review):
    client.force_login(office)
    body = client.get(reverse("admin:index")).content.decode()
    assert "What is waiting for" in body and 'aria-label="1: COI reviews"' in body


def test_time_left_counts_business_days_after_today():
    from activities.business_days import BusinessCalendar
    from activities.selectors_queue import time_left

    calendar = BusinessCalendar(country="US", subdivision="MI", closure_days=[])
    wednesday = f.local(2026, 11, 25).date()
    assert time_left(calendar, wednesday, wednesday) == "today"
    # Thanksgiving and the day after are holidays in Michigan.
    assert time_left(calendar, wednesday, f.local(2026, 11, 27).date()) == "0 business days left"
    assert time_left(calendar, wednesday, f.local(2026, 11, 30).date()) == "1 business day left"
    assert time_left(calendar, wednesday, f.local(2026, 11, 20).date()) == "held"
