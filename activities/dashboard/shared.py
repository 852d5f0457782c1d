"""Dashboard rows shared between users (cache.ROWS; Redis when configured): each row's HTML and its
series bar entry, kept under two keys.

- By generation: the session, its series' generation, `everything` and what the viewer may do in
  the series (never who they are), the day and the site's prefix. While its series has not
  changed, a row costs no read at all; the coordinators of a series and the office share it.
- By content: a digest of everything the row is built from (row_facts.RowFacts.of), the same
  viewer parts, the day and the settings it prints. A change that moves `everything` (a closure
  day, a role, a series renamed) or a series' generation makes the rows be read again, but only
  rows whose facts really changed are built and rendered again.
"""

import zlib
from datetime import date

from django.conf import settings
from django.core.cache import caches
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

from . import selectors_facts as facts
from .cache import ROWS, ROWS_SECONDS, Generation, row_cache_key
from .html import render_row
from .row_facts import read_row_facts
from .rows import RowBuilder, SeriesActions, series_actions
from .selectors_search import Found

Shared = tuple[bytes, SeriesActions]  # a row's compressed HTML and its series bar entry


def shared_rows(
    found: list[Found],
    generation: Generation,
    *,
    editable_ids: set[int] | None,
    report_ids: set[int] | None,
    office: bool,
    today: date,
) -> tuple[SafeString, tuple[SeriesActions, ...]]:
    """The rows' HTML and series bar, each row from the shared cache when its series has not
    changed since it was built; the others from `rows_by_content`."""
    prefix = get_script_prefix()
    keys = {}
    for f in found:
        may_edit = editable_ids is None or f.parent_id in editable_ids
        reports = report_ids is None or f.parent_id in report_ids
        parts = (f.id, f.series_generation, generation.everything, today, prefix)
        keys[f.id] = row_cache_key(parts + (may_edit, reports, office))
    store = caches[ROWS]
    cached = store.get_many(list(keys.values()))
    missing = [f.id for f in found if keys[f.id] not in cached]
    if missing:
        built = rows_by_content(
            missing,
            editable_ids=editable_ids,
            report_ids=report_ids,
            office=office,
            today=today,
            prefix=prefix,
        )
        by_generation = {keys[i]: value for i, value in built.items()}
        store.set_many(by_generation, ROWS_SECONDS)
        cached.update(by_generation)
    parts_html = []
    series: dict[int, SeriesActions] = {}
    for f in found:
        value = cached.get(keys[f.id])
        if value is None:  # gone between the search and the read: not shown
            continue
        html, actions = value
        parts_html.append(zlib.decompress(html).decode())
        series.setdefault(actions.parent_id, actions)
    return mark_safe("".join(parts_html)), tuple(series.values())


def rows_by_content(
    child_ids: list[int],
    *,
    editable_ids: set[int] | None,
    report_ids: set[int] | None,
    office: bool,
    today: date,
    prefix: str,
) -> dict[int, Shared]:
    """The rows of `child_ids` (those still there), read from the database; each row is built
    and rendered only when no row with the same content is in the shared cache."""
    children = facts.children(child_ids)
    if not children:
        return {}
    row_facts = read_row_facts(children)
    builder = RowBuilder(
        row_facts, today=today, editable_ids=editable_ids, report_ids=report_ids, office=office
    )
    # Besides the facts: the calendar's closure days, the day, the viewer, the site's prefix and
    # the settings a row prints (row_cache_key adds the code).
    common = (
        row_facts.calendar_key(),
        today,
        prefix,
        settings.OFFICE_NAME,
        settings.TIME_ZONE,
    )
    keys = {
        c.id: row_cache_key(("content", row_facts.of(c), builder.viewer(c.parent_id), common))
        for c in children
    }
    store = caches[ROWS]
    found = store.get_many(list(keys.values()))
    built = {}
    for child in children:
        if keys[child.id] not in found:
            row = builder.row(child)
            html = zlib.compress(render_row(row).encode(), 1)
            built[keys[child.id]] = (html, series_actions([row])[0])
    if built:
        store.set_many(built, ROWS_SECONDS)
        found.update(built)
    return {c.id: found[keys[c.id]] for c in children}
