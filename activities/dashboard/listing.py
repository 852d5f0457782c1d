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
import zlib
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.paginator import Page, Paginator
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString

from activities.access import editable_parent_ids, report_parent_ids
from activities.forms import DashboardFilterForm
from activities.selectors_series import SeriesOption, dashboard_series_options
from rss_dashboard.cache_header import note_built

from . import selectors_facts as facts
from .cache import Generation, dashboard_generation, remember
from .html import render_rows
from .rows import ChildRow, SeriesActions, build_rows, series_actions
from .search_form import search_values
from .selectors_search import DashboardFilters, child_if_visible, page_of_ids
from .shared import shared_rows


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
    options_digest: str  # names the options in a cache key (dashboard_html)
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

    def listing() -> DashboardListing:
        note_built()  # X-Dashboard-Cache: miss (rss_dashboard/cache_header.py)
        return dashboard_listing(
            user, query, query.get("page") or 1, today=today, generation=generation
        )

    def render(found: DashboardListing) -> str:
        context = {**found.context(query), "csrf_token": TOKEN_MARK}
        return render_to_string(TEMPLATE, context, request)

    def build() -> bytes:
        found = listing()
        # The page around the rows is rendered again only when what it shows changed: its rows,
        # its series choices, the search and the viewer (`parts`). Not under `everything`: for
        # the office any change anywhere moves it, but seldom what the page they look at shows.
        shown = (found.listing.rows_html, found.listing.series, found.options_digest, found.can_add)
        digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
        key = (parts, found.listing.count, found.listing.number, found.listing.per_page, digest)
        return remember("render", key, 0, lambda: packed(render(found)))

    html = unpack(remember("page", parts, generation, build)) if cacheable else render(listing())
    return html.replace(TOKEN_MARK, get_token(request))


def packed(html: str) -> bytes:
    """A page kept compressed: about a tenth of its size in the cache (and on the wire to Redis),
    for well under a millisecond each way."""
    return zlib.compress(html.encode(), 1)


def unpack(page: bytes) -> str:
    return zlib.decompress(page).decode()


def dashboard_listing(
    user, query, page=1, *, today: date | None = None, generation: object = UNREAD
) -> DashboardListing:
    """The dashboard of `user` for the search in `query` (the request's GET), page `page`."""
    today = today or timezone.localdate()
    # Read before anything it covers (cache.py): a cached part is never older.
    if generation is UNREAD:
        generation = dashboard_generation(user)
    assert generation is None or isinstance(generation, Generation)
    # The picker offers the series still being run or reported (last year's report to ACCME is
    # due by March): older years are searched by date, not listed (issue 21's five years).
    since_year = today.year - 1
    options, options_digest = remember(
        "series",
        (viewer(user), since_year),
        generation and generation.everything,  # the series and roles change `everything`
        lambda: with_digest(dashboard_series_options(user, since_year=since_year)),
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
        options_digest=options_digest,
        listing=listing,
        can_add=editable_ids is None or bool(editable_ids),
        today=today,
    )


def with_digest(options: list[SeriesOption]) -> tuple[list[SeriesOption], str]:
    """The options and a digest of them, computed once when they are read."""
    raw = repr(options).encode()
    return options, hashlib.blake2b(raw, digest_size=16).hexdigest()


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
    those whose attendance and reports they may read (None: all). With a generation the rows come
    from those shared between users (shared.py: by series generation, else by content); the whole
    page around them is cached by `dashboard_html`."""
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
