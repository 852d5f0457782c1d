"""Attendance and credit reports for coordinators, owners and administrators (SPEC §11).

Counting is done by the database (one aggregate query per figure set, whatever the number of
claims). Renderers return (filename, content_type, bytes), as every renderer in the project does.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils.text import slugify

from activities.models import ChildActivity, ParentActivity
from activities.rules import ChildStatus
from faculty.models import Profession

from .models import COUNTED, Claim
from .rules import CLAIM_STATE_LABELS, session_credit, state_of

CSV = "text/csv; charset=utf-8"
PHYSICIAN = Q(learner__profession=Profession.PHYSICIAN)
# The credit gate's SQL mirror (Claim.objects.awarded()): awarded, not revoked, not rejected.
AWARDED = Q(awarded_at__isnull=False, revoked_at__isnull=True) & ~Q(
    child__status=ChildStatus.REJECTED
)
NOT_AWARDED = Q(awarded_at__isnull=True, revoked_at__isnull=True) & ~Q(
    child__status=ChildStatus.REJECTED
)

COUNTED_CLAIMS = Q(claims__voided_at__isnull=True)  # through ChildActivity.claims


def csv_cell(value) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; names come from learners."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def csv_bytes(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    # A byte-order mark so Excel reads UTF-8 names correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _local(moment, zone, fmt: str) -> str:
    return moment.astimezone(zone).strftime(fmt)


# --- attendance per child --------------------------------------------------------------------

ATTENDANCE_HEADER = [
    "Child ID",
    "Session",
    "Date",
    "Last name",
    "First name",
    "Credentials",
    "Email",
    "Profession",
    "Claimed at",
    "Channel",
    "Credit hours",
    "State",
]


def attendance_claims(child: ChildActivity):
    return (
        Claim.objects.filter(COUNTED, child=child)
        .select_related("learner")
        .order_by("learner__last_name_lower", "learner__first_name", "id")
    )


def attendance_csv(child: ChildActivity) -> tuple[str, str, bytes]:
    zone = child.zone
    professions = dict(Profession.choices)
    rows = (
        [
            child.pk,
            child.name,
            _local(child.start, zone, "%Y-%m-%d"),
            claim.learner.last_name,
            claim.learner.first_name,
            claim.learner.credentials,
            claim.learner.email,
            professions.get(claim.learner.profession, "Not given"),
            _local(claim.claimed_at, zone, "%Y-%m-%d %H:%M %Z"),
            claim.get_channel_display(),
            claim.credit_hours,
            CLAIM_STATE_LABELS[state_of(claim, child.status, child.is_active)],
        ]
        for claim in attendance_claims(child)
    )
    name = f"attendance-{child.pk}-{child.local_start:%Y-%m-%d}.csv"
    return name, CSV, csv_bytes(ATTENDANCE_HEADER, rows)


# --- per-series summary ------------------------------------------------------------------------


def series_sessions(parent: ParentActivity):
    """Every active session of the series with its claim counts, in one query."""
    return (
        ChildActivity.objects.filter(parent=parent, is_active=True)
        .annotate(
            n_claims=Count("claims", filter=COUNTED_CLAIMS),
            n_physicians=Count(
                "claims",
                filter=COUNTED_CLAIMS & Q(claims__learner__profession=Profession.PHYSICIAN),
            ),
            n_awarded=Count(
                "claims",
                filter=COUNTED_CLAIMS
                & Q(claims__awarded_at__isnull=False, claims__revoked_at__isnull=True),
            ),
            n_revoked=Count("claims", filter=COUNTED_CLAIMS & Q(claims__revoked_at__isnull=False)),
        )
        .order_by("start", "id")
    )


SUMMARY_HEADER = [
    "Child ID",
    "Date",
    "Start",
    "Session",
    "Status",
    "Credit per learner",
    "Claims",
    "Physicians",
    "Other learners",
    "Credit awarded",
    "Credit pending approval",
    "Credit waiting for the evaluation",
    "No credit (not approved)",
    "Revoked",
]


def summary_rows(parent: ParentActivity):
    for child in series_sessions(parent):
        rejected = child.status == ChildStatus.REJECTED
        awarded = 0 if rejected else child.n_awarded
        # Not credit yet (the credit gate): on an approved session only the evaluation is missing.
        waiting = 0 if rejected else child.n_claims - child.n_awarded - child.n_revoked
        approved = child.status == ChildStatus.APPROVED
        yield [
            child.pk,
            _local(child.start, child.zone, "%Y-%m-%d"),
            _local(child.start, child.zone, "%H:%M"),
            child.name,
            child.get_status_display(),
            session_credit(start=child.start, end=child.end, maximum=parent.credit_hours),
            child.n_claims,
            child.n_physicians,
            child.n_claims - child.n_physicians,
            awarded,
            0 if approved else waiting,
            waiting if approved else 0,
            child.n_claims - child.n_revoked if rejected else 0,
            child.n_revoked,
        ]


def summary_csv(parent: ParentActivity) -> tuple[str, str, bytes]:
    name = f"series-summary-{parent.pk}-{slugify(parent.name)[:40]}-{parent.year}.csv"
    return name, CSV, csv_bytes(SUMMARY_HEADER, summary_rows(parent))


# --- the yearly PARS-shaped report ----------------------------------------------------------


@dataclass(frozen=True)
class ParsActivity:
    """One RSS activity for ACCME's PARS: the series for its year. Learners are counted once per
    session attended (20 physicians at 52 sessions = 1,040); only credit actually awarded counts."""

    parent: ParentActivity
    sessions: int
    first_session: date | None
    last_session: date | None
    hours_of_instruction: Decimal
    physicians: int
    other_learners: int
    pending: int

    @property
    def learners(self) -> int:
        return self.physicians + self.other_learners


def pars_activity(parent: ParentActivity) -> ParsActivity:
    approved = list(
        ChildActivity.objects.filter(
            parent=parent, is_active=True, status=ChildStatus.APPROVED
        ).values_list("start", "end", "time_zone")
    )
    counts = Claim.objects.filter(COUNTED, child__parent=parent, child__is_active=True).aggregate(
        physicians=Count("id", filter=AWARDED & PHYSICIAN),
        others=Count("id", filter=AWARDED & ~PHYSICIAN),
        pending=Count("id", filter=NOT_AWARDED),
    )
    days = sorted(start.astimezone(ZoneInfo(tz)).date() for start, _end, tz in approved)
    hours = sum(
        (session_credit(start=s, end=e, maximum=parent.credit_hours) for s, e, _tz in approved),
        Decimal("0.00"),
    )
    return ParsActivity(
        parent=parent,
        sessions=len(approved),
        first_session=days[0] if days else None,
        last_session=days[-1] if days else None,
        hours_of_instruction=hours,
        physicians=counts["physicians"],
        other_learners=counts["others"],
        pending=counts["pending"],
    )


PARS_HEADER = [
    "Activity ID",
    "Activity Title",
    "Activity Type",
    "Year",
    "Start Date",
    "End Date",
    "Sessions",
    "Hours of Instruction",
    "Designated for AMA PRA Category 1 Credit",
    "Credit Type",
    "Maximum Credits per Session",
    "Number of Physician Learners",
    "Number of Other Learners",
    "Department",
    "Accredited Provider",
]


def pars_csv(parent: ParentActivity) -> tuple[str, str, bytes]:
    activity = pars_activity(parent)
    row = [
        parent.pk,
        parent.name,
        "Regularly Scheduled Series (RSS)",
        parent.year,
        activity.first_session.isoformat() if activity.first_session else "",
        activity.last_session.isoformat() if activity.last_session else "",
        activity.sessions,
        activity.hours_of_instruction,
        "Yes" if "AMA PRA" in parent.credit_type else "No",
        parent.credit_type,
        parent.credit_hours,
        activity.physicians,
        activity.other_learners,
        parent.department.name,
        settings.PROVIDER_NAME,
    ]
    name = f"pars-{parent.pk}-{parent.year}.csv"
    return name, CSV, csv_bytes(PARS_HEADER, [row])
