"""Disclosure and COI rules (SPEC §5-6): plain functions, no database.

Kept free of models so that the status engine, the views and the tests share one definition of
"active", of each COI status and of the reviewer's constraints.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from faculty.choices import CoiStatus  # noqa: F401 - an assignment's column; the rules derive it

# The vocabulary of a disclosure and its review (callers import it from here as well).
from .choices import (  # noqa: F401
    MitigationStep,
    Nature,
    OwnerEmployeeException,
    ReviewDecision,
)

# An owner or employee of an ineligible company is excluded (ACCME Standard 3); stock alone is not.
EXCLUDING_NATURES: frozenset[str] = frozenset({Nature.OWNER, Nature.EMPLOYEE})
ACTIVE_DAYS = 365

_APPROVING = frozenset(
    {ReviewDecision.MITIGATED, ReviewDecision.APPROVED, ReviewDecision.APPROVED_WITH_EXCEPTIONS}
)
_DECISION_TO_STATUS = {
    ReviewDecision.MITIGATED: CoiStatus.PENDING,
    ReviewDecision.APPROVED: CoiStatus.APPROVED,
    ReviewDecision.APPROVED_WITH_EXCEPTIONS: CoiStatus.APPROVED_WITH_EXCEPTIONS,
    ReviewDecision.REJECTED: CoiStatus.REJECTED,
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_long_date(d: datetime) -> str:
    """ "Jan 5, 2026", independent of the process locale (strftime %b is not)."""
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def is_active(submitted_at: datetime | None, session_start: datetime) -> bool:
    """Less than one year before the start; exactly 365 days before is already expired."""
    return submitted_at is not None and submitted_at > session_start - timedelta(days=ACTIVE_DAYS)


@dataclass(frozen=True)
class DisclosureFacts:
    """A person's latest disclosure as plain values (`disclosures.selectors.latest_disclosures`)."""

    id: int
    submitted_at: datetime
    has_relationships: bool
    nothing_to_disclose: bool = False


@dataclass(frozen=True)
class ReviewFacts:
    disclosure_id: int
    decision: ReviewDecision | str


def coi_status(
    *, latest: DisclosureFacts | None, review: ReviewFacts | None, session_start: datetime
) -> CoiStatus:
    """SPEC §6. A review only counts for the disclosure it looked at; a newer one reopens it."""
    if latest is None or not is_active(latest.submitted_at, session_start):
        return CoiStatus.INCOMPLETE
    if review is not None:
        if review.disclosure_id != latest.id:
            return CoiStatus.DISCLOSURE_UPDATED
        return _DECISION_TO_STATUS[ReviewDecision(review.decision)]
    return CoiStatus.NEEDS_REVIEW if latest.has_relationships else CoiStatus.PENDING


def coi_hint(
    status: CoiStatus | str,
    *,
    person: str,
    submitted_at: datetime | None,
    session_start: datetime,
    office: str = "the office",
) -> str:
    """Hover text for the status icon: what is missing and who must act (`office`: the office's
    name, settings.OFFICE_NAME)."""
    status = CoiStatus(status)
    if status == CoiStatus.INCOMPLETE:
        if submitted_at is None:
            return (
                f"No disclosure on file for {person}. Faculty must complete the disclosure form; "
                "the coordinator follows up."
            )
        return (
            f"Disclosure of {person} was submitted {format_long_date(submitted_at)} and expired "
            "before this session (more than one year). Faculty must submit a new disclosure; "
            "the coordinator follows up."
        )
    if status == CoiStatus.NEEDS_REVIEW:
        return (
            f"The disclosure of {person} lists financial relationships that await review by "
            f"{office}. No action for the coordinator."
        )
    if status == CoiStatus.PENDING:
        return (
            f"{person} has nothing to disclose or the relationships were mitigated; awaiting "
            f"{office} approval. No action for the coordinator."
        )
    if status == CoiStatus.APPROVED:
        return f"{person}: approved. No action needed."
    if status == CoiStatus.APPROVED_WITH_EXCEPTIONS:
        return f"{person}: approved with an exception recorded by {office}. No action needed."
    if status == CoiStatus.REJECTED:
        return (
            f"{office} judged a relationship of {person} immitigable. The coordinator must remove "
            f"{person} and assign someone else."
        )
    return (
        f"{person} submitted a new disclosure after the review; {office} must review it. "
        "No action for the coordinator."
    )


def allowed_decisions(
    *, has_relationships: bool, has_owner_or_employee: bool
) -> tuple[ReviewDecision, ...]:
    """The decisions that make sense for a disclosure (SPEC §5-6), in the order offered.

    Nothing to disclose: there is nothing to judge relevant, mitigate or reject, so only
    "Approved". An owner or employee of an ineligible company cannot be mitigated: approved with
    one of ACCME's three exceptions, or rejected. Anyone else: mitigated, approved or rejected.
    """
    if not has_relationships:
        return (ReviewDecision.APPROVED,)
    if has_owner_or_employee:
        return (ReviewDecision.APPROVED_WITH_EXCEPTIONS, ReviewDecision.REJECTED)
    return (ReviewDecision.MITIGATED, ReviewDecision.APPROVED, ReviewDecision.REJECTED)


def _nothing_to_disclose_errors(
    decision: ReviewDecision, *, relevant: bool, mitigation_steps: Sequence[str], exception: str
) -> list[str]:
    errors = []
    if decision != ReviewDecision.APPROVED:
        errors.append(
            f"'{decision.label}' is not possible for a disclosure with nothing to disclose: "
            "there is no relationship to mitigate or reject. The only decision is 'Approved'."
        )
    if relevant:
        errors.append("Nothing to disclose: there is no relationship to judge relevant.")
    if mitigation_steps:
        errors.append("Nothing to disclose: there is nothing to mitigate; untick the steps.")
    if exception:
        errors.append("An exception applies only to an owner or employee of an ineligible company.")
    return errors


def validate_review(
    *,
    decision: ReviewDecision | str | None,
    has_relationships: bool,
    has_owner_or_employee: bool,
    exception: OwnerEmployeeException | str | None,
    relevant: bool,
    mitigation_steps: Sequence[str],
    note: str | None = None,
) -> list[str]:
    """Errors that make a reviewer's decision non-compliant with Standard 3 (empty = valid).

    Only `allowed_decisions` are accepted. Owners and employees cannot be mitigated: only one of
    the three exceptions lets them take part, and that is what "approved with exceptions" means,
    so the decision and the exception go together. Relevant relationships must be mitigated
    (steps recorded) before any approval; "mitigated" is for relevant relationships only.
    """
    errors: list[str] = []
    try:
        decision = ReviewDecision(decision or "")
    except ValueError:
        return ["Choose a decision."]
    if not has_relationships:
        return _nothing_to_disclose_errors(
            decision,
            relevant=relevant,
            mitigation_steps=mitigation_steps,
            exception=exception or "",
        )
    try:
        exception = OwnerEmployeeException(exception or "")
    except ValueError:
        errors.append(f"Unknown exception: {exception}.")
        exception = OwnerEmployeeException.NONE
    for step in mitigation_steps:
        if step not in MitigationStep.values:
            errors.append(f"Unknown mitigation step: {step}.")

    has_exception = exception != OwnerEmployeeException.NONE
    if has_owner_or_employee:
        if decision in _APPROVING:
            if not has_exception:
                errors.append(
                    "An owner or employee of an ineligible company cannot be approved or "
                    "mitigated unless one of ACCME's three exceptions applies: record the "
                    "exception or reject."
                )
            elif decision != ReviewDecision.APPROVED_WITH_EXCEPTIONS:
                errors.append(
                    "With an exception recorded, the decision must be 'Approved with exceptions'."
                )
    else:
        if has_exception:
            errors.append(
                "An exception applies only to an owner or employee of an ineligible company."
            )
        elif decision == ReviewDecision.APPROVED_WITH_EXCEPTIONS:
            errors.append(
                "'Approved with exceptions' applies only to an owner or employee of an "
                "ineligible company, with the exception recorded."
            )
    if decision == ReviewDecision.MITIGATED and not relevant and not has_owner_or_employee:
        errors.append(
            "'Mitigated' is for relevant relationships: tick Relevant and record the steps, or "
            "choose 'Approved' when the relationships are not relevant to this content."
        )
    if relevant and decision in _APPROVING and not mitigation_steps:
        errors.append(
            "Relevant relationships must be mitigated before approval: record at least one "
            "mitigation step."
        )
    if note is not None and not note.strip() and MitigationStep.OTHER in mitigation_steps:
        errors.append("Describe the 'other' mitigation step in the note.")
    if note is not None and not note.strip() and decision == ReviewDecision.REJECTED:
        errors.append(
            "Say why in the note: the coordinators read it when they replace the speaker."
        )
    return errors


def owner_employee_problems(
    *, is_owner: bool | None, is_employee: bool | None, natures: Sequence[str]
) -> list[str]:
    """The form's two yes/no questions must agree with the relationships listed (SPEC §5).

    None means the question was not asked (e.g. an import); it is then not checked.
    """
    errors: list[str] = []
    for answer, nature, word in (
        (is_owner, Nature.OWNER, "an owner of"),
        (is_employee, Nature.EMPLOYEE, "employed by"),
    ):
        if answer is None:
            continue
        listed = nature in natures
        if answer and not listed:
            errors.append(
                f"You answered that you are {word} an ineligible company: list that company "
                f"below with the relationship '{Nature(nature).label}'."
            )
        elif not answer and listed:
            errors.append(
                f"A relationship is listed as '{Nature(nature).label}' but you answered that "
                f"you are not {word} an ineligible company: correct one of them."
            )
    return errors


def disclosure_summary(
    *,
    submitted_at: datetime | None,
    nothing_to_disclose: bool,
    relationships: Sequence[tuple[str, str]],
) -> tuple[str, str]:
    """The two lines of SPEC §5. Dates are printed as given: convert to local time first.

    Listed relationships win over a contradictory "nothing to disclose" flag, and a disclosure
    with neither reads as nothing to disclose.
    """
    if submitted_at is None:
        return "Disclosure submitted: N/A", "Disclosure: NO DISCLOSURE ON FILE"
    day = format_long_date(submitted_at)
    submitted = f"Disclosure submitted: {day}"
    if relationships:
        listed = "; ".join(f"{company} ({nature})" for company, nature in relationships)
        return submitted, f"Disclosure: {listed}"
    return submitted, f"Disclosure: Nothing to disclose - {day}"


# --- What a flyer says about a person (SPEC §9) --------------------------------------------

DisclosureState = Literal["missing", "nothing", "not_relevant", "relationships"]


@dataclass(frozen=True)
class PersonDisclosure:
    """What the flyer says about one faculty member or planner.

    state: "missing" (no active disclosure for this session's date), "nothing" (nothing to
    disclose), "not_relevant" (relationships the reviewer judged not relevant to this content) or
    "relationships" (listed, relevant or not yet judged). companies: (company, natures) in order.
    """

    name: str
    roles: tuple[str, ...]
    state: DisclosureState
    companies: tuple[tuple[str, tuple[str, ...]], ...] = ()
    mitigated: bool = False
    person_id: int | None = field(default=None, compare=False)

    @property
    def role_label(self) -> str:
        return ", ".join(self.roles)

    @property
    def text(self) -> str:
        """ "Acme Pharma (Consultant, Speakers' bureau); Beta Devices (Advisory board)"."""
        if self.state == "missing":
            return "No active disclosure on file"
        if self.state == "nothing":
            return "Nothing to disclose"
        if self.state == "not_relevant":
            return "No relevant financial relationships with ineligible companies"
        return "; ".join(f"{company} ({', '.join(natures)})" for company, natures in self.companies)


def group_relationships(
    relationships: Sequence[tuple[str, str]],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(company, nature) pairs -> one entry per company (first spelling, case-insensitive), its
    natures in order without repeats. Company names only: the flyer never shows products."""
    grouped: dict[str, tuple[str, list[str]]] = {}
    for company, nature in relationships:
        company = " ".join(company.split())
        key = company.casefold()
        if key not in grouped:
            grouped[key] = (company, [])
        if nature not in grouped[key][1]:
            grouped[key][1].append(nature)
    return tuple((company, tuple(natures)) for company, natures in grouped.values())


# --- Planners (SPEC §5, §9) ------------------------------------------------------------------


@dataclass(frozen=True)
class PlannerFacts:
    """A planner of a series and the moment of their latest disclosure (None: none on file)."""

    person_id: int
    name: str
    submitted_at: datetime | None
    requested_at: datetime | None = None  # the last time their disclosure was asked for


def planners_without_active_disclosure(
    planners: Sequence[PlannerFacts], *, session_start: datetime
) -> list[PlannerFacts]:
    """The planners of a series whose disclosure is not active for a session starting then
    (none on file, or submitted a year or more before), in the order given.

    A session with any is not ready for approval: everyone in control of its content must have
    disclosed (SPEC §5, §9). The status engine stores their names on the session (the "planners
    with COI" flag); the dashboard, the flyer and the monitoring ask the same question here."""
    return [p for p in planners if not is_active(p.submitted_at, session_start)]
