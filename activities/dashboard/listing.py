"""The dashboard's one entry point: `dashboard_listing(user, query, page)` gives everything the
page shows; the view only renders it. And `dashboard_row`, the single row a window refreshes.

A page: the generation first (cache.py: nothing read after it can be older), the user's series
(the search form's choices and what they may change), the search (selectors_search.py), the facts
of the page's children (selectors_facts.py), rows (rows.py) and their HTML (html.py); the series
and the rendered rows are cached under the generation.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.urls import get_script_prefix
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString

from activities.access import editable_parent_ids, report_parent_ids
from activities.forms import DashboardFilterForm
from activities.selectors_series import SeriesOption, dashboard_series_options

from . import selectors_facts as facts
from .cache import dashboard_generation, remember
from .html import render_rows
from .rows import ChildRow, SeriesActions, build_rows, series_actions
from .search_form import search_values
from .selectors_search import DashboardFilters, child_if_visible, page_of_ids


def viewer(user) -> tuple:
    """Who is looking, as a cache key part: the person and the roles that decide what they see
    and may change (their series come from watched tables, triggers.py)."""
    return (user.pk, user.is_administrator, user.is_reviewer)


@dataclass(frozen=True)
class Listing:
    """A search's rows as the page prints them: plain values, cheap to cache."""

    count: int
    number: int
    per_page: int
    row_count: int
    rows_html: SafeString
    series: tuple[SeriesActions, ...] = ()

    def page(self) -> Page:
        # A paginator over a range: counts and slices without a query.
        return Paginator(range(self.count), self.per_page).page(self.number)


@dataclass
class DashboardListing:
    """Everything the dashboard page shows."""

    form: DashboardFilterForm
    filters: DashboardFilters
    options: list[SeriesOption]
    listing: Listing
    can_add: bool
    today: date

    def context(self, query) -> dict:
        """The template's context; `query` is the request's GET (the pages' links keep it)."""
        page = self.listing.page()
        kept = query.copy()
        kept.pop("page", None)
        whole_year = {
            "date_from": self.today.replace(month=1, day=1).isoformat(),
            "date_to": self.today.replace(month=12, day=31).isoformat(),
        }
        return {
            "form": self.form,
            "search": search_values(self.form, self.filters),
            "listing": self.listing,
            "rows_html": self.listing.rows_html,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "filters": self.filters,
            "page_query": kept.urlencode(),
            "can_add": self.can_add,
            "empty_message": empty_result_message(self.filters, bool(self.options)),
            "whole_year_url": "?" + urlencode(whole_year),
            "SHOWS_DASHBOARD": True,  # known here: no query for the navigation's link
        }


def dashboard_listing(user, query, page=1, *, today: date | None = None) -> DashboardListing:
    """The dashboard of `user` for the search in `query` (the request's GET), page `page`."""
    today = today or timezone.localdate()
    # Read before anything it covers (cache.py): a cached part is never older.
    generation = dashboard_generation()
    options = remember("series", viewer(user), generation, lambda: dashboard_series_options(user))
    form = DashboardFilterForm(query or None, series_options=options, today=today)
    filters = form.filters()
    if user.is_administrator:
        editable_ids = report_ids = None
    else:
        editable_ids = {p.pk for p in options if p.can_edit}
        report_ids = {p.pk for p in options if p.sees_reports}
    listing = rows_listing(
        user,
        filters,
        editable_ids=editable_ids,
        report_ids=report_ids,
        page_number=page or 1,
        per_page=form.rows_per_page(),
        generation=generation,
    )
    return DashboardListing(
        form=form,
        filters=filters,
        options=options,
        listing=listing,
        can_add=editable_ids is None or bool(editable_ids),
        today=today,
    )


def rows_listing(
    user,
    filters: DashboardFilters,
    *,
    editable_ids: set[int] | None,
    report_ids: set[int] | None,
    page_number=1,
    per_page: int = 25,
    generation: int | None = None,
) -> Listing:
    """A page of rows, rendered, cached under the generation: reloading a search that nothing has
    changed since costs no query for its rows. `editable_ids` are the series the user may change,
    `report_ids` those whose attendance and reports they may read (None: all)."""

    def build() -> Listing:
        page, ids = page_of_ids(user, filters, page_number, per_page)
        rows = build_rows(
            facts.children(ids),
            editable_ids=editable_ids,
            report_ids=report_ids,
            office=user.is_reviewer,
            today=filters.today,
        )
        return Listing(
            count=page.paginator.count,
            number=page.number,
            per_page=per_page,
            row_count=len(rows),
            rows_html=render_rows(rows),
            series=series_actions(rows),
        )

    parts = (viewer(user), get_script_prefix(), filters, filters.today, str(page_number), per_page)
    return remember("listing", parts, generation, build)


def dashboard_row(user, child_id: int) -> ChildRow | None:
    """The row of one child as the dashboard shows it (after a change in a window)."""
    children = facts.children(child_if_visible(user, child_id))
    if not children:
        return None
    rows = build_rows(
        children,
        editable_ids=editable_parent_ids(user),
        report_ids=report_parent_ids(user),
        office=user.is_reviewer,
    )
    return rows[0]


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
