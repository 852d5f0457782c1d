"""Following the queue the reviewer is in: its filters, search and order (issue 15).

The queue page passes its query string to each review page as `_changelist_filters` (the
admin's own convention for "back to the list"); the review page rebuilds the same changelist
from it to find the previous and next item, and "Record and review the next" moves to the item
after this one in the order the reviewer saw, skipping what left the queue with the decision.
"""

from copy import copy
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import QueryDict

FILTERS_PARAM = "_changelist_filters"


@dataclass(frozen=True)
class QueuePosition:
    """Where an item stands in a queue: `index` is 0-based, None when it is not in it."""

    index: int | None
    total: int
    previous_id: int | None
    next_id: int | None


def position(ids: list[int], current: int) -> QueuePosition:
    """The item's place in the ordered ids; outside the queue, "next" is the queue's first."""
    if current not in ids:
        return QueuePosition(None, len(ids), None, ids[0] if ids else None)
    i = ids.index(current)
    return QueuePosition(
        i,
        len(ids),
        ids[i - 1] if i > 0 else None,
        ids[i + 1] if i + 1 < len(ids) else None,
    )


def next_after_decision(before: list[int], current: int, after: list[int]) -> int | None:
    """The next item to review once `current` is decided: the first item that followed it in
    the order the reviewer saw (`before`) and is still in the queue (`after`: a decision can take
    items away, e.g. "apply to the series"). None at the end of the queue: it does not wrap
    around to the items the reviewer skipped, which stay in the queue for the list to show."""
    still = set(after) - {current}
    following = before[before.index(current) + 1 :] if current in before else before
    return next((pk for pk in following if pk in still), None)


def queue_filters(request) -> str:
    """The query string of the queue page the reviewer came from ("" for the whole queue)."""
    return request.GET.get(FILTERS_PARAM, "")


def with_filters(url: str, filters: str) -> str:
    """A review page's address that keeps following the same queue."""
    return f"{url}?{urlencode({FILTERS_PARAM: filters})}" if filters else url


@dataclass(frozen=True)
class QueueView:
    """A queue as the changelist shows it: its ids in order (all pages) and, in words, the
    filters and search that made it (empty for the whole queue)."""

    ids: list[int]
    labels: list[str]


def queue_view(model_admin, request, filters: str) -> QueueView:
    """Rebuild the changelist from its query string. Filters the changelist refuses (a stale or
    tampered address) mean the whole queue."""
    listing = copy(request)
    listing.method = "GET"
    for query in (filters, ""):
        listing.GET = QueryDict(query)
        try:
            # The plain ModelAdmin changelist: no per-row work for a page nobody sees.
            cl = admin.ModelAdmin.get_changelist_instance(model_admin, listing)
        except IncorrectLookupParameters:
            continue
        labels = []
        for spec in cl.filter_specs:
            if spec.has_output() and any(p in listing.GET for p in spec.expected_parameters()):
                chosen = next((c for c in spec.choices(cl) if c.get("selected")), None)
                if chosen is not None:
                    labels.append(f"{spec.title}: {chosen['display']}")
        if cl.query:
            labels.append(f'search "{cl.query}"')
        return QueueView(list(cl.queryset.values_list("pk", flat=True)), labels)
    return QueueView([], [])


def queue_ids(model_admin, request, filters: str) -> list[int]:
    return queue_view(model_admin, request, filters).ids
