"""What the dashboard shows for each child, computed in Python once per row so the templates only
print values (no queries, no logic in template tags). Inputs come from activities/dashboard.py."""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from disclosures.rules import (
    CoiStatus,
    Nature,
    PlannerFacts,
    coi_hint,
    disclosure_summary,
    format_long_date,
    planners_without_active_disclosure,
)
from faculty.models import Profession
from faculty.people import sort_name

from .business_days import BusinessCalendar
from .models import ChildActivity
from .rules import (
    ChildDecision,
    ChildStatus,
    decision_line,
    name_problems,
    three_by_five,
    waiting_on,
)

# --- icons: shape and text carry the meaning; colour only repeats it ---------------------------

_SVG = '<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">{}</svg>'
ICONS: dict[str, SafeString] = {
    name: mark_safe(_SVG.format(body))
    for name, body in {
        "check": '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
        '<path d="M4.3 8.3l2.4 2.4 5-5.2" stroke="#fff" stroke-width="1.9" fill="none"/>',
        "warning": '<path d="M8 .8l7.6 14H.4z" fill="currentColor"/>'
        '<path d="M8 5.2v5" stroke="#000" stroke-width="1.7"/><circle cx="8" cy="12.4" r="1" fill="#000"/>',
        "clock": '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
        '<path d="M8 3.5V8l3 2" stroke="#fff" stroke-width="1.7" fill="none"/>',
        "cross": '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
        '<path d="M5 5l6 6M11 5l-6 6" stroke="#fff" stroke-width="1.9"/>',
        "flag": '<path d="M3 1v14" stroke="currentColor" stroke-width="1.6"/>'
        '<path d="M3.8 1.5h9l-2.2 3.2 2.2 3.3h-9z" fill="currentColor"/>',
        "pause": '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
        '<path d="M6 4.5v7M10 4.5v7" stroke="#fff" stroke-width="1.8"/>',
    }.items()
}

STATUS_LOOK: dict[str, tuple[str, str]] = {
    ChildStatus.APPROVED: ("check", "st-approved"),
    ChildStatus.PENDING: ("clock", "st-pending"),
    ChildStatus.IN_REVIEW: ("clock", "st-review"),
    ChildStatus.INCOMPLETE: ("warning", "st-incomplete"),
    ChildStatus.REJECTED: ("cross", "st-rejected"),
}
COI_LOOK: dict[str, tuple[str, str]] = {
    CoiStatus.APPROVED: ("check", "st-approved"),
    CoiStatus.APPROVED_WITH_EXCEPTIONS: ("check", "st-approved"),
    CoiStatus.PENDING: ("clock", "st-pending"),
    CoiStatus.NEEDS_REVIEW: ("clock", "st-review"),
    CoiStatus.DISCLOSURE_UPDATED: ("clock", "st-review"),
    CoiStatus.INCOMPLETE: ("warning", "st-incomplete"),
    CoiStatus.REJECTED: ("cross", "st-rejected"),
}
PROFESSION_LABELS = dict(Profession.choices)
STATUS_LABELS = dict(ChildStatus.choices)
COI_LABELS = dict(CoiStatus.choices)
NATURE_LABELS = dict(Nature.choices)


# --- plain text, locale-independent and cheap (Django's dateformat is slow per row) --------------

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def clock(dt: datetime) -> str:
    """12:00 PM, 7:30 AM."""
    return f"{dt.hour % 12 or 12}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"


def day_text(d: date) -> str:
    """Thu, Jan 8, 2026."""
    return f"{_WEEKDAYS[d.weekday()]}, {_MONTHS[d.month - 1]} {d.day}, {d.year}"


def when_text(child: "ChildActivity | ChildFacts") -> str:
    start, end = child.local_start, child.local_end
    return f"{day_text(start)}, {clock(start)} to {clock(end)}"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# --- URLs without a reverse() per link per row ---------------------------------------------------

_SENTINELS = (987654301, 987654302)


@lru_cache(maxsize=256)
def _url_pattern(name: str, arity: int, prefix: str) -> str | None:
    try:
        url = reverse(name, args=_SENTINELS[:arity])
    except NoReverseMatch:
        return None  # a page of another area that is not installed: no link
    url = url.replace("{", "{{").replace("}", "}}")
    for i, sentinel in enumerate(_SENTINELS[:arity]):
        url = url.replace(str(sentinel), "{" + str(i) + "}")
    return url


def fast_url(name: str, *args: int) -> str | None:
    pattern = _url_pattern(name, len(args), get_script_prefix())
    return pattern.format(*args) if pattern is not None else None


class Links:
    """URL patterns resolved once per request; formatting one is a string operation."""

    def __init__(self) -> None:
        self.prefix = get_script_prefix()

    def __call__(self, name: str, *args: int) -> str | None:
        pattern = _url_pattern(name, len(args), self.prefix)
        return pattern.format(*args) if pattern is not None else None


# --- rows ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Flag:
    kind: str
    text: str
    details: list[str] = field(default_factory=list)
    tone: str = "warn"  # "warn" or "ok"


@dataclass(slots=True)
class ChildFacts:
    """A child as the dashboard loads it (`ChildActivityQuerySet.dashboard_facts`): plain values."""

    id: int
    parent_id: int
    name: str
    start: datetime
    end: datetime
    time_zone: str
    location: str
    professions: list[str]
    is_active: bool
    version: int
    status: str
    name_needs_update: bool
    three_by_five_due: date | None
    requirements_met_on: date | None
    planners_without_disclosure: str
    decision: str
    decided_by_id: int | None
    decided_at: datetime | None
    series: str
    department: str
    decided_by_first: str | None
    decided_by_last: str | None
    comments_count: int | None
    last_comment_body: str | None
    last_comment_at: datetime | None
    last_comment_from_office: bool | None
    last_review_reason: str | None

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(ZoneInfo(self.time_zone))

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(ZoneInfo(self.time_zone))

    @property
    def decided_by_name(self) -> str:
        if self.decided_by_id is None:
            return settings.OFFICE_NAME
        return sort_name(self.decided_by_last or "", self.decided_by_first or "")


@dataclass(slots=True)
class FacultyFacts:
    """An assignment as the dashboard loads it: plain values, the person's latest disclosure."""

    id: int
    child_id: int
    person_id: int
    coi_status: str
    presentation: str
    presentation_name: str
    email: str
    first_name: str
    last_name: str
    disclosure_id: int | None
    disclosure_at: datetime | None
    disclosure_nothing: bool | None
    requested_at: datetime | None = None  # the last request for their disclosure
    review_note: str | None = None  # the note of the office's latest COI decision

    @property
    def name(self) -> str:
        return sort_name(self.last_name, self.first_name)


@dataclass(slots=True)
class FacultyLine:
    assignment_id: int
    person_id: int
    name: str
    email: str
    coi_status: str
    coi_label: str
    coi_icon: SafeString
    coi_class: str
    coi_hint: str
    submitted_line: str
    disclosure_line: str
    has_presentation: bool
    presentation_label: str
    upload_label: str
    person_url: str | None
    email_url: str | None
    remove_url: str | None
    upload_url: str | None
    download_url: str | None
    delete_url: str | None
    remove_confirm: str
    delete_confirm: str
    requested_line: str = ""  # "Disclosure requested Jan 5, 2026" while it is missing
    request_url: str | None = None  # resend the disclosure request (a fresh personal link)
    review_note: str = ""


@dataclass(slots=True)
class PlannerLine:
    """A planner of the series without an active disclosure for this session."""

    person_id: int
    name: str
    requested_line: str
    request_url: str | None


@dataclass(slots=True)
class ChildRow:
    """Every value a dashboard row prints, as text: the row template has no filters or logic
    beyond if/for (it renders in Jinja2 and in Django's engine alike)."""

    id: int
    version: int
    can_edit: bool
    is_active: bool
    status: str
    status_label: str
    status_icon: SafeString
    status_class: str
    flags: list[Flag]
    series: str
    parent_id: int
    when: str
    location: str
    department: str
    name: str
    faculty: list[FacultyLine]
    faculty_count: int
    specialties: str
    professions: str
    owners: str
    coordinators: str
    comments_count: int
    last_comment: str
    last_comment_meta: str
    approval: str
    approval_detail: list[str]
    planners: list[PlannerLine]
    urls: dict[str, str | None]
    icons = ICONS  # a class attribute, not a field: templates print row.icons.warning


class RowBuilder:
    """Builds rows for one request: today, the business calendar, the URL patterns and the
    series' people and specialties (loaded as plain values for all rows at once)."""

    def __init__(
        self,
        *,
        today: date,
        calendar: BusinessCalendar,
        editable_ids: set[int] | None,
        faculty: dict[int, list[FacultyFacts]],
        relationships: dict[int, list[tuple[str, str]]],
        people: dict,
        specialties: dict[int, list[str]],
        report_ids: set[int] | None = None,
        office: bool = False,
    ) -> None:
        self.today = today
        # Series whose attendance, reports and late claims the user may open (None: all).
        self.report_ids = report_ids
        self.calendar = calendar
        self.editable_ids = editable_ids
        self.faculty = faculty
        self.relationships = relationships
        self.people = people  # parent id -> activities.dashboard.SeriesPeople
        self.specialties = specialties
        self.office = office  # reviewers and administrators: may request disclosures
        self.links = Links()
        self.zone = timezone.get_default_timezone()

    def may_edit(self, parent_id: int) -> bool:
        return self.editable_ids is None or parent_id in self.editable_ids

    def sees_reports(self, parent_id: int) -> bool:
        return self.report_ids is None or parent_id in self.report_ids

    def may_request(self, child: ChildFacts) -> bool:
        """Coordinators of the series and the office ask for missing disclosures."""
        return child.is_active and (self.office or self.may_edit(child.parent_id))

    def planner_lines(self, child: ChildFacts) -> list[PlannerLine]:
        people = self.people.get(child.parent_id)
        planners: list[PlannerFacts] = people.planners if people is not None else []
        asks = self.may_request(child)
        return [
            PlannerLine(
                person_id=p.person_id,
                name=p.name,
                requested_line=requested_line(p.requested_at),
                request_url=self.links("disclosure_request", p.person_id) if asks else None,
            )
            for p in planners_without_active_disclosure(planners, session_start=child.start)
        ]

    def faculty_line(self, child: ChildFacts, a: FacultyFacts, can_edit: bool) -> FacultyLine:
        submitted_at = a.disclosure_at.astimezone(self.zone) if a.disclosure_at else None
        submitted_line, disclosure_line = disclosure_summary(
            submitted_at=submitted_at,
            nothing_to_disclose=bool(a.disclosure_nothing),
            relationships=[
                (company, NATURE_LABELS.get(nature, nature))
                for company, nature in self.relationships.get(a.disclosure_id, ())
            ],
        )
        icon, css = COI_LOOK.get(a.coi_status, ("warning", "st-incomplete"))
        name = a.name
        has_file = bool(a.presentation)
        missing = a.coi_status == CoiStatus.INCOMPLETE
        link = self.links
        return FacultyLine(
            assignment_id=a.id,
            person_id=a.person_id,
            name=name,
            email=a.email,
            coi_status=a.coi_status,
            coi_label=COI_LABELS.get(a.coi_status, a.coi_status),
            coi_icon=ICONS[icon],
            coi_class=css,
            coi_hint=coi_hint(
                a.coi_status,
                person=name,
                submitted_at=submitted_at,
                session_start=child.start,
                office=settings.OFFICE_NAME,
            ),
            submitted_line=submitted_line,
            disclosure_line=disclosure_line,
            has_presentation=has_file,
            presentation_label=shorten(a.presentation_name or "presentation", 28),
            upload_label="Replace" if has_file else "Upload",
            person_url=link("person_detail", a.person_id),
            email_url=link("child_email_person", child.id, a.person_id),
            remove_url=link("faculty_remove", a.id) if can_edit else None,
            upload_url=link("presentation_form", a.id) if can_edit else None,
            download_url=link("presentation_download", a.id) if has_file else None,
            delete_url=link("presentation_delete", a.id) if can_edit and has_file else None,
            remove_confirm=f"Are you sure you want to remove {name} from session {child.id}?",
            delete_confirm=f"Delete the presentation of {name}?",
            requested_line=requested_line(a.requested_at) if missing else "",
            request_url=link("disclosure_request", a.person_id)
            if missing and self.may_request(child)
            else None,
            review_note=(a.review_note or "") if a.coi_status == CoiStatus.REJECTED else "",
        )

    def flags(self, child: ChildFacts) -> list[Flag]:
        flags: list[Flag] = []
        if child.name_needs_update:
            flags.append(Flag("name", "Name needs update", name_problems(child.name, child.series)))
        if child.three_by_five_due is not None:
            tbf = three_by_five(
                due=child.three_by_five_due,
                met_on=child.requirements_met_on,
                today=self.today,
                is_business_day=self.calendar.is_business_day,
                business_days_between=self.calendar.business_days_between,
            )
            flags.append(Flag("3x5", str(tbf), tone="ok" if tbf.state == "met" else "warn"))
        return flags

    def row(self, child: ChildFacts) -> ChildRow:
        may_edit = self.may_edit(child.parent_id)
        can_edit = may_edit and child.is_active
        faculty = [self.faculty_line(child, a, can_edit) for a in self.faculty.get(child.id, ())]
        people = self.people.get(child.parent_id)
        owners, coordinators = (people.owners, people.coordinators) if people else ([], [])
        icon, css = STATUS_LOOK.get(child.status, ("warning", "st-incomplete"))
        if not child.is_active:
            icon, css = "pause", "st-inactive"
        last_at = child.last_comment_at
        planners = self.planner_lines(child) if child.is_active else []
        approval, approval_detail = approval_text(child, faculty, planners)
        cid, pid = child.id, child.parent_id
        link = self.links
        name = child.name or "(no name)"
        calendar_url = link("parent_calendar", pid)
        reports = self.sees_reports(pid)
        return ChildRow(
            id=cid,
            version=child.version,
            can_edit=can_edit,
            is_active=child.is_active,
            status=child.status,
            status_label=STATUS_LABELS.get(child.status, child.status)
            if child.is_active
            else "DEACTIVATED",
            status_icon=ICONS[icon],
            status_class=css,
            flags=self.flags(child) if child.is_active else [],
            series=child.series,
            parent_id=pid,
            when=when_text(child),
            location=child.location or "(no location)",
            department=child.department,
            name=name,
            faculty=faculty,
            faculty_count=len(faculty),
            specialties=", ".join(self.specialties.get(cid, [])) or "none",
            professions=", ".join(PROFESSION_LABELS.get(p, p) for p in child.professions) or "none",
            owners="; ".join(owners) or "none",
            coordinators="; ".join(coordinators) or "none",
            comments_count=child.comments_count or 0,
            last_comment=shorten(child.last_comment_body or "", 90),
            last_comment_meta=(
                (settings.OFFICE_NAME if child.last_comment_from_office else "Coordinator")
                + ", "
                + _MONTHS[last_at.astimezone(self.zone).month - 1]
                + f" {last_at.astimezone(self.zone).day}"
            )
            if last_at
            else "",
            approval=approval,
            approval_detail=approval_detail,
            planners=planners,
            urls={
                "edit": link("child_edit", cid) if can_edit else None,
                "calendar": f"{calendar_url}?focus={cid}" if calendar_url else None,
                "move": f"{calendar_url}?focus={cid}" if calendar_url and can_edit else None,
                "series_calendar": calendar_url,
                "recurrence": link("parent_recurrence", pid),
                "deactivate": link("child_deactivate", cid) if can_edit else None,
                "reactivate": link("child_reactivate", cid)
                if may_edit and not child.is_active
                else None,
                "faculty": link("manage_faculty", cid) if can_edit else None,
                "email_team": link("child_email_team", cid),
                "comments": link("child_comments", cid),
                "flyer": link("flyer_preview", cid),
                "qr": link("qr_page", cid),
                "attendance": link("child_attendance_csv", cid) if reports else None,
                # Imports from Zoom, Teams and rosters, and the kiosk (credit, issue 18).
                "take_attendance": link("child_attendance", cid) if reports else None,
                "reports": link("parent_reports", pid) if reports else None,
                "late_claims": link("late_claims", pid) if reports else None,
            },
        )


@dataclass(frozen=True, slots=True)
class SeriesActions:
    """The series-level actions, shown once per series above the rows (not on every row)."""

    parent_id: int
    name: str
    calendar: str | None
    recurrence: str | None
    reports: str | None
    late_claims: str | None


def series_actions(rows) -> tuple[SeriesActions, ...]:
    """One entry per series of the page's rows, in the order they first appear."""
    found: dict[int, SeriesActions] = {}
    for row in rows:
        if row.parent_id not in found:
            found[row.parent_id] = SeriesActions(
                parent_id=row.parent_id,
                name=row.series,
                calendar=row.urls.get("series_calendar"),
                recurrence=row.urls.get("recurrence"),
                reports=row.urls.get("reports"),
                late_claims=row.urls.get("late_claims"),
            )
    return tuple(found.values())


def requested_line(requested_at: datetime | None) -> str:
    if requested_at is None:
        return ""
    return f"Disclosure requested {format_long_date(timezone.localtime(requested_at))}"


def approval_text(
    child: ChildFacts, faculty: list[FacultyLine], planners: list[PlannerLine] = ()
) -> tuple[str, list[str]]:
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
