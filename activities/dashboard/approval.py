"""The approval column (SPEC §3): what approval waits for now, in plain words, and why."""

from django.conf import settings
from django.utils import timezone

from activities.rules import ChildDecision, ChildStatus, decision_line, waiting_on
from disclosures.rules import CoiStatus, format_long_date

from .selectors_facts import ChildFacts


def approval_text(child: ChildFacts, faculty: list, planners: list = ()) -> tuple[str, list[str]]:
    """The approval column (SPEC §3): first what state approval is in now, in plain words, then
    why and what happened before (an earlier approval that no longer holds, a rejection's
    reason, who is missing and what to do)."""
    office = settings.OFFICE_NAME
    detail: list[str] = []
    status = child.status
    decided_on = format_long_date(timezone.localtime(child.decided_at)) if child.decided_at else ""
    history = decision_line(
        status=status,
        decision=child.decision,
        decided_by=child.decided_by_name,
        decided_on=decided_on,
    )
    lacking = [
        p.name + (f" ({p.requested_line.lower()})" if p.requested_line else "") for p in planners
    ]
    if status == ChildStatus.APPROVED:
        if lacking:
            detail.append(
                "Since then a planner's disclosure lapsed: " + "; ".join(lacking) + ". Request it."
            )
        return history, detail
    if child.decision == ChildDecision.REJECTED:
        detail.append(f"Reason: {child.last_review_reason or 'none was recorded'}")
        detail.append(
            f"Next: make the change the reason asks for, then tell {office} in a comment."
        )
        return history, detail
    if status == ChildStatus.REJECTED:
        rejected = [f for f in faculty if f.coi_status == CoiStatus.REJECTED]
        names = "; ".join(f.name for f in rejected) or "a faculty member"
        waits = f"Rejected: {office} judged a relationship of {names} immitigable"
        for f in rejected:
            detail.append(f"Reason ({f.name}): {f.review_note or 'none was recorded'}")
        detail.append(f"Next: remove {names} and assign someone else.")
    else:
        waits = waiting_on(
            status,
            office=office,
            name_needs_update=child.name_needs_update,
            planner_missing=bool(lacking),
        )
        if status == ChildStatus.INCOMPLETE:
            if child.name_needs_update:
                detail.append("Update the name to say the topic.")
            if not faculty:
                detail.append("Assign at least one faculty member.")
            missing = [f.name for f in faculty if f.coi_status == CoiStatus.INCOMPLETE]
            if missing:
                detail.append("Disclosure missing or expired: " + "; ".join(missing) + ".")
        elif status == ChildStatus.IN_REVIEW:
            names = [
                f.name
                for f in faculty
                if f.coi_status in (CoiStatus.NEEDS_REVIEW, CoiStatus.DISCLOSURE_UPDATED)
            ]
            if names:
                detail.append("To review: " + "; ".join(names) + ".")
            if child.name_needs_update:
                detail.append("The name must also be updated before approval.")
        elif child.name_needs_update:
            detail.append(f"Update the name: {office} cannot approve it as it is.")
    if lacking:
        detail.append("Planner without an active disclosure: " + "; ".join(lacking) + ".")
    if history:  # approved before; something changed since
        changed = [
            f"{f.name} ({f.coi_label})"
            for f in faculty
            if f.coi_status not in (CoiStatus.APPROVED, CoiStatus.APPROVED_WITH_EXCEPTIONS)
        ]
        since = "; ".join(changed) if changed else "the faculty changed"
        detail.append(f"{history}; it needs approval again. Changed since: {since}.")
    return waits, detail
