"""The dashboard generation: one number that changes whenever anything the dashboard shows changes.

A dashboard page (its rows and the series a user may pick) is a pure function of the rows of a
handful of tables, the user and the search. PostgreSQL triggers on exactly those tables (installed by
migrations from `triggers.WATCHED`) add one to `rss_dashboard_generation` in every transaction that changes
them, whatever wrote: a view, a Celery job, the status engine's `UPDATE ... FROM VALUES`, the admin,
a bulk `QuerySet.update()` or psql. A page cached under the generation it was read at can therefore
never be served after a change it does not show.

Why it is safe:
- The increment is a deferred constraint trigger: it runs at COMMIT, so it commits atomically with
  the data, and the counter row is locked only for the instant of the commit (taking it in the middle
  of a transaction would make two writers deadlock on it).
- Readers read the generation first and the data after, each in its own snapshot (READ COMMITTED):
  data is never older than the generation it is stored under.
- A transaction that has itself written (a test's transaction, a view that writes first) sees its
  own uncommitted changes but not yet their increment: `pg_current_xact_id_if_assigned()` tells, and
  such a transaction does not use the cache.
- A row updated to identical values, or a person's sign-in (`last_login`), does not count.

On SQLite (the development default) there are no triggers and nothing is cached. PostgreSQL 13
or newer (`pg_current_xact_id_if_assigned`); production runs 16.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from activities.rules import VIEW_ROLES, sees_everything

from .triggers import SERIES_TABLE, TABLE

T = TypeVar("T")

CACHE = "dashboard"  # whole results per user (settings.CACHES; Redis when configured)
CACHE_SECONDS = 10 * 60
ROWS = "dashboard_rows"  # rows shared between users (settings.CACHES; Redis when configured)
ROWS_SECONDS = 60 * 60


@dataclass(frozen=True)
class Generation:
    """The generations a user's page depends on (triggers.py): `everything` (what every page may
    show) and `scope`, the newest change to the series the user sees (for those who see every
    series, the newest change of all). A cache key made of both goes out of date exactly when
    something the page may show has changed."""

    everything: int
    scope: int


def dashboard_generation(user=None) -> Generation | None:
    """The current generation for `user` (None: as for someone who sees everything), or None when
    a cached page must not be used: not PostgreSQL, DEBUG (templates change under the development
    server), or this transaction has written."""
    if connection.vendor != "postgresql" or settings.DEBUG:
        return None
    sql = f"SELECT n, everything, pg_current_xact_id_if_assigned() IS NULL FROM {TABLE}"
    params: list = []
    if user is not None and not sees_everything(user):
        # The newest change of the user's own series (their roles change `everything`).
        sql = (
            f"SELECT (SELECT coalesce(max(s.n), 0) FROM {SERIES_TABLE} s WHERE s.parent_id IN "
            "(SELECT r.parent_id FROM activities_parentrole r WHERE r.person_id = %s "
            "AND r.role = ANY(%s))), "
            f"everything, pg_current_xact_id_if_assigned() IS NULL FROM {TABLE}"
        )
        params = [user.pk, list(VIEW_ROLES)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    if found is None or not found[2]:
        return None
    return Generation(everything=found[1], scope=found[0])


@cache
def code_digest() -> str:
    """A digest of the code that turns rows into pages: a deploy never serves a page built by the
    previous release under the same generation."""
    base = Path(settings.BASE_DIR)
    # The rows are built by activities with the rules and names of disclosures and faculty.
    sources = [
        base / app for app in ("activities", "activities/dashboard", "disclosures", "faculty")
    ]
    files = sorted(
        [
            *(path for source in sources for path in source.glob("*.py")),
            *(base / "templates" / "activities").glob("*.html"),
        ]
    )
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def remember(name: str, parts: tuple, generation: object, build: Callable[[], T]) -> T:
    """`build()`, cached under (name, parts, generation) when there is a generation. `parts` must
    name everything besides the watched tables that the result depends on (the user, the search,
    today)."""
    if generation is None:
        return build()
    raw = repr((code_digest(), generation, parts)).encode()
    key = f"dash:{name}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"
    store = caches[CACHE]
    found = store.get(key)
    if found is None:
        found = build()
        store.set(key, found, CACHE_SECONDS)
    return found


def row_cache_key(parts: tuple) -> str:
    """The key of a shared row: `parts` must name everything besides the row's facts (its series'
    generation) that the row depends on."""
    raw = repr((code_digest(), parts)).encode()
    return f"dash:row:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"
