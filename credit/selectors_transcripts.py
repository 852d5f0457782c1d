"""A learner's transcript: claims per year with totals and the state of each (SPEC §11)."""

from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)

from activities.models import ChildActivity
from activities.rules import ChildStatus
from rss_dashboard.compiled import ReadByIds

from .models import COUNTED, Claim, LateClaimRequest, LateClaimState
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
        return evaluation_due(
            self.state,
            required=self.claim.evaluation_required,
            evaluated=self.claim.evaluated_at is not None,
        )


def evaluation_due(state: str, *, required: bool, evaluated: bool) -> bool:
    return state in ("pending", "evaluation") and required and not evaluated


@dataclass
class TranscriptYear:
    year: int
    rows: list[TranscriptRow] = field(default_factory=list)
    rows_html: str = ""  # the page's rendering of the rows (credit/transcript_html.py)
    # The year's totals when `rows` are only its newest sessions (the transcript page).
    summary: "YearSummary | None" = None

    def _total(self, state: str) -> Decimal:
        if self.summary is not None:
            return getattr(self.summary, _TOTALS[state])
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
    def evaluations_due_count(self) -> int:
        if self.summary is not None:
            return self.summary.evaluations_due
        return len(self.evaluations_due)

    @property
    def sessions(self) -> int:
        return self.summary.sessions if self.summary is not None else len(self.rows)

    @property
    def not_shown(self) -> int:
        return self.sessions - len(self.rows)


def transcript(learner, year: int | None = None, newest: int | None = None) -> list[TranscriptYear]:
    """Newest year first; one query whatever the number of claims (one year's claims only,
    through the (learner, year) index). Every claim is listed: credit awarded on a session
    deactivated afterwards stands (only the office revokes credit, and the transcript then says
    so with the reason); a claim on a session deactivated before approval reads "no credit"."""
    claims = (
        Claim.objects.filter(COUNTED, learner=learner)
        .select_related("child", "child__parent")
        .order_by("-child__start", "-id")
    )
    if year is not None:
        claims = claims.filter(year=year)
    if newest is not None:
        claims = claims[:newest]
    return _by_year(claims)


def _by_year(claims) -> list[TranscriptYear]:
    years: dict[int, TranscriptYear] = {}
    for claim in claims:
        bucket = years.setdefault(claim.year, TranscriptYear(claim.year))
        bucket.rows.append(TranscriptRow(claim, state_of(claim)))
    return sorted(years.values(), key=lambda y: -y.year)


# The page's rows read as values, not models (issue 21): what the page shows of a claim, its
# session and series (credit/transcript_html.py, TranscriptRow), with the same names.
@dataclass(frozen=True, slots=True)
class SeriesLine:
    name: str


@dataclass(frozen=True, slots=True)
class SessionLine:
    pk: int
    name: str
    start: datetime
    time_zone: str
    status: str
    is_active: bool
    parent: SeriesLine

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(ZoneInfo(self.time_zone))


@dataclass(frozen=True, slots=True)
class ClaimLine:
    year: int
    credit_hours: Decimal
    awarded_at: datetime | None
    evaluation_required: bool
    evaluated_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str
    child: SessionLine


_SESSION_COLUMNS = (
    *(f"child__{f}" for f in ("id", "name", "start", "time_zone", "status", "is_active")),
    "child__parent__name",
)
_COLUMNS = (
    *(f.name for f in dataclass_fields(ClaimLine) if f.name != "child"),
    *_SESSION_COLUMNS,
)


def transcript_page(learner, year: int, newest: int | None = None) -> list[TranscriptYear]:
    """`transcript` of one year for the page: the same rows, read as values (a third of the
    cost of building three models a row) by a statement compiled once."""
    claims = _read_page_rows([learner.pk], year=year, newest=newest)
    return _by_year(_line(*row) for row in claims)


def _page_rows(learner_ids: list[int], *, year: int, newest: int | None):
    claims = (
        Claim.objects.filter(COUNTED, learner_id__in=learner_ids, year=year)
        .order_by("-child__start", "-id")
        .values_list(*_COLUMNS)
    )
    return claims[:newest]


_read_page_rows = ReadByIds(Claim, _page_rows)


def _line(year, hours, awarded, required, evaluated, revoked, reason, *session) -> ClaimLine:
    child = _session(*session)
    return ClaimLine(year, hours, awarded, required, evaluated, revoked, reason, child)


def _session(pk, name, start, zone, status, active, series) -> SessionLine:
    """A session and its series from the `_SESSION_COLUMNS` of a row."""
    return SessionLine(pk, name, start, zone, status, active, SeriesLine(series))


# What the rule (`claim_state`) needs of a claim's session, read only where it matters: a claim
# awarded or revoked depends on its session only through "rejected" (the few rejected sessions
# are read once, as a set), so most claims (every earlier year's) never visit their session's
# row; a claim still open reads its session's status and active flag (issue 21: 954 lookups of
# a session for the five-year demo learner became none). tests/credit/test_transcript_year.py
# holds this to `claim_state` on every combination of its inputs.
_SETTLED = Q(awarded_at__isnull=False) | Q(revoked_at__isnull=False)
_SESSION = ChildActivity.objects.filter(pk=OuterRef("child_id")).order_by()
_SESSION_STATUS = Case(
    When(
        _SETTLED
        & Q(child_id__in=ChildActivity.objects.filter(status=ChildStatus.REJECTED).values("pk")),
        then=Value(ChildStatus.REJECTED.value),
    ),
    When(_SETTLED, then=Value(ChildStatus.APPROVED.value)),
    default=Subquery(_SESSION.values("status")[:1]),
    output_field=CharField(),
)
_SESSION_ACTIVE = Case(
    When(_SETTLED, then=Value(True)),
    default=Subquery(_SESSION.values("is_active")[:1]),
    output_field=BooleanField(),
)


@dataclass
class YearSummary:
    """A year's totals without its rows: the transcript page lists earlier years this way."""

    year: int
    awarded: Decimal = Decimal("0.00")
    pending: Decimal = Decimal("0.00")
    waiting_for_evaluation: Decimal = Decimal("0.00")
    sessions: int = 0
    evaluations_due: int = 0  # claims whose credit waits for the learner's evaluation


_TOTALS = {"awarded": "awarded", "pending": "pending", "evaluation": "waiting_for_evaluation"}


def transcript_years(learner) -> list[YearSummary]:
    """Every year's totals, newest first: a learner with years of claims (issue 21: 954 over
    five years for the demo's busiest) costs the page one year's rows, not all of them. One
    query grouped by what decides a claim's state, so the rule (`claim_state`) runs once a group
    and PostgreSQL sums the hours, reading the (learner, year) index alone."""
    years: dict[int, YearSummary] = {}
    groups = _read_year_groups([learner.pk])
    for year, status, active, required, awarded, evaluated, revoked, hours, n in groups:
        summary = years.setdefault(year, YearSummary(year))
        summary.sessions += n
        state = claim_state(
            awarded_at=_AWARDED if awarded else None,
            child_status=status,
            child_active=active,
            evaluation_required=required,
            evaluated=evaluated,
            revoked=revoked,
        )
        if state in _TOTALS:
            name = _TOTALS[state]
            setattr(summary, name, getattr(summary, name) + hours)
        if evaluation_due(state, required=required, evaluated=evaluated):
            summary.evaluations_due += n
    return sorted(years.values(), key=lambda y: -y.year)


def _year_groups(learner_ids: list[int]):
    return (
        Claim.objects.filter(COUNTED, learner_id__in=learner_ids)
        .annotate(
            awarded=ExpressionWrapper(Q(awarded_at__isnull=False), output_field=BooleanField()),
            evaluated=ExpressionWrapper(Q(evaluated_at__isnull=False), output_field=BooleanField()),
            revoked=ExpressionWrapper(Q(revoked_at__isnull=False), output_field=BooleanField()),
            session_status=_SESSION_STATUS,
            session_active=_SESSION_ACTIVE,
        )
        .values_list(
            "year",
            "session_status",
            "session_active",
            "evaluation_required",
            "awarded",
            "evaluated",
            "revoked",
        )
        .annotate(hours=Sum("credit_hours"), sessions=Count("*"))  # "*": the index has no id
        .order_by()
    )


_read_year_groups = ReadByIds(Claim, _year_groups)


_AWARDED = datetime(2000, 1, 1, tzinfo=UTC)  # the rule asks only whether it was awarded


@dataclass(frozen=True, slots=True)
class LateRequestLine:
    """A learner's late claim request as the transcript page shows it."""

    state: str
    decision_note: str
    child: SessionLine

    def get_state_display(self) -> str:
        return str(LateClaimState(self.state).label)


def late_requests(learner) -> list[LateRequestLine]:
    """The newest 50, read as values by a statement compiled once (most learners have none, and
    building the three models' select cost a millisecond of every transcript page)."""
    return [
        LateRequestLine(state, note, _session(*session))
        for state, note, *session in _read_late_rows([learner.pk])
    ]


def _late_rows(learner_ids: list[int]):
    return (
        LateClaimRequest.objects.filter(learner_id__in=learner_ids)
        .order_by("-requested_at", "-id")
        .values_list("state", "decision_note", *_SESSION_COLUMNS)[:50]
    )


_read_late_rows = ReadByIds(LateClaimRequest, _late_rows)


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
