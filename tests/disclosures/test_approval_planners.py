"""Approving a session whose series has a planner without an active disclosure (SPEC §5): the
approval says who is missing and needs a recorded reason, or is refused; bulk approval reports
each refused session with its reason."""

from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from activities.models import ChildActivity, ChildReview
from activities.rules import ChildDecision, ChildStatus
from activities.services.children import (
    ChildError,
    child_approve,
    planner_names_without_disclosure,
)
from disclosures.rules import CoiStatus
from faculty.models import Assignment
from tests import factories as f

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:activities_approvalqueueitem_changelist")


def page_url(child):
    return reverse("admin:activities_approvalqueueitem_change", args=[child.pk])


@pytest.fixture
def uncovered(coordinator, planner, speaker):
    """A PENDING session of a series whose planner never disclosed."""
    series = f.parent(
        name="Cardiology Grand Rounds", coordinators=[coordinator], planners=[planner]
    )
    child = f.child(series, name="Heart failure update")
    f.disclosure(speaker)
    f.assign(child, speaker)
    assert ChildActivity.objects.get(pk=child.pk).status == ChildStatus.PENDING
    return child


@pytest.fixture
def covered(series, speaker):
    child = f.child(series, name="Sepsis in the first hour")
    f.disclosure(speaker)
    f.assign(child, speaker)
    return child


def fresh(child):
    return ChildActivity.objects.get(pk=child.pk)


def test_the_rule_counts_missing_and_expired_disclosures(uncovered, planner):
    other = f.person(last_name="Expired", first_name="Ed")
    current = f.person(last_name="Current", first_name="Cy")
    f.disclosure(other, at=uncovered.start - timedelta(days=365))  # exactly a year: expired
    f.disclosure(current, at=uncovered.start - timedelta(days=364))
    for who in (other, current):
        uncovered.parent.roles.create(person=who, role="planner")
    assert planner_names_without_disclosure(uncovered) == ["Expired, Ed", "Planner, Paula"]


def test_the_service_refuses_without_a_reason_and_changes_nothing(office, uncovered):
    with pytest.raises(ChildError) as refused:
        child_approve(uncovered, reviewer=office)
    assert refused.value.code == "planners_without_disclosure"
    assert "Planner, Paula" in refused.value.message
    child = fresh(uncovered)
    assert child.decision == "" or child.decision is None
    assert child.status == ChildStatus.PENDING
    assert not ChildReview.objects.exists()
    assert Assignment.objects.get(child=child).coi_status == CoiStatus.PENDING


def test_a_blank_reason_is_no_reason(office, uncovered):
    with pytest.raises(ChildError):
        child_approve(uncovered, reviewer=office, confirm_planners_reason="   ")


def test_a_reason_approves_and_is_kept_with_the_approval(office, uncovered):
    child_approve(uncovered, reviewer=office, confirm_planners_reason="Disclosure on paper.")
    child = fresh(uncovered)
    assert child.decision == ChildDecision.APPROVED and child.status == ChildStatus.APPROVED
    review = ChildReview.objects.get(child=child)
    assert review.reviewer == office
    assert "Planner, Paula" in review.reason and "Disclosure on paper." in review.reason


def test_a_planner_who_disclosed_needs_no_reason(office, uncovered, planner):
    f.disclosure(planner)
    child_approve(uncovered, reviewer=office)
    assert fresh(uncovered).status == ChildStatus.APPROVED
    assert ChildReview.objects.get(child=uncovered).reason == ""


def test_the_page_names_the_planner_and_asks_for_a_reason(client, office, uncovered):
    client.force_login(office)
    body = client.get(page_url(uncovered)).content.decode()
    assert "No active disclosure of planner Planner, Paula" in body
    assert 'name="planners_reason"' in body
    assert "Confirm and approve without the planner" in body

    response = client.post(page_url(uncovered), {"action": "approve"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("was not approved" in m and "Planner, Paula" in m for m in shown), shown
    assert fresh(uncovered).status == ChildStatus.PENDING

    client.post(page_url(uncovered), {"action": "approve", "planners_reason": "Chair vouched."})
    assert fresh(uncovered).status == ChildStatus.APPROVED
    assert "Chair vouched." in ChildReview.objects.get(child=uncovered).reason


def test_a_session_without_the_problem_shows_the_plain_button(client, office, covered):
    client.force_login(office)
    body = client.get(page_url(covered)).content.decode()
    assert 'name="planners_reason"' not in body
    assert "Approve the session and its PENDING faculty" in body


def test_bulk_approval_reports_each_refused_session(client, office, uncovered, covered):
    client.force_login(office)
    response = client.post(
        QUEUE,
        {
            "action": "approve_selected",
            helpers.ACTION_CHECKBOX_NAME: [uncovered.pk, covered.pk],
            "index": "0",
        },
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Session {uncovered.pk} was not approved." in " ".join(shown)
    assert any("Planner, Paula" in m and "confirm with a reason" in m for m in shown), shown
    assert "Approved 1 session." in shown
    assert fresh(covered).status == ChildStatus.APPROVED
    assert fresh(uncovered).status == ChildStatus.PENDING


def test_bulk_confirmation_asks_for_a_reason_then_approves(client, office, uncovered):
    client.force_login(office)
    data = {
        "action": "approve_confirming_planners",
        helpers.ACTION_CHECKBOX_NAME: [uncovered.pk],
        "index": "0",
    }
    asked = client.post(QUEUE, data)
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert fresh(uncovered).status == ChildStatus.PENDING
    client.post(QUEUE, {**data, "apply": "1", "reason": "Planner is on leave; chair reviewed."})
    assert fresh(uncovered).status == ChildStatus.APPROVED
    assert "on leave" in ChildReview.objects.get(child=uncovered).reason


def test_the_list_shows_the_missing_planner(client, office, uncovered):
    client.force_login(office)
    body = client.get(QUEUE).content.decode()
    assert "Planner, Paula" in body
    assert timezone.now() < uncovered.start
