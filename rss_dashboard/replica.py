"""Reports and exports read from the replica (DATABASE_REPLICA_URL), everything else from the
primary (docs/scaling.md).

A replica answers reads only and lags the primary by a moment, so only reads that tolerate that
go there: the GET requests of the views named in REPORT_VIEWS (reports, CSV and PARS exports,
the evaluation summary, a learner's transcript CSV) and `replica_reads()` blocks (the status
report). Inside those, the first write (an export's record, a session save) sends every later
read of the same request to the primary, as does an open transaction on the primary. Sessions and
sign-in throttling are always read from the primary: a session created a moment ago may not be on
the replica yet. Without a replica every alias is "default" and nothing here changes a query.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connections

REPLICA = "replica"

# URL names whose GET (and HEAD) requests read from the replica: reports and exports, by design
# read-only or writing only a record of the export (then the rest of the request reads the
# primary). Kept here, not on the views, so one list says what may lag.
REPORT_VIEWS = frozenset(
    {
        # a series' reports page and its CSVs; a session's attendance CSV
        "parent_reports",
        "parent_summary_csv",
        "parent_pars_csv",
        "child_attendance_csv",
        # a learner's transcript as CSV
        "transcript_csv",
        # the evaluation summary and its CSVs (issue 17)
        "evaluation_summary",
        "evaluation_figures_csv",
        "evaluation_comments_csv",
        "evaluation_respondents_csv",
        # PARS: the year's "ready to close" page, the activity exports, the learner batches, the
        # annual program summary (issue 16)
        "pars_year",
        "pars_activities_xlsx",
        "pars_activities_txt",
        "pars_batch_xlsx",
        "pars_batch_txt",
    }
)
# Never from the replica, even inside a report: lag here would sign people out or lose a lockout.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes"})


@dataclass
class _Scope:
    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("replica_scope", default=None)


def has_replica() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads(scope: _Scope | None = None):
    """Reads in this block go to the replica (if there is one) until something writes."""
    token = _scope.set(scope or _Scope())
    try:
        yield
    finally:
        _scope.reset(token)


def _streamed(scope: _Scope, chunks: Iterable) -> Iterator:
    """A streaming body reads as it goes, after the view returned: each chunk is produced inside
    the request's scope (set and reset around each one, so nothing leaks if the body is dropped)."""
    iterator = iter(chunks)
    while True:
        with replica_reads(scope):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReplicaReadsMiddleware:
    """Opens a replica scope around the views of REPORT_VIEWS (GET and HEAD only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD") or not has_replica():
            return None
        match = request.resolver_match
        if match is None or match.url_name not in REPORT_VIEWS:
            return None
        scope = _Scope()
        with replica_reads(scope):
            response = view_func(request, *view_args, **view_kwargs)
        if getattr(response, "streaming", False):
            response.streaming_content = _streamed(scope, response.streaming_content)
        return response


class ReplicaRouter:
    """Reads inside a replica scope go to "replica"; all else (and all writes) to "default"."""

    def db_for_read(self, model, **hints):
        scope = _scope.get()
        if scope is None or scope.wrote or not has_replica():
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return None
        if connections["default"].in_atomic_block:
            return None  # a transaction on the primary reads its own writes
        return REPLICA

    def db_for_write(self, model, **hints):
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two doors

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
