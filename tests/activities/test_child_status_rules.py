"""SPEC §7: the child status, first match wins."""

import pytest

from activities.rules import ChildDecision, ChildStatus, child_status
from disclosures.rules import CoiStatus as C

A, AX = C.APPROVED, C.APPROVED_WITH_EXCEPTIONS

CASES = [
    # (assignment statuses, reviewer decision, expected)
    ([C.REJECTED], None, ChildStatus.REJECTED),
    ([A, C.REJECTED], ChildDecision.APPROVED, ChildStatus.REJECTED),
    ([C.REJECTED, C.INCOMPLETE], None, ChildStatus.REJECTED),
    ([A, A], ChildDecision.REJECTED, ChildStatus.REJECTED),
    ([], ChildDecision.REJECTED, ChildStatus.REJECTED),
    ([], None, ChildStatus.INCOMPLETE),
    ([], ChildDecision.APPROVED, ChildStatus.INCOMPLETE),
    ([A, C.INCOMPLETE], ChildDecision.APPROVED, ChildStatus.INCOMPLETE),
    ([C.INCOMPLETE, C.NEEDS_REVIEW], None, ChildStatus.INCOMPLETE),
    ([C.NEEDS_REVIEW], None, ChildStatus.IN_REVIEW),
    ([A, C.DISCLOSURE_UPDATED], None, ChildStatus.IN_REVIEW),
    ([A, C.NEEDS_REVIEW], ChildDecision.APPROVED, ChildStatus.IN_REVIEW),
    ([C.PENDING, C.DISCLOSURE_UPDATED], None, ChildStatus.IN_REVIEW),
    ([A], ChildDecision.APPROVED, ChildStatus.APPROVED),
    ([A, AX], ChildDecision.APPROVED, ChildStatus.APPROVED),
    ([AX], "approved", ChildStatus.APPROVED),
    ([A, C.PENDING], ChildDecision.APPROVED, ChildStatus.PENDING),
    ([A, A], None, ChildStatus.PENDING),
    ([A], "", ChildStatus.PENDING),
    ([C.PENDING], None, ChildStatus.PENDING),
    (["pending", "approved"], None, ChildStatus.PENDING),
]
IDS = [
    "rejected-assignment",
    "rejected-assignment-beats-approved-decision",
    "rejected-beats-incomplete",
    "rejected-decision-with-all-approved",
    "rejected-decision-without-faculty",
    "no-faculty",
    "no-faculty-with-approved-decision",
    "one-incomplete-with-approved-decision",
    "incomplete-beats-needs-review",
    "needs-review",
    "disclosure-updated",
    "needs-review-with-approved-decision",
    "pending-and-disclosure-updated",
    "approved",
    "approved-and-approved-with-exceptions",
    "decision-as-plain-string",
    "approved-decision-but-one-pending",
    "all-approved-no-decision",
    "empty-string-decision",
    "pending",
    "statuses-as-plain-strings",
]


@pytest.mark.parametrize(("statuses", "decision", "expected"), CASES, ids=IDS)
def test_child_status(statuses, decision, expected):
    assert child_status(statuses, decision) == expected


def test_child_status_accepts_any_sequence():
    assert child_status((A,), ChildDecision.APPROVED) == ChildStatus.APPROVED


def test_the_dashboard_and_the_emails_say_the_same_thing_about_who_approval_waits_for():
    """Issue 20: 'what approval waits for' was written twice (presenters and monitoring)."""
    from activities.rules import ChildStatus, waiting_on
    from activities.rules_monitoring import status_advice

    for status in (ChildStatus.INCOMPLETE, ChildStatus.IN_REVIEW, ChildStatus.PENDING):
        headline = waiting_on(status, office="The Office")
        assert status_advice(status, office="The Office").startswith(headline)
    assert waiting_on(ChildStatus.PENDING, office="X", planner_missing=True).startswith(
        "Not ready for approval"
    )
