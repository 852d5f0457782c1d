"""The dashboard's entry points: `dashboard_html(request)`, the page the view returns, made from
`dashboard_listing(user, query, page)`, everything the page shows; and `dashboard_row`, the
single row a window refreshes.

A page: the user's generation first (cache.py: nothing read after it can be older), then, unless
the whole page is cached under it, the user's series (the search form's choices and what they may
change; cached under `everything`), the search (selectors_search.py), and the rows: each from the
rows shared between users while its series has not changed, else from its facts
(selectors_facts.py), built (rows.py) and rendered (html.py).
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe

from activities.access import editable_parent_ids, report_parent_ids
from activities.forms import DashboardFilterForm
from activities.selectors_series import SeriesOption, dashboard_series_options
from rss_dashboard.cache_header import note_built

from . import selectors_facts as facts
from .cache import ROWS, ROWS_SECONDS, Generation, dashboard_generation, remember, row_cache_key
from .html import render_row, render_rows
from .rows import ChildRow, SeriesActions, build_rows, series_actions
from .search_form import search_values
from .selectors_search import DashboardFilters, Found, child_if_visible, page_of_ids


def viewer(user) -> tuple:
    """Who is looking, as a cache key part: the person, the roles that decide what they see and
    may change (their series come from watched tables, triggers.py) and the name the page's
    navigation prints."""
    return (user.pk, user.is_administrator, user.is_reviewer, user.first_name, user.last_name)


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


# Stands for the request's CSRF token in a cached page (a fresh token replaces it at each load).
TOKEN_MARK = "csrfMark0dashboard0page0token0000"
TEMPLATE = "activities/dashboard.html"
UNREAD = object()  # dashboard_listing reads the generation itself


def dashboard_html(request) -> str:
    """The whole dashboard page of the request's user and search, cached under their generation:
    a reload that nothing the page shows has changed since costs the session, the user and one
    query for the generation. Pages with a message to show (after a change) are built anew."""
    user, query = request.user, request.GET
    today = timezone.localdate()
    # Read before anything it covers (cache.py): a cached part is never older.
    generation = dashboard_generation(user)

    parts = (viewer(user), get_script_prefix(), sorted(query.lists()), today)

    # A message to show (after a change) is the one thing on a page no key names.
    cacheable = generation is not None and not len(get_messages(request))

    def build() -> str:
        note_built()  # X-Dashboard-Cache: miss (rss_dashboard/cache_header.py)
        found = dashboard_listing(
            user, query, query.get("page") or 1, today=today, generation=generation
        )

        def render() -> str:
            context = {**found.context(query), "csrf_token": TOKEN_MARK}
            return render_to_string(TEMPLATE, context, request)

        if not cacheable:
            return render()
        # Rendered again only when what it shows changed: for the office any change anywhere
        # moves the generation, but seldom the rows of the page they look at.
        content = found.listing.rows_html + repr(found.listing.series)
        shown = hashlib.blake2b(content.encode(), digest_size=16).hexdigest()
        listing = (found.listing.count, found.listing.number, found.listing.per_page, shown)
        assert generation is not None
        return remember("render", (parts, generation.everything, listing), 0, render)

    html = remember("page", parts, generation, build) if cacheable else build()
    return html.replace(TOKEN_MARK, get_token(request))


def dashboard_listing(
    user, query, page=1, *, today: date | None = None, generation: object = UNREAD
) -> DashboardListing:
    """The dashboard of `user` for the search in `query` (the request's GET), page `page`."""
    today = today or timezone.localdate()
    # Read before anything it covers (cache.py): a cached part is never older.
    if generation is UNREAD:
        generation = dashboard_generation(user)
    assert generation is None or isinstance(generation, Generation)
    options = remember(
        "series",
        viewer(user),
        generation and generation.everything,  # the series and roles change `everything`
        lambda: dashboard_series_options(user),
    )
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
    generation: Generation | None = None,
) -> Listing:
    """A page of rows, rendered. `editable_ids` are the series the user may change, `report_ids`
    those whose attendance and reports they may read (None: all).

    With a generation the page reuses every row whose series has not changed: rows are cached by session,
    series generation, `everything` and what the viewer may do there (never by user), so the
    coordinators of a series and the office share them, and a change rebuilds only its series'
    rows."""

    def build() -> Listing:
        page, found = page_of_ids(
            user, filters, page_number, per_page, generations=generation is not None
        )
        office = user.is_reviewer
        if generation is None:
            rows = build_rows(
                facts.children([f.id for f in found]),
                editable_ids=editable_ids,
                report_ids=report_ids,
                office=office,
                today=filters.today,
            )
            html, series = render_rows(rows), series_actions(rows)
        else:
            html, series = shared_rows(
                found,
                generation,
                editable_ids=editable_ids,
                report_ids=report_ids,
                office=office,
                today=filters.today or timezone.localdate(),
            )
        return Listing(
            count=page.paginator.count,
            number=page.number,
            per_page=per_page,
            row_count=len(found),
            rows_html=html,
            series=series,
        )

    # The whole page is cached (dashboard_html); a listing alone is built each time.
    return build()


def shared_rows(
    found: list[Found],
    generation: Generation,
    *,
    editable_ids: set[int] | None,
    report_ids: set[int] | None,
    office: bool,
    today: date,
) -> tuple[SafeString, tuple[SeriesActions, ...]]:
    """The rows' HTML and series bar, each row from the shared cache (cache.ROWS) when its series
    has not changed since it was built; the others are read, built, rendered and stored."""
    prefix = get_script_prefix()
    keys = {}
    for f in found:
        may_edit = editable_ids is None or f.parent_id in editable_ids
        reports = report_ids is None or f.parent_id in report_ids
        # Everything a row depends on besides its facts: what this viewer may do in the series
        # (never who they are), today, the site's prefix, and the code (row_cache_key).
        parts = (f.id, f.series_generation, generation.everything, today, prefix)
        keys[f.id] = row_cache_key(parts + (may_edit, reports, office))
    store = caches[ROWS]
    cached = store.get_many(list(keys.values()))
    missing = [f.id for f in found if keys[f.id] not in cached]
    if missing:
        rows = build_rows(
            facts.children(missing),
            editable_ids=editable_ids,
            report_ids=report_ids,
            office=office,
            today=today,
        )
        built = {row.id: (render_row(row), series_actions([row])[0]) for row in rows}
        store.set_many({keys[i]: value for i, value in built.items()}, ROWS_SECONDS)
        cached.update({keys[i]: value for i, value in built.items()})
    parts_html = []
    series: dict[int, SeriesActions] = {}
    for f in found:
        value = cached.get(keys[f.id])
        if value is None:  # gone between the search and the read: not shown
            continue
        html, actions = value
        parts_html.append(html)
        series.setdefault(actions.parent_id, actions)
    return mark_safe("".join(parts_html)), tuple(series.values())


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
