"""What a flyer says, gathered once for the HTML preview and the Word document (SPEC §9).

`build_flyer(child)` loads everything in a fixed number of queries, whatever the number of faculty
and planners, and refuses (FlyerError) where SPEC §9 says there is no flyer.
"""

import dataclasses
from dataclasses import dataclass

from django.conf import settings

from activities.models import ChildActivity
from activities.rules import ChildStatus
from activities.selectors_disclosures import (
    current_assignments,
    flyer_disclosure_facts,
    planner_roles,
)
from credit.rules import claim_window
from faculty.models import FacultyRole, Profession
from faculty.people import display_phone as people_display_phone
from rss_dashboard.errors import DomainError

from . import rules
from .models import FlyerStatements, StatementKind
from .qr import claim_url


class FlyerError(DomainError):
    pass


@dataclass(frozen=True)
class FacultyLine:
    name: str  # "Jane Smith, MD"
    affiliation: str
    role: str  # "" for a speaker, "Responsible faculty" otherwise

    @property
    def text(self) -> str:
        parts = [self.name]
        if self.affiliation:
            parts.append(self.affiliation)
        text = ", ".join(parts)
        return f"{text} ({self.role})" if self.role else text


@dataclass(frozen=True)
class FlyerContent:
    child_id: int
    series_name: str
    session_name: str
    department: str
    when: str
    location: str
    faculty: tuple[FacultyLine, ...]
    objectives: tuple[str, ...]
    specialties: tuple[str, ...]
    professions: tuple[str, ...]
    disclosures: tuple[rules.PersonDisclosure, ...]
    disclosure_conclusion: tuple[str, ...]
    provider: str
    accreditation_kind: str
    accreditation: str
    credit_designation: str
    sms_number: str
    claim_url: str
    claim_opens_minutes: int
    claim_closes: str
    draft: bool
    status_label: str

    @property
    def draft_banner(self) -> str:
        return rules.DRAFT_BANNER if self.draft else ""

    @property
    def accreditation_heading(self) -> str:
        if self.accreditation_kind == StatementKind.JOINT_ACCREDITATION:
            return "Joint Accreditation Statement"
        return "Accreditation Statement"

    @property
    def disclosure_intro(self) -> str:
        return rules.disclosure_intro(self.disclosures)

    @property
    def sms_instruction(self) -> str:
        return f"Text {self.child_id} to {self.sms_number}"


def display_phone(e164: str) -> str:
    """The site's one phone format (faculty.people.display_phone)."""
    return people_display_phone(e164)


def statement_texts(statements: FlyerStatements, parent) -> tuple[str, str]:
    """The accreditation and credit designation statements with the series' numbers."""
    template = {
        StatementKind.DIRECT: statements.accreditation_direct,
        StatementKind.JOINT_PROVIDERSHIP: statements.accreditation_joint_providership,
        StatementKind.JOINT_ACCREDITATION: statements.accreditation_joint_accreditation,
    }.get(statements.accreditation_kind, statements.accreditation_direct)
    values = {
        "provider": statements.provider,
        "joint_provider": statements.joint_provider,
        "credit_hours": rules.format_credit_hours(parent.credit_hours),
        "credit_type": rules.credit_type_for_statement(parent.credit_type),
    }
    try:
        return (
            rules.render_statement(template, values),
            rules.render_statement(statements.credit_designation, values),
        )
    except ValueError as exc:
        raise FlyerError(
            "statements_invalid",
            f"The site-wide flyer statements cannot be used ({exc}). An administrator must "
            "correct them under Admin > Flyer statements.",
        ) from exc


def series_statements(parent) -> tuple[str, str]:
    """The accreditation and credit designation statements of a series, as on its flyers."""
    return statement_texts(FlyerStatements.current(), parent)


def _printable(value):
    """Every text of the flyer (and of what it holds) without characters a .docx cannot hold."""
    if isinstance(value, str):
        return rules.printable(value)
    if isinstance(value, tuple):
        return tuple(_printable(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _printable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def build_flyer(child: ChildActivity) -> FlyerContent:
    """Everything the flyer of `child` says. `child` should come with its parent and department
    (activities.access.get_child_for_user selects them)."""
    if not child.is_active:
        raise FlyerError(
            "inactive", "This session has been deactivated; it has no flyer to distribute."
        )
    assignments = current_assignments(child)
    if not assignments:
        raise FlyerError("no_faculty", rules.NO_FACULTY_MESSAGE)
    parent = child.parent
    planners = planner_roles(child)
    people = flyer_disclosure_facts(child, assignments=assignments, planners=planners)
    specialties = tuple(s.name for s in child.specialties.all())
    if not specialties:
        specialties = tuple(s.name for s in parent.specialties.all())
    profession_values = list(child.professions or parent.professions or [])
    professions = tuple(Profession(p).label for p in profession_values if p in Profession.values)
    statements = FlyerStatements.current()
    accreditation, designation = statement_texts(statements, parent)
    window = claim_window(
        start=child.start,
        end=child.end,
        minutes_prior=child.texting_minutes_prior,
        minutes_after=child.texting_minutes_after,
    )
    content = FlyerContent(
        child_id=child.pk,
        series_name=parent.name,
        session_name=child.name,
        department=parent.department.name,
        when=rules.format_session_time(child.local_start, child.local_end),
        location=child.location,
        faculty=tuple(
            FacultyLine(
                name=a.person.display_name,
                affiliation=a.person.affiliation,
                role="" if a.role == FacultyRole.SPEAKER else a.get_role_display(),
            )
            for a in assignments
        ),
        objectives=tuple(rules.objective_lines(child.objectives)),
        specialties=specialties,
        professions=professions,
        disclosures=tuple(people),
        disclosure_conclusion=tuple(rules.disclosure_conclusion(people)),
        provider=statements.provider,
        accreditation_kind=statements.accreditation_kind,
        accreditation=accreditation,
        credit_designation=designation,
        sms_number=display_phone(settings.TWILIO_NUMBER),
        claim_url=claim_url(child.pk),
        claim_opens_minutes=child.texting_minutes_prior,
        claim_closes=rules.format_moment(window.closes.astimezone(child.zone)),
        draft=child.status != ChildStatus.APPROVED,
        status_label=child.get_status_display(),
    )
    return _printable(content)
