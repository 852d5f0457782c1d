"""Issue 14 item 8: the approval column says plainly what state a session is in now and what
happened before; "Approved by" never shows on a session that is not APPROVED (row and the
office's approval queue); a rejection's reason always shows on the coordinator's row."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.rules import ChildStatus, decision_line
from activities.services.children import child_approve, child_reject
from activities.services.coi_reviews import coi_review_record
from disclosures.rules import ReviewDecision
from tests import factories as f
from tests.personas import login

ON = "Jan 5, 2026"


def test_the_decision_line_says_approved_only_while_approved():
    args = {"decided_by": "Reviewer, Rita", "decided_on": ON}
    assert decision_line(status="approved", decision="approved", **args) == (
        f"Approved by Reviewer, Rita on {ON}"
    )
    assert decision_line(status="pending", decision="approved", **args) == (
        f"Earlier approved by Reviewer, Rita on {ON}"
    )
    assert decision_line(status="rejected", decision="rejected", **args).startswith("Rejected by")
    assert decision_line(status="pending", decision="", **args) == ""


@pytest.fixture
def approved(db, series, office):
    child = f.child(series, name="Stroke care", start=timezone.now() + timedelta(days=12))
    lee = f.person(last_name="Lee", first_name="Ana")
    f.disclosure(lee)
    f.assign(child, lee)
    child_approve(child, reviewer=office)
    return child


def approval_cell(client, child) -> str:
    row = client.get(reverse("child_row", args=[child.pk])).content.decode()
    return row.split('class="col-approval"')[1]


def test_faculty_added_after_approval_reads_as_waiting_with_the_earlier_approval_below(
    client, coordinator, approved
):
    smith = f.person(last_name="Smith", first_name="Jane")
    f.disclosure(smith)
    f.assign(approved, smith)
    approved.refresh_from_db()
    assert approved.status == ChildStatus.PENDING
    cell = approval_cell(login(client, coordinator), approved)
    headline = cell.split('<div class="approval">')[1].split("</div>")[0]
    assert headline == "Waits for OCME&amp;LL approval"
    assert "since then" not in cell
    assert "Earlier approved by Reviewer, Rita on" in cell
    assert "it needs approval again. Changed since: Smith, Jane (PENDING)." in cell


def test_the_approval_queue_never_says_approved_by_on_a_pending_session(client, office, approved):
    f.assign(approved, f.person(last_name="Smith"))
    client.force_login(office)
    page = client.get(
        reverse("admin:activities_approvalqueueitem_changelist"), {"status": "all"}
    ).content.decode()
    assert "Earlier approved by Reviewer, Rita" in page
    assert ">Approved by" not in page


def test_a_rejections_reason_shows_on_the_row(client, coordinator, office, series):
    child = f.child(series, name="Lipid targets", start=timezone.now() + timedelta(days=12))
    child_reject(child, reviewer=office, reason="This topic belongs to Surgery.")
    cell = approval_cell(login(client, coordinator), child)
    assert "Rejected by Reviewer, Rita on" in cell
    assert "Reason: This topic belongs to Surgery." in cell
    assert "Next: make the change the reason asks for" in cell


def test_a_rejected_cois_note_shows_on_the_row(client, coordinator, office, child):
    maker = f.person(last_name="Maker", first_name="Max")
    f.disclosure(maker, relationships=[("Acme Devices", f.OWNER)])
    a = f.assign(child, maker)
    coi_review_record(
        assignment=a, reviewer=office, decision=ReviewDecision.REJECTED, note="Owns the maker."
    )
    cell = approval_cell(login(client, coordinator), child)
    assert "Reason (Maker, Max): Owns the maker." in cell
