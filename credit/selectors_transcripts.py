"""A learner's transcript: claims per year with totals and the state of each (SPEC §11)."""

from dataclasses import dataclass, field
from decimal import Decimal

from .models import COUNTED, Claim, LateClaimRequest
from .rules import CLAIM_STATE_LABELS, claim_state, state_of
from .selectors_reports import CSV, csv_bytes


@dataclass
class TranscriptRow:
    claim: Claim
    state: str

    @property
    def child(self):
        return self.claim.child

    @property
    def state_label(self) -> str:
        return CLAIM_STATE_LABELS[self.state]

    @property
    def icon(self):
        """An inline SVG (no emoji: phones without the glyph showed an empty box)."""
        from activities.dashboard.look import ICONS

        return ICONS[
            {"awarded": "check", "pending": "clock", "evaluation": "clock"}.get(self.state, "cross")
        ]

    @property
    def note(self) -> str:
        if self.state == "revoked":
            return f"Reason: {self.claim.revoked_reason}" if self.claim.revoked_reason else ""
        if self.state == "awarded" and not self.child.is_active:
            return "The session was deactivated afterwards; your credit stands."
        return ""

    @property
    def evaluation_due(self) -> bool:
        """The learner's evaluation is still waited for (before or after approval)."""
        return self.state in ("pending", "evaluation") and (
            self.claim.evaluation_required and self.claim.evaluated_at is None
        )


@dataclass
class TranscriptYear:
    year: int
    rows: list[TranscriptRow] = field(default_factory=list)

    def _total(self, state: str) -> Decimal:
        return sum((r.claim.credit_hours for r in self.rows if r.state == state), Decimal("0.00"))

    @property
    def awarded(self) -> Decimal:
        return self._total("awarded")

    @property
    def pending(self) -> Decimal:
        return self._total("pending")

    @property
    def waiting_for_evaluation(self) -> Decimal:
        return self._total("evaluation")

    @property
    def evaluations_due(self) -> list["TranscriptRow"]:
        return [r for r in self.rows if r.evaluation_due]

    @property
    def sessions(self) -> int:
        return len(self.rows)


def transcript(learner, year: int | None = None) -> list[TranscriptYear]:
    """Newest year first; one query whatever the number of claims. Every claim is listed: credit
    awarded on a session deactivated afterwards stands (only the office revokes credit, and the
    transcript then says so with the reason); a claim on a session deactivated before approval
    reads "no credit"."""
    claims = (
        Claim.objects.filter(COUNTED, learner=learner)
        .select_related("child", "child__parent")
        .order_by("-child__start", "-id")
    )
    if year is not None:
        claims = claims.filter(child__parent__year=year)
    years: dict[int, TranscriptYear] = {}
    for claim in claims:
        bucket = years.setdefault(claim.child.parent.year, TranscriptYear(claim.child.parent.year))
        bucket.rows.append(TranscriptRow(claim, state_of(claim)))
    return sorted(years.values(), key=lambda y: -y.year)


@dataclass
class YearSummary:
    """A year's totals without its rows: the transcript page lists earlier years this way."""

    year: int
    awarded: Decimal = Decimal("0.00")
    pending: Decimal = Decimal("0.00")
    waiting_for_evaluation: Decimal = Decimal("0.00")
    sessions: int = 0


_TOTALS = {"awarded": "awarded", "pending": "pending", "evaluation": "waiting_for_evaluation"}


def transcript_years(learner) -> list[YearSummary]:
    """Every year's totals, newest first, from one query of plain values: a learner with years of
    claims (issue 21: 700 over five years) costs the page one year's rows, not all of them."""
    years: dict[int, YearSummary] = {}
    rows = Claim.objects.filter(COUNTED, learner=learner).values_list(
        "child__parent__year",
        "credit_hours",
        "awarded_at",
        "child__status",
        "child__is_active",
        "evaluation_required",
        "evaluated_at",
        "revoked_at",
    )
    for year, hours, awarded_at, status, active, required, evaluated_at, revoked_at in rows:
        summary = years.setdefault(year, YearSummary(year))
        summary.sessions += 1
        state = claim_state(
            awarded_at=awarded_at,
            child_status=status,
            child_active=active,
            evaluation_required=required,
            evaluated=evaluated_at is not None,
            revoked=revoked_at is not None,
        )
        if state in _TOTALS:
            name = _TOTALS[state]
            setattr(summary, name, getattr(summary, name) + hours)
    return sorted(years.values(), key=lambda y: -y.year)


def late_requests(learner):
    return (
        LateClaimRequest.objects.filter(learner=learner)
        .select_related("child", "child__parent")
        .order_by("-requested_at")[:50]
    )


HEADER = [
    "Year",
    "Date",
    "Child ID",
    "Session",
    "Series",
    "Credit type",
    "Credit hours",
    "State",
    "Claimed at",
    "Channel",
]


def transcript_csv(learner, years: list[TranscriptYear]) -> tuple[str, str, bytes]:
    rows = []
    for y in years:
        for r in y.rows:
            child, zone = r.child, r.child.zone
            rows.append(
                [
                    y.year,
                    child.start.astimezone(zone).strftime("%Y-%m-%d"),
                    child.pk,
                    child.name,
                    child.parent.name,
                    child.parent.credit_type,
                    r.claim.credit_hours,
                    r.state_label,
                    r.claim.claimed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z"),
                    r.claim.get_channel_display(),
                ]
            )
        rows.append([y.year, "", "", f"Total awarded {y.year}", "", "", y.awarded, "", "", ""])
        if y.pending:
            rows.append(
                [y.year, "", "", f"Pending approval {y.year}", "", "", y.pending, "", "", ""]
            )
        if y.waiting_for_evaluation:
            label = f"Waiting for your evaluation {y.year}"
            rows.append([y.year, "", "", label, "", "", y.waiting_for_evaluation, "", "", ""])
    suffix = f"-{years[0].year}" if len(years) == 1 else ""
    name = f"transcript-{learner.pk}{suffix}.csv"
    return name, CSV, csv_bytes(HEADER, rows)
