"""What the dashboard shows for each child: facts (selectors_facts.py) become `ChildRow`s of display
values, computed in Python once per row so the template only prints (no queries, no logic in
template tags)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString

from activities.rules import name_problems, three_by_five
from disclosures.rules import (
    CoiStatus,
    PlannerFacts,
    coi_hint,
    disclosure_summary,
    planners_without_active_disclosure,
)

from .approval import approval_text
from .look import (
    COI_LABELS,
    COI_LOOK,
    ICONS,
    MONTHS,
    NATURE_LABELS,
    PROFESSION_LABELS,
    STATUS_LABELS,
    STATUS_LOOK,
    Links,
    requested_line,
    shorten,
    when_text,
)
from .row_facts import RowFacts, read_row_facts
from .selectors_facts import ChildFacts, FacultyFacts

# --- rows ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Flag:
    kind: str
    text: str
    details: list[str] = field(default_factory=list)
    tone: str = "warn"  # "warn" or "ok"


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
    """Builds rows for one request from `RowFacts`: today, the viewer's permissions, the URL
    patterns; every value a row prints comes from these and the settings (RowFacts.of)."""

    def __init__(
        self,
        facts: RowFacts,
        *,
        today: date,
        editable_ids: set[int] | None,
        report_ids: set[int] | None = None,
        office: bool = False,
    ) -> None:
        self.today = today
        # Series whose attendance, reports and late claims the user may open (None: all).
        self.report_ids = report_ids
        self.calendar = facts.calendar
        self.editable_ids = editable_ids
        self.faculty = facts.faculty
        self.relationships = facts.relationships
        self.people = facts.people  # parent id -> SeriesPeople
        self.specialties = facts.specialties
        self.office = office  # reviewers and administrators: may request disclosures
        self.links = Links()
        self.zone = timezone.get_default_timezone()

    def viewer(self, parent_id: int) -> tuple[bool, bool, bool]:
        """What the viewer may do in a series, as a cache key's part (never who they are)."""
        return (self.may_edit(parent_id), self.sees_reports(parent_id), self.office)

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
                + MONTHS[last_at.astimezone(self.zone).month - 1]
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


def build_rows(
    children: Sequence[ChildFacts],
    *,
    editable_ids: set[int] | None,
    report_ids: set[int] | None,
    office: bool = False,
    today: date | None = None,
) -> list[ChildRow]:
    """The rows of `children`: four more reads by id for all of them at once."""
    if not children:
        return []
    builder = RowBuilder(
        read_row_facts(children),
        today=today or timezone.localdate(),
        editable_ids=editable_ids,
        report_ids=report_ids,
        office=office,
    )
    return [builder.row(c) for c in children]
