"""SPEC §5-6: active disclosures, COI status of an assignment, reviewer constraints."""

from datetime import UTC, datetime, timedelta

import pytest

from disclosures.rules import (
    EXCLUDING_NATURES,
    CoiStatus,
    DisclosureFacts,
    MitigationStep,
    Nature,
    OwnerEmployeeException,
    ReviewDecision,
    ReviewFacts,
    allowed_decisions,
    coi_hint,
    coi_status,
    disclosure_summary,
    is_active,
    validate_review,
)

START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
RECENT = START - timedelta(days=30)
OLD = START - timedelta(days=400)


def facts(pk=1, at=RECENT, relationships=False):
    return DisclosureFacts(id=pk, submitted_at=at, has_relationships=relationships)


# --- is_active -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted_at", "active"),
    [
        (None, False),
        (START - timedelta(days=365), False),
        (START - timedelta(days=365) + timedelta(seconds=1), True),
        (START - timedelta(days=365, seconds=1), False),
        (RECENT, True),
        (START, True),
        (START + timedelta(days=1), True),  # submitted after the session was scheduled
    ],
    ids=[
        "none",
        "exactly-365-days",
        "365-days-minus-1s",
        "365-days-plus-1s",
        "recent",
        "same",
        "after",
    ],
)
def test_is_active(submitted_at, active):
    assert is_active(submitted_at, START) is active


# --- coi_status ------------------------------------------------------------------------------

COI_CASES = [
    (None, None, CoiStatus.INCOMPLETE),
    (facts(at=OLD), None, CoiStatus.INCOMPLETE),
    (facts(at=OLD), ReviewFacts(1, ReviewDecision.APPROVED), CoiStatus.INCOMPLETE),
    (facts(relationships=True), None, CoiStatus.NEEDS_REVIEW),
    (facts(relationships=False), None, CoiStatus.PENDING),
    (facts(relationships=True), ReviewFacts(1, ReviewDecision.MITIGATED), CoiStatus.PENDING),
    (facts(), ReviewFacts(1, ReviewDecision.APPROVED), CoiStatus.APPROVED),
    (
        facts(relationships=True),
        ReviewFacts(1, ReviewDecision.APPROVED_WITH_EXCEPTIONS),
        CoiStatus.APPROVED_WITH_EXCEPTIONS,
    ),
    (facts(relationships=True), ReviewFacts(1, ReviewDecision.REJECTED), CoiStatus.REJECTED),
    (facts(pk=2), ReviewFacts(1, ReviewDecision.APPROVED), CoiStatus.DISCLOSURE_UPDATED),
    (facts(pk=2), ReviewFacts(1, ReviewDecision.REJECTED), CoiStatus.DISCLOSURE_UPDATED),
    (facts(), ReviewFacts(1, "approved"), CoiStatus.APPROVED),
]


@pytest.mark.parametrize(
    ("latest", "review", "expected"),
    COI_CASES,
    ids=[
        "no-disclosure",
        "expired",
        "expired-beats-review",
        "relationships-unreviewed",
        "nothing-to-disclose",
        "mitigated",
        "approved",
        "approved-with-exceptions",
        "rejected",
        "newer-disclosure-after-approval",
        "newer-disclosure-after-rejection",
        "decision-as-string",
    ],
)
def test_coi_status(latest, review, expected):
    assert coi_status(latest=latest, review=review, session_start=START) == expected


# --- validate_review -------------------------------------------------------------------------

D = ReviewDecision
X = OwnerEmployeeException
STEPS = [MitigationStep.PEER_REVIEW]

REVIEW_CASES = [
    # decision, owner/employee, exception, relevant, steps, expected error fragment or None
    (D.APPROVED, False, "", False, [], None),
    (D.MITIGATED, False, "", True, STEPS, None),
    (D.APPROVED, False, "", True, STEPS, None),
    (D.REJECTED, False, "", True, [], None),
    (D.REJECTED, True, "", True, [], None),
    (D.APPROVED_WITH_EXCEPTIONS, True, X.BASIC_SCIENCE, False, [], None),
    (D.APPROVED_WITH_EXCEPTIONS, True, X.DEVICE_SAFETY, True, STEPS, None),
    (D.APPROVED, False, "", True, [], "at least one mitigation step"),
    (D.MITIGATED, False, "", True, [], "at least one mitigation step"),
    (D.APPROVED_WITH_EXCEPTIONS, True, X.DEVICE_SAFETY, True, [], "at least one mitigation step"),
    (D.APPROVED, True, "", False, [], "three exceptions"),
    (D.MITIGATED, True, "", True, STEPS, "three exceptions"),
    (D.APPROVED_WITH_EXCEPTIONS, True, "", False, [], "three exceptions"),
    (D.APPROVED, True, X.UNRELATED_CONTENT, False, [], "must be 'Approved with exceptions'"),
    (D.APPROVED, False, X.UNRELATED_CONTENT, False, [], "only to an owner or employee"),
    (D.APPROVED_WITH_EXCEPTIONS, False, "", False, [], "only to an owner or employee"),
    ("", False, "", False, [], "Choose a decision"),
    (None, False, "", False, [], "Choose a decision"),
    (D.APPROVED, True, "bogus", False, [], "Unknown exception"),
    (D.APPROVED, False, "", True, ["bogus"], "Unknown mitigation step"),
    (D.MITIGATED, False, "", False, STEPS, "'Mitigated' is for relevant relationships"),
    (D.MITIGATED, False, "", False, [], "'Mitigated' is for relevant relationships"),
]


@pytest.mark.parametrize(
    ("decision", "owner", "exception", "relevant", "steps", "error"), REVIEW_CASES
)
def test_validate_review(decision, owner, exception, relevant, steps, error):
    errors = validate_review(
        decision=decision,
        has_relationships=True,
        has_owner_or_employee=owner,
        exception=exception,
        relevant=relevant,
        mitigation_steps=steps,
    )
    if error is None:
        assert errors == []
    else:
        assert any(error in e for e in errors), errors


@pytest.mark.parametrize(
    ("has_relationships", "owner", "expected"),
    [
        (False, False, (D.APPROVED,)),
        (True, False, (D.MITIGATED, D.APPROVED, D.REJECTED)),
        (True, True, (D.APPROVED_WITH_EXCEPTIONS, D.REJECTED)),
    ],
)
def test_allowed_decisions_follow_the_disclosure(has_relationships, owner, expected):
    assert (
        allowed_decisions(has_relationships=has_relationships, has_owner_or_employee=owner)
        == expected
    )


NOTHING_CASES = [
    # decision, relevant, steps, exception, expected error fragment or None
    (D.APPROVED, False, [], "", None),
    (D.MITIGATED, True, STEPS, "", "not possible for a disclosure with nothing to disclose"),
    (D.MITIGATED, False, [], "", "The only decision is 'Approved'"),
    (D.REJECTED, False, [], "", "The only decision is 'Approved'"),
    (D.APPROVED_WITH_EXCEPTIONS, False, [], X.BASIC_SCIENCE, "The only decision is 'Approved'"),
    (D.APPROVED, True, [], "", "no relationship to judge relevant"),
    (D.APPROVED, False, STEPS, "", "nothing to mitigate"),
    (D.APPROVED, False, [], X.BASIC_SCIENCE, "only to an owner or employee"),
]


@pytest.mark.parametrize(("decision", "relevant", "steps", "exception", "error"), NOTHING_CASES)
def test_nothing_to_disclose_allows_only_a_plain_approval(
    decision, relevant, steps, exception, error
):
    """The bug report: "Relevant + peer review + Mitigated" on "nothing to disclose"."""
    errors = validate_review(
        decision=decision,
        has_relationships=False,
        has_owner_or_employee=False,
        exception=exception,
        relevant=relevant,
        mitigation_steps=steps,
    )
    if error is None:
        assert errors == []
    else:
        assert any(error in e for e in errors), errors


def test_every_allowed_decision_can_be_valid():
    """Whatever is offered can be recorded with the right relevance, steps and exception."""
    for has_rel, owner in ((False, False), (True, False), (True, True)):
        for decision in allowed_decisions(has_relationships=has_rel, has_owner_or_employee=owner):
            relevant = has_rel and decision != D.APPROVED
            assert not validate_review(
                decision=decision,
                has_relationships=has_rel,
                has_owner_or_employee=owner,
                exception=X.BASIC_SCIENCE if decision == D.APPROVED_WITH_EXCEPTIONS else "",
                relevant=relevant,
                mitigation_steps=STEPS if relevant else [],
            ), (has_rel, owner, decision)


def test_owner_and_employee_exclude_stock_does_not():
    assert {Nature.OWNER, Nature.EMPLOYEE} == EXCLUDING_NATURES
    assert Nature.STOCK not in EXCLUDING_NATURES


# --- disclosure_summary ----------------------------------------------------------------------

AT = datetime(2026, 1, 5, 15, 30, tzinfo=UTC)


def test_summary_without_disclosure():
    assert disclosure_summary(submitted_at=None, nothing_to_disclose=False, relationships=[]) == (
        "Disclosure submitted: N/A",
        "Disclosure: NO DISCLOSURE ON FILE",
    )


def test_summary_nothing_to_disclose():
    assert disclosure_summary(submitted_at=AT, nothing_to_disclose=True, relationships=[]) == (
        "Disclosure submitted: Jan 5, 2026",
        "Disclosure: Nothing to disclose - Jan 5, 2026",
    )


def test_summary_relationships():
    assert disclosure_summary(
        submitted_at=AT,
        nothing_to_disclose=False,
        relationships=[("Acme Pharma", "Consultant"), ("Beta Devices", "Advisory board")],
    ) == (
        "Disclosure submitted: Jan 5, 2026",
        "Disclosure: Acme Pharma (Consultant); Beta Devices (Advisory board)",
    )


# --- coi_hint --------------------------------------------------------------------------------

WHO_ACTS = {
    CoiStatus.INCOMPLETE: "Faculty must",
    CoiStatus.NEEDS_REVIEW: "OCME&LL",
    CoiStatus.PENDING: "OCME&LL",
    CoiStatus.APPROVED: "No action needed",
    CoiStatus.APPROVED_WITH_EXCEPTIONS: "No action needed",
    CoiStatus.REJECTED: "The coordinator must remove Smith, Jane",
    CoiStatus.DISCLOSURE_UPDATED: "OCME&LL must review",
}


@pytest.mark.parametrize("status", list(CoiStatus))
def test_coi_hint_names_the_person_and_who_acts(status):
    hint = coi_hint(
        status, person="Smith, Jane", submitted_at=RECENT, session_start=START, office="OCME&LL"
    )
    assert "Smith, Jane" in hint
    assert WHO_ACTS[status] in hint
    # The office's name is the site's (settings.OFFICE_NAME), never written into the rule.
    other = coi_hint(
        status, person="Smith, Jane", submitted_at=RECENT, session_start=START, office="CE Office"
    )
    assert "OCME" not in other


def test_coi_hint_incomplete_none_and_expired():
    none = coi_hint(
        CoiStatus.INCOMPLETE, person="Smith, Jane", submitted_at=None, session_start=START
    )
    assert none == (
        "No disclosure on file for Smith, Jane. Faculty must complete the disclosure form; "
        "the coordinator follows up."
    )
    expired = coi_hint(
        CoiStatus.INCOMPLETE,
        person="Smith, Jane",
        submitted_at=datetime(2025, 1, 2, tzinfo=UTC),
        session_start=START,
    )
    assert expired.startswith(
        "Disclosure of Smith, Jane was submitted Jan 2, 2025 and expired before this session"
    )
    assert "coordinator follows up" in expired


def test_coi_hint_accepts_plain_strings():
    assert "No action needed" in coi_hint(
        "approved", person="Doe, John", submitted_at=RECENT, session_start=START
    )


def test_a_rejection_needs_a_note_the_coordinators_read():
    """Issue 14: the help text asked for a reason on a rejection; an empty note was accepted."""
    common = {
        "has_relationships": True,
        "has_owner_or_employee": True,
        "exception": "",
        "relevant": True,
    }
    empty = validate_review(decision=D.REJECTED, mitigation_steps=[], note="  ", **common)
    assert any("Say why in the note" in e for e in empty)
    assert validate_review(decision=D.REJECTED, mitigation_steps=[], note="Owner.", **common) == []
