"""The RSS Dashboard's read side: one page of rows, and single rows for in-place updates.

The search (`ChildActivity.objects.visible_to(user).matching(filters)`) finds a page of Child IDs;
then, as plain values for the whole page at once, the children (`dashboard_facts`), their current
faculty with each person's latest disclosure, the relationships of those disclosures, the series'
owners and coordinators and the specialties (five queries whatever the page size, no model
instances), and each child becomes a `ChildRow` of display values.
"""

import functools
import hashlib
import pickle
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Subquery, Window
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe

from disclosures.rules import PlannerFacts
from rss_dashboard.cache_header import note_built
from rss_dashboard.db import ReadByIds

from .access import editable_parent_ids, report_parent_ids
from .freshness import remember
from .models import ChildActivity, ParentRole, ParentRoleKind
from .presenters import (
    ChildFacts,
    ChildRow,
    FacultyFacts,
    RowBuilder,
    SeriesActions,
    series_actions,
)
from .queries import DashboardFilters
from .selectors_calendar import business_calendar

# The rows render with Jinja2 (the "rows" engine in settings): the same markup about five times
# faster than Django's engine, which keeps a 100-row page well inside its time budget.
ROW_TEMPLATE = "activities/_child_row.html"
ROW_ENGINE = "rows"


@dataclass
class DashboardPage:
    page: Page
    rows: list[ChildRow]
    filters: DashboardFilters


# The four reads below have a fixed shape: compiled once per page size (rss_dashboard.db.ReadByIds).
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
        .values_list(
            "parent_id",
            "role",
            "person_id",
            "person__last_name",
            "person__first_name",
            "disclosure_at",
            "requested_at",
        )
    )


_read_series_people = ReadByIds(ParentRole, _series_people_query)


@dataclass
class SeriesPeople:
    owners: list[str]
    coordinators: list[str]
    planners: list[PlannerFacts]


def _series_people(parent_ids: set[int]) -> dict[int, SeriesPeople]:
    found: dict[int, SeriesPeople] = defaultdict(lambda: SeriesPeople([], [], []))
    for parent_id, role, person_id, last, first, disclosed, requested in _read_series_people(
        sorted(parent_ids)
    ):
        name = f"{last.strip()}, {first.strip()}" if first.strip() else last.strip()
        people = found[parent_id]
        if role == ParentRoleKind.PLANNER:
            people.planners.append(PlannerFacts(person_id, name, disclosed, requested))
        else:
            (people.owners if role == ParentRoleKind.OWNER else people.coordinators).append(name)
    return dict(found)


def _specialties_query(child_ids: list[int]):
    return (
        ChildActivity.specialties.through.objects.filter(childactivity_id__in=child_ids)
        .order_by("specialty__name")
        .values_list("childactivity_id", "specialty__name")
    )


_read_specialties = ReadByIds(ChildActivity, _specialties_query)


def _specialties(child_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for child_id, name in _read_specialties(child_ids):
        found[child_id].append(name)
    return dict(found)


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
        .values_list(
            "id",
            "child_id",
            "person_id",
            "coi_status",
            "presentation",
            "presentation_name",
            "person__email",
            "person__first_name",
            "person__last_name",
            "disclosure_id",
            "disclosure_at",
            "disclosure_nothing",
            "requested_at",
            "review_note",
        )
    )


_read_faculty = ReadByIds("faculty.Assignment", _faculty_query)


def _faculty(child_ids: list[int]) -> dict[int, list[FacultyFacts]]:
    found: dict[int, list[FacultyFacts]] = defaultdict(list)
    for row in _read_faculty(child_ids):
        facts = FacultyFacts(*row)
        found[facts.child_id].append(facts)
    return dict(found)


def _relationships_query(disclosure_ids: list[int]):
    from disclosures.models import FinancialRelationship

    return (
        FinancialRelationship.objects.filter(disclosure_id__in=disclosure_ids)
        .order_by("company_name", "id")
        .values_list("disclosure_id", "company_name", "nature")
    )


_read_relationships = ReadByIds("disclosures.FinancialRelationship", _relationships_query)


def _relationships(disclosure_ids: set[int]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for disclosure_id, company, nature in _read_relationships(sorted(disclosure_ids)):
        found[disclosure_id].append((company, nature))
    return dict(found)


def _dashboard_facts_query(child_ids: list[int]):
    return ChildActivity.objects.filter(pk__in=child_ids).dashboard_facts()


_read_children = ReadByIds(ChildActivity, _dashboard_facts_query)


def _children(ids: list[int]) -> list[ChildFacts]:
    """The children of `ids` as plain facts, in the order of `ids`."""
    found = {row[0]: ChildFacts(*row) for row in _read_children(ids)}
    return [found[i] for i in ids if i in found]


def build_rows(
    children: Sequence[ChildFacts],
    *,
    editable_ids: set[int] | None,
    report_ids: set[int] | None,
    office: bool = False,
    today=None,
) -> list[ChildRow]:
    if not children:
        return []
    child_ids = [c.id for c in children]
    faculty = _faculty(child_ids)
    disclosure_ids = {f.disclosure_id for rows in faculty.values() for f in rows}
    builder = RowBuilder(
        today=today or timezone.localdate(),
        calendar=business_calendar(),
        editable_ids=editable_ids,
        faculty=faculty,
        relationships=_relationships(disclosure_ids - {None}),
        people=_series_people({c.parent_id for c in children}),
        specialties=_specialties(child_ids),
        report_ids=report_ids,
        office=office,
    )
    return [builder.row(c) for c in children]


def dashboard_page(
    user,
    filters: DashboardFilters,
    *,
    editable_ids: set[int] | None,
    report_ids: set[int] | None,
    page_number=1,
    per_page: int = 25,
) -> DashboardPage:
    """One page of rows. `editable_ids` are the series the user may change, `report_ids` those
    whose attendance and reports they may read (None: all).

    Two statements: the search (which varies) finds the page's Child IDs with the total as a window
    count beside them (no separate COUNT), then one fixed-shape read (compiled once, ReadByIds)
    loads what the rows print. Only a page past the end costs a count, to find the last page as
    `Paginator.get_page` does."""
    search = ChildActivity.objects.visible_to(user).matching(filters).order_by("start", "id")
    try:
        # Clamped so the OFFSET stays a bigint; a page past the end falls back to the last page.
        number = min(max(1, int(page_number)), 1_000_000)
    except (TypeError, ValueError, OverflowError):
        number = 1
    offset = (number - 1) * per_page
    found = list(
        search.annotate(total_count=Window(Count("pk"))).values_list("id", "total_count")[
            offset : offset + per_page
        ]
    )
    paginator = Paginator(search, per_page)
    if found:
        paginator.count = found[0][1]  # a cached_property: no COUNT query
        ids = [child_id for child_id, _total in found]
        page = Page(ids, number, paginator)
    else:
        page = paginator.get_page(page_number)
        ids = []
        if page.paginator.count and page.number != number:
            offset = page.start_index() - 1
            ids = list(search.values_list("id", flat=True)[offset : offset + per_page])
    rows = build_rows(
        _children(ids),
        editable_ids=editable_ids,
        report_ids=report_ids,
        office=user.is_reviewer,
        today=filters.today,
    )
    return DashboardPage(page=page, rows=rows, filters=filters)


def viewer(user) -> tuple:
    """Who is looking, as a cache key part: the person and the roles that decide what they see
    and may change (their series come from watched tables, activities/freshness.py)."""
    return (user.pk, user.is_administrator, user.is_reviewer)


@dataclass(frozen=True)
class Listing:
    """A dashboard search's result as the page prints it: plain values, cheap to cache."""

    count: int
    number: int
    per_page: int
    row_count: int
    rows_html: SafeString
    series: tuple[SeriesActions, ...] = ()

    def page(self) -> Page:
        # A paginator over a range: counts and slices without a query.
        return Paginator(range(self.count), self.per_page).page(self.number)


def dashboard_listing(
    user,
    filters: DashboardFilters,
    *,
    editable_ids: set[int] | None,
    report_ids: set[int] | None,
    page_number=1,
    per_page: int = 25,
    generation: int | None = None,
) -> Listing:
    """`dashboard_page` rendered, cached under the dashboard generation (activities/freshness.py):
    reloading a search that nothing has changed since costs no query for its rows."""

    def build() -> Listing:
        note_built()  # X-Dashboard-Cache: miss (rss_dashboard/cache_header.py)
        result = dashboard_page(
            user,
            filters,
            editable_ids=editable_ids,
            report_ids=report_ids,
            page_number=page_number,
            per_page=per_page,
        )
        return Listing(
            count=result.page.paginator.count,
            number=result.page.number,
            per_page=per_page,
            row_count=len(result.rows),
            rows_html=render_rows(result.rows),
            series=series_actions(result.rows),
        )

    parts = (viewer(user), get_script_prefix(), filters, filters.today, str(page_number), per_page)
    return remember("listing", parts, generation, build)


def dashboard_row(user, child_id: int) -> ChildRow | None:
    """The row of one child as the dashboard shows it (after a change in a window)."""
    filters = DashboardFilters.default().only_child(child_id)
    found = ChildActivity.objects.visible_to(user).matching(filters).values_list("id", flat=True)
    children = _children(list(found[:1]))
    if not children:
        return None
    rows = build_rows(
        children,
        editable_ids=editable_parent_ids(user),
        report_ids=report_parent_ids(user),
        office=user.is_reviewer,
    )
    return rows[0]


def render_row(row: ChildRow, *, oob: bool = False) -> SafeString:
    html = render_to_string(ROW_TEMPLATE, {"row": row, "oob": oob}, using=ROW_ENGINE)
    return mark_safe(html.strip())


def render_rows(rows: Sequence[ChildRow]) -> SafeString:
    """The rows' HTML, each rendered once per distinct content.

    A row is plain data (`ChildRow`) and its template reads nothing else, so the HTML is a pure
    function of the row: it is cached under a digest of the row's pickled content (and the
    template's source), never by id, so a changed row can never be served stale. Rendering is most
    of a page's time; rows change far less often than coordinators reload the dashboard.
    """
    if settings.DEBUG:  # templates may change under the development server
        return mark_safe("".join(render_row(r) for r in rows))
    keys = [_row_key(r) for r in rows]
    cache = caches[ROW_CACHE]
    found = cache.get_many(keys)
    missing = {}
    parts = []
    for key, row in zip(keys, rows, strict=True):
        html = found.get(key)
        if html is None:
            html = missing[key] = render_row(row)
        parts.append(html)
    if missing:
        cache.set_many(missing, ROW_CACHE_SECONDS)
    return mark_safe("".join(parts))


ROW_CACHE = "rows"
ROW_CACHE_SECONDS = 3600


@functools.cache
def _template_digest() -> str:
    source = (Path(settings.BASE_DIR) / "templates" / ROW_TEMPLATE).read_bytes()
    return hashlib.blake2b(source, digest_size=8).hexdigest()


def _row_key(row: ChildRow) -> str:
    content = pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)
    return f"row:{_template_digest()}:{hashlib.blake2b(content, digest_size=16).hexdigest()}"


def empty_result_message(filters: DashboardFilters, has_series: bool) -> str:
    if not has_series:
        return (
            "You are not an owner or coordinator of any series yet. Ask the office to add you to "
            "your series."
        )
    if filters.child_id is not None:
        return f"No session with Child ID {filters.child_id} in your series."
    start = dateformat.format(filters.date_from, "D, M j, Y")
    end = dateformat.format(filters.date_to, "D, M j, Y")
    narrowed = any(
        [
            filters.parent_id,
            filters.department_id,
            filters.statuses,
            filters.flags,
            filters.faculty,
            filters.text,
        ]
    )
    text = f"No sessions from {start} to {end}"
    if narrowed:
        return text + " match these filters. Clear some filters or widen the date range."
    return text + ". Widen the date range."
