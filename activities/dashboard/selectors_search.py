"""The dashboard's search: what the user asked for (`DashboardFilters`) and which Child IDs it
finds. The one statement of a page that varies with the search; everything else a row prints is
read by id afterwards (selectors_facts.py)."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import BigIntegerField, Count, Exists, OuterRef, Q, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.utils import timezone

from activities.models import ChildActivity

from .triggers import SERIES_TABLE

FLAG_NAME = "name"
FLAG_3X5_DUE = "3x5_due"
FLAG_3X5_MISSED = "3x5_missed"
FLAG_PLANNERS = "planners"
FLAG_CHOICES = [
    (FLAG_NAME, "Name needs update"),
    (FLAG_3X5_DUE, "3 by 5 due"),
    (FLAG_3X5_MISSED, "3 by 5 missed"),
    (FLAG_PLANNERS, "Planners with COI"),
]
DEFAULT_DAYS = 60


@dataclass(frozen=True)
class DashboardFilters:
    """What a dashboard search asks for. Dates are the site's local dates, both inclusive."""

    date_from: date
    date_to: date
    parent_id: int | None = None
    department_id: int | None = None
    statuses: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    faculty: str = ""
    child_id: int | None = None
    text: str = ""
    include_inactive: bool = False
    today: date | None = field(default=None, compare=False)

    @classmethod
    def default(cls, today: date | None = None) -> "DashboardFilters":
        today = today or timezone.localdate()
        return cls(date_from=today, date_to=today + timedelta(days=DEFAULT_DAYS), today=today)

    def only_child(self, child_id: int) -> "DashboardFilters":
        return replace(self, child_id=child_id, include_inactive=True)


def _local_midnight(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min), timezone.get_default_timezone())


def matching(children: QuerySet, filters: DashboardFilters) -> QuerySet:
    """The search of the dashboard. A Child ID finds the session whatever the other filters."""
    from faculty.models import Assignment
    from faculty.people import split_search

    if filters.child_id is not None:
        return children.filter(pk=filters.child_id)
    qs = children.filter(
        start__gte=_local_midnight(filters.date_from),
        start__lt=_local_midnight(filters.date_to + timedelta(days=1)),
    )
    if not filters.include_inactive:
        qs = qs.filter(is_active=True)
    if filters.parent_id:
        qs = qs.filter(parent_id=filters.parent_id)
    if filters.department_id:
        qs = qs.filter(parent__department_id=filters.department_id)
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    if filters.flags:
        today = filters.today or timezone.localdate()
        unmet = Q(requirements_met_on__isnull=True, three_by_five_due__isnull=False)
        wanted = {
            FLAG_NAME: Q(name_needs_update=True),
            FLAG_3X5_DUE: unmet & Q(three_by_five_due__gte=today),
            FLAG_3X5_MISSED: unmet & Q(three_by_five_due__lt=today),
            FLAG_PLANNERS: ~Q(planners_without_disclosure=""),
        }
        any_flag = Q()
        for flag in filters.flags:
            any_flag |= wanted.get(flag, Q())
        qs = qs.filter(any_flag)
    if filters.faculty.strip():
        last, first = split_search(filters.faculty)
        people = Q(person__last_name_lower__startswith=last)
        if first:
            people &= Q(person__first_name__istartswith=first)
        qs = qs.filter(Exists(Assignment.objects.current().filter(people, child_id=OuterRef("pk"))))
    if filters.text.strip():
        words = filters.text.split()[:6]
        for word in words:
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(location__icontains=word)
                | Q(parent__name__icontains=word)
            )
    return qs


def search(user, filters: DashboardFilters) -> QuerySet:
    """The children `user` may see that `filters` find, in the dashboard's order."""
    return matching(ChildActivity.objects.visible_to(user), filters).order_by("start", "id")


@dataclass(frozen=True)
class Found:
    """A child the search found, with the generation of its series (triggers.py) as it was
    before its facts are read: the key of its cached row."""

    id: int
    parent_id: int
    series_generation: int


_SERIES_GENERATION = RawSQL(
    f"SELECT coalesce((SELECT g.n FROM {SERIES_TABLE} g "
    'WHERE g.parent_id = "activities_childactivity"."parent_id"), 0)',
    (),
    output_field=BigIntegerField(),
)


def _found(queryset, *, generations: bool) -> QuerySet:
    if generations:
        return queryset.annotate(series_n=_SERIES_GENERATION)
    return queryset.annotate(series_n=Value(0, output_field=BigIntegerField()))


def page_of_ids(
    user, filters: DashboardFilters, page_number, per_page: int, *, generations: bool = False
) -> tuple[Page, list[Found]]:
    """The page's children, in order, and the page (number, total); with `generations` (on
    PostgreSQL) each child's series generation beside it.

    One statement: the total comes as a window count beside the ids (no separate COUNT). Only a
    page past the end costs a count, to find the last page as `Paginator.get_page` does."""
    found_by = search(user, filters)
    try:
        # Clamped so the OFFSET stays a bigint; a page past the end falls back to the last page.
        number = min(max(1, int(page_number)), 1_000_000)
    except (TypeError, ValueError, OverflowError):
        number = 1
    offset = (number - 1) * per_page
    rows = list(
        _found(found_by, generations=generations)
        .annotate(total_count=Window(Count("pk")))
        .values_list("id", "parent_id", "series_n", "total_count")[offset : offset + per_page]
    )
    paginator = Paginator(found_by, per_page)
    if rows:
        paginator.count = rows[0][3]  # a cached_property: no COUNT query
        found = [Found(id=r[0], parent_id=r[1], series_generation=r[2]) for r in rows]
        return Page([r[0] for r in rows], number, paginator), found
    page = paginator.get_page(page_number)
    found: list[Found] = []
    if page.paginator.count and page.number != number:
        offset = page.start_index() - 1
        found = [
            Found(id=r[0], parent_id=r[1], series_generation=r[2])
            for r in _found(found_by, generations=generations).values_list(
                "id", "parent_id", "series_n"
            )[offset : offset + per_page]
        ]
    return page, found


def child_if_visible(user, child_id: int) -> list[int]:
    """[child_id] if `user` may see that child (deactivated or not), else []."""
    filters = DashboardFilters.default().only_child(child_id)
    return list(
        matching(ChildActivity.objects.visible_to(user), filters).values_list("id", flat=True)[:1]
    )
