"""Session approvals, the planners report and history in the admin (SPEC §5, §7)."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from activities.models import ChildActivity, ChildReview
from activities.rules import ChildDecision, ChildStatus
from activities.services.coi_reviews import coi_review_record
from disclosures.rules import CoiStatus, Nature
from disclosures.rules import ReviewDecision as D
from faculty.models import Assignment
from rss_dashboard.models import OutboxEmail
from tests import factories as f

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:activities_approvalqueueitem_changelist")
PLANNERS = reverse("admin:activities_plannerdisclosure_changelist")


def page_url(child):
    return reverse("admin:activities_approvalqueueitem_change", args=[child.pk])


def act(client, action, children, query="", follow=True, **extra):
    return client.post(
        QUEUE + query,
        {
            "action": action,
            helpers.ACTION_CHECKBOX_NAME: [c.pk for c in children],
            "index": "0",
            **extra,
        },
        follow=follow,
    )


def fresh(child):
    return ChildActivity.objects.get(pk=child.pk)


@pytest.fixture
def ready(series, speaker):
    child = f.child(series, name="Sepsis in the first hour")
    f.disclosure(speaker)
    f.assign(child, speaker)
    assert fresh(child).status == ChildStatus.PENDING
    return child


@pytest.fixture
def incomplete(series):
    child = f.child(series, name="Heart failure update")
    f.assign(child, f.person(last_name="Nodisclosure"))
    return child


@pytest.fixture
def badly_named(series, speaker):
    child = f.child(series, name="TBD")
    f.assign(child, speaker)
    f.disclosure(speaker)
    from activities.services.status import recompute_children

    recompute_children([child.pk])
    return child


def test_the_queue_shows_sessions_ready_for_approval_by_default(client, office, ready, incomplete):
    client.force_login(office)
    response = client.get(QUEUE)
    assert [c.pk for c in response.context["cl"].result_list] == [ready.pk]
    assert "Smith, Jane: PENDING" in response.content.decode()
    everything = client.get(QUEUE + "?status=all").context["cl"].result_list
    assert {c.pk for c in everything} == {ready.pk, incomplete.pk}


def test_approving_approves_the_session_and_its_faculty(client, office, ready):
    client.force_login(office)
    body = act(client, "approve_selected", [ready]).content.decode()
    assert "Approved 1 session." in body
    child = fresh(ready)
    assert child.status == ChildStatus.APPROVED
    assert child.decision == ChildDecision.APPROVED and child.decided_by == office
    assert Assignment.objects.get(child=ready).coi_status == CoiStatus.APPROVED
    # History keeps who did it (simple-history's middleware records the signed-in reviewer).
    assert child.history.first().history_user == office


def test_approval_is_refused_with_the_reason(client, office, ready, incomplete, badly_named):
    client.force_login(office)
    body = act(client, "approve_selected", [incomplete, badly_named, ready]).content.decode()
    assert f"Session {incomplete.pk} was not approved." in body
    assert "this one is INCOMPLETE" in body and "No disclosure on file for Nodisclosure" in body
    assert f"Session {badly_named.pk} was not approved." in body
    assert "The name needs an update before approval" in body
    assert "Approved 1 session." in body
    assert fresh(incomplete).decision == "" and fresh(badly_named).decision == ""
    assert ChildReview.objects.filter(action=ChildReview.Action.APPROVED).count() == 1


def test_rejecting_asks_for_a_reason_first(client, office, ready):
    client.force_login(office)
    response = act(client, "reject_selected", [ready])
    assert response.status_code == 200
    assert "Reason" in response.content.decode() and fresh(ready).decision == ""
    response = act(client, "reject_selected", [ready], apply="1", reason="  ")
    assert "This field is required" in response.content.decode()
    assert fresh(ready).decision == ""
    body = act(
        client, "reject_selected", [ready], apply="1", reason="Duplicate of 4711"
    ).content.decode()
    assert "Rejected 1 session." in body
    child = fresh(ready)
    assert child.status == ChildStatus.REJECTED
    assert ChildReview.objects.get(child=ready).reason == "Duplicate of 4711"


def test_a_wrong_name_flag_is_cleared_with_a_reason_then_approved(client, office, badly_named):
    client.force_login(office)
    act(client, "clear_name_flag", [badly_named], apply="1", reason="")
    assert fresh(badly_named).name_needs_update
    body = act(
        client, "clear_name_flag", [badly_named], apply="1", reason="TBD is the speaker's initials"
    ).content.decode()
    assert "Cleared the name flag of 1 session." in body
    child = fresh(badly_named)
    assert not child.name_needs_update
    assert child.name_flag_cleared_reason == "TBD is the speaker's initials"
    assert "Approved 1 session." in act(client, "approve_selected", [child]).content.decode()


def test_the_approval_page_explains_and_decides(client, office, incomplete, speaker):
    client.force_login(office)
    body = client.get(page_url(incomplete)).content.decode()
    assert "Approval waits for" in body and "No disclosure on file for Nodisclosure" in body
    response = client.post(page_url(incomplete), {"action": "approve"}, follow=True)
    assert "was not approved" in response.content.decode()
    assert fresh(incomplete).decision == ""
    response = client.post(page_url(incomplete), {"action": "reject", "reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(page_url(incomplete), {"action": "reject", "reason": "No speaker found"})
    assert response.status_code == 302
    assert fresh(incomplete).status == ChildStatus.REJECTED
    body = client.get(page_url(incomplete)).content.decode()
    assert "Session: Rejected" in body and "No speaker found" in body


def test_the_approval_page_approves(client, office, ready):
    client.force_login(office)
    response = client.post(page_url(ready), {"action": "approve"})
    assert response.status_code == 302
    assert fresh(ready).status == ChildStatus.APPROVED


@pytest.mark.parametrize("who", ["coordinator", "owner", "learner"])
def test_coordinators_owners_and_learners_cannot_approve(request, client, who, ready):
    client.force_login(request.getfixturevalue(who))
    for response in (
        client.get(QUEUE),
        act(client, "approve_selected", [ready], follow=False),
        act(client, "reject_selected", [ready], follow=False, apply="1", reason="no"),
        client.post(page_url(ready), {"action": "approve"}),
        client.post(page_url(ready), {"action": "reject", "reason": "no"}),
        client.get(PLANNERS),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert fresh(ready).decision == "" and fresh(ready).status == ChildStatus.PENDING
    assert not ChildReview.objects.exists()


def test_the_planners_report_names_who_lacks_a_disclosure(client, office, coordinator):
    lacking = f.person(last_name="Lacking")
    covered = f.person(last_name="Covered")
    f.disclosure(covered)
    series = f.parent(name="Tumor Board", planners=[lacking, covered])
    f.child(series)
    client.force_login(office)
    response = client.get(PLANNERS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tumor Board" in body and "Lacking, Pat" in body and "Covered, Pat" not in body
    assert "Covered, Pat" in client.get(PLANNERS + "?show=all").content.decode()
    assert (
        client.get(reverse("admin:activities_plannerdisclosure_change", args=[1])).status_code
        == 403
    )


def test_the_child_admin_shows_every_decision_of_the_office(client, office, series, speaker):
    child = f.child(series)
    f.disclosure(speaker, relationships=[("Acme", Nature.CONSULTANT)])
    a = f.assign(child, speaker)
    client.force_login(office)
    coi_review_record(assignment=a, reviewer=office, decision=D.APPROVED, note="Unrelated topic")
    client.post(page_url(child), {"action": "approve"})
    body = client.get(
        reverse("admin:activities_childactivity_change", args=[child.pk])
    ).content.decode()
    assert "COI of Smith, Jane: Approved" in body and "Unrelated topic" in body
    assert "Session: Approved" in body
    history = client.get(reverse("admin:activities_childactivity_history", args=[child.pk]))
    assert history.status_code == 200 and office.name in history.content.decode()
    for name in ("faculty_assignment", "disclosures_disclosure", "faculty_person"):
        pk = {
            "faculty_assignment": a.pk,
            "disclosures_disclosure": speaker.disclosures.get().pk,
            "faculty_person": speaker.pk,
        }[name]
        assert client.get(reverse(f"admin:{name}_history", args=[pk])).status_code == 200


def test_admin_edits_follow_the_rules_and_recompute(client, admin_user, ready, speaker):
    client.force_login(admin_user)
    url = reverse("admin:activities_childactivity_change", args=[ready.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "parent": ready.parent_id,
            "name": "TBD",
            "start_0": ready.local_start.strftime("%Y-%m-%d"),
            "start_1": ready.local_start.strftime("%H:%M:%S"),
            "end_0": ready.local_end.strftime("%Y-%m-%d"),
            "end_1": ready.local_end.strftime("%H:%M:%S"),
            "time_zone": "America/Detroit",
            "texting_minutes_prior": 30,
            "texting_minutes_after": 10000,
            "is_active": "on",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00:00",
        }
    )
    for prefix in ("assignments", "reviews", "comments"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data["assignments-TOTAL_FORMS"] = 1
    newcomer = f.person(last_name="Newcomer")
    data |= {
        "assignments-0-person": newcomer.pk,
        "assignments-0-role": "speaker",
        "assignments-0-request_disclosure": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    child = fresh(ready)
    assert child.name_needs_update and child.status == ChildStatus.INCOMPLETE
    assert Assignment.objects.filter(child=ready, person=newcomer).exists()
    assert OutboxEmail.objects.filter(kind="disclosure_request", to=[newcomer.email]).exists()
    # The year rule of the dashboard applies in the admin too (a form opened after that save).
    data["seen_version"] = fresh(ready).version
    data |= {
        "start_0": f"{ready.parent.year + 1}-01-05",
        "end_0": f"{ready.parent.year + 1}-01-05",
        "assignments-TOTAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is approved for" in response.content.decode()


def test_an_admin_edit_over_someone_elses_change_is_refused(client, admin_user, ready):
    """Issue 20: the admin bumped the version without child_update's check."""
    from activities.services.children import child_update

    client.force_login(admin_user)
    url = reverse("admin:activities_childactivity_change", args=[ready.pk])
    form = client.get(url).context["adminform"].form
    child_update(ready, name="Their change")  # a coordinator saves in the editor meanwhile
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data |= {
        "parent": ready.parent_id,
        "name": "Mine",
        "start_0": ready.local_start.strftime("%Y-%m-%d"),
        "start_1": ready.local_start.strftime("%H:%M:%S"),
        "end_0": ready.local_end.strftime("%Y-%m-%d"),
        "end_1": ready.local_end.strftime("%H:%M:%S"),
        "time_zone": "America/Detroit",
        "texting_minutes_prior": 30,
        "texting_minutes_after": 10000,
        "is_active": "on",
        "created_at_0": "2026-01-01",
        "created_at_1": "00:00:00",
    }
    for prefix in ("assignments", "reviews", "comments"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert fresh(ready).name == "Their change"


def test_the_office_lists_cost_the_same_queries_for_more_rows(client, office, series):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            person = f.person()
            f.disclosure(person)
            f.assign(f.child(series), person)
            series.roles.create(person=f.person(), role="planner")

    client.force_login(office)
    sizes = []
    for n in (2, 6):
        add(n)
        for url in (QUEUE, PLANNERS):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            sizes.append((url, len(queries)))
    assert sizes[:2] == sizes[2:]
