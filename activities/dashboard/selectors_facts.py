"""What the dashboard's rows print, read by Child ID as plain facts: the children, their current
faculty with each person's latest disclosure, the relationships of those disclosures, the series'
owners, coordinators and planners, and the specialties. Five fixed-shape reads (compiled once,
compiled.ReadByIds) whatever the page size, no model instances.

Every read names its columns once (`*_COLUMNS`: fact name -> ORM path) and its rows are mapped to
facts by those names, never by position: reordering or renaming a column cannot shift a value into
another fact (tests/activities/test_dashboard_facts.py).
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Subquery

from activities.models import ChildActivity, ChildReview, Comment, ParentRole, ParentRoleKind
from disclosures.rules import PlannerFacts
from faculty.people import sort_name
from rss_dashboard.compiled import ReadByIds


@dataclass(slots=True)
class ChildFacts:
    """A child as the dashboard loads it (`CHILD_COLUMNS`): plain values."""

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


@dataclass
class SeriesPeople:
    owners: list[str]
    coordinators: list[str]
    planners: list[PlannerFacts]


def named(columns: dict[str, str], rows: list[tuple]) -> list[dict]:
    """Rows of a `values_list(*columns.values())` as {fact name: value}."""
    names = tuple(columns)
    return [dict(zip(names, row, strict=True)) for row in rows]


# --- the children ------------------------------------------------------------------------------

# Fact name -> what the read selects: a column of the child, or an annotation of the same name.
CHILD_COLUMNS: dict[str, str] = {name: name for name in (f.name for f in fields(ChildFacts))}


def _children_query(child_ids: list[int]):
    """The child's columns, its series and department names, who decided, the comment count, the
    last comment and the last review reason (one statement for the whole page)."""
    last_comment = Comment.objects.filter(child_id=OuterRef("pk")).order_by("-created_at", "-id")
    last_review = ChildReview.objects.filter(child_id=OuterRef("pk")).order_by("-at", "-id")
    comment_count = (
        Comment.objects.filter(child_id=OuterRef("pk"))
        .order_by()
        .values("child_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        ChildActivity.objects.filter(pk__in=child_ids)
        .annotate(
            series=F("parent__name"),
            department=F("parent__department__name"),
            decided_by_first=F("decided_by__first_name"),
            decided_by_last=F("decided_by__last_name"),
            comments_count=Subquery(comment_count, output_field=models.IntegerField()),
            last_comment_body=Subquery(last_comment.values("body")[:1]),
            last_comment_at=Subquery(last_comment.values("created_at")[:1]),
            last_comment_from_office=Subquery(last_comment.values("from_office")[:1]),
            last_review_reason=Subquery(last_review.values("reason")[:1]),
        )
        .order_by()
        .values_list(*CHILD_COLUMNS.values())
    )


_read_children = ReadByIds(ChildActivity, _children_query)


def children(ids: list[int]) -> list[ChildFacts]:
    """The children of `ids` as plain facts, in the order of `ids`."""
    found = {row["id"]: ChildFacts(**row) for row in named(CHILD_COLUMNS, _read_children(ids))}
    return [found[i] for i in ids if i in found]


# --- faculty and their disclosures --------------------------------------------------------------

FACULTY_COLUMNS: dict[str, str] = {
    "id": "id",
    "child_id": "child_id",
    "person_id": "person_id",
    "coi_status": "coi_status",
    "presentation": "presentation",
    "presentation_name": "presentation_name",
    "email": "person__email",
    "first_name": "person__first_name",
    "last_name": "person__last_name",
    "disclosure_id": "disclosure_id",
    "disclosure_at": "disclosure_at",
    "disclosure_nothing": "disclosure_nothing",
    "requested_at": "requested_at",
    "review_note": "review_note",
}


def _faculty_query(child_ids: list[int]):
    """Current assignments with the person and the person's latest disclosure."""
    from disclosures.models import CoiReview, DisclosureRequest
    from disclosures.selectors import newest_disclosure
    from faculty.models import Assignment

    latest = newest_disclosure()  # the one definition of "latest", as subquery columns
    requests = DisclosureRequest.objects.filter(person_id=OuterRef("person_id")).order_by(
        "-requested_at"
    )
    return (
        Assignment.objects.current()
        .filter(child_id__in=child_ids)
        .order_by("added_at", "id")
        .annotate(
            disclosure_id=Subquery(latest.values("id")[:1]),
            disclosure_at=Subquery(latest.values("submitted_at")[:1]),
            disclosure_nothing=Subquery(latest.values("nothing_to_disclose")[:1]),
            requested_at=Subquery(requests.values("requested_at")[:1]),
            review_note=Subquery(
                CoiReview.objects.filter(assignment_id=OuterRef("pk"))
                .order_by("-decided_at", "-id")
                .values("note")[:1]
            ),
        )
        .values_list(*FACULTY_COLUMNS.values())
    )


_read_faculty = ReadByIds("faculty.Assignment", _faculty_query)


def faculty(child_ids: list[int]) -> dict[int, list[FacultyFacts]]:
    found: dict[int, list[FacultyFacts]] = defaultdict(list)
    for row in named(FACULTY_COLUMNS, _read_faculty(child_ids)):
        facts = FacultyFacts(**row)
        found[facts.child_id].append(facts)
    return dict(found)


RELATIONSHIP_COLUMNS = {
    "disclosure_id": "disclosure_id",
    "company": "company_name",
    "nature": "nature",
}


def _relationships_query(disclosure_ids: list[int]):
    from disclosures.models import FinancialRelationship

    return (
        FinancialRelationship.objects.filter(disclosure_id__in=disclosure_ids)
        .order_by("company_name", "id")
        .values_list(*RELATIONSHIP_COLUMNS.values())
    )


_read_relationships = ReadByIds("disclosures.FinancialRelationship", _relationships_query)


def relationships(disclosure_ids: set[int]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for row in named(RELATIONSHIP_COLUMNS, _read_relationships(sorted(disclosure_ids))):
        found[row["disclosure_id"]].append((row["company"], row["nature"]))
    return dict(found)


# --- the series' people and the specialties ----------------------------------------------------

SERIES_PEOPLE_COLUMNS = {
    "parent_id": "parent_id",
    "role": "role",
    "person_id": "person_id",
    "last": "person__last_name",
    "first": "person__first_name",
    "disclosed": "disclosure_at",
    "requested": "requested_at",
}


def _series_people_query(parent_ids: list[int]):
    """Owners, coordinators and planners; for planners, when they last disclosed and when their
    disclosure was last requested (the "planners with COI" flag names them with it)."""
    from disclosures.models import DisclosureRequest
    from disclosures.selectors import newest_disclosure

    requests = DisclosureRequest.objects.filter(person_id=OuterRef("person_id")).order_by(
        "-requested_at"
    )
    return (
        ParentRole.objects.filter(
            parent_id__in=parent_ids,
            role__in=[ParentRoleKind.OWNER, ParentRoleKind.COORDINATOR, ParentRoleKind.PLANNER],
        )
        .order_by("person__last_name_lower", "person__first_name", "person_id")
        .annotate(
            disclosure_at=Subquery(newest_disclosure().values("submitted_at")[:1]),
            requested_at=Subquery(requests.values("requested_at")[:1]),
        )
        .values_list(*SERIES_PEOPLE_COLUMNS.values())
    )


_read_series_people = ReadByIds(ParentRole, _series_people_query)


def series_people(parent_ids: set[int]) -> dict[int, SeriesPeople]:
    found: dict[int, SeriesPeople] = defaultdict(lambda: SeriesPeople([], [], []))
    for row in named(SERIES_PEOPLE_COLUMNS, _read_series_people(sorted(parent_ids))):
        last, first = row["last"].strip(), row["first"].strip()
        name = f"{last}, {first}" if first else last
        people = found[row["parent_id"]]
        if row["role"] == ParentRoleKind.PLANNER:
            people.planners.append(
                PlannerFacts(
                    person_id=row["person_id"],
                    name=name,
                    submitted_at=row["disclosed"],
                    requested_at=row["requested"],
                )
            )
        else:
            (people.owners if row["role"] == ParentRoleKind.OWNER else people.coordinators).append(
                name
            )
    return dict(found)


SPECIALTY_COLUMNS = {"child_id": "childactivity_id", "name": "specialty__name"}


def _specialties_query(child_ids: list[int]):
    return (
        ChildActivity.specialties.through.objects.filter(childactivity_id__in=child_ids)
        .order_by("specialty__name")
        .values_list(*SPECIALTY_COLUMNS.values())
    )


_read_specialties = ReadByIds(ChildActivity, _specialties_query)


def specialties(child_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for row in named(SPECIALTY_COLUMNS, _read_specialties(child_ids)):
        found[row["child_id"]].append(row["name"])
    return dict(found)
