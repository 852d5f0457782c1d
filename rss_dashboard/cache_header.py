"""Whether a page was served from its cache, for measuring (`X-Dashboard-Cache: hit|miss` when
settings.DEBUG_CACHE_HEADER is on; benchmarks/multi_process.py counts it across processes).

The code that builds what is cached calls `note_built()`; the view wraps the cached read in
`watch()` and reports a miss if anything was built inside. Independent of how the cache is keyed
or where it lives.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

HEADER = "X-Dashboard-Cache"


@dataclass
class Watched:
    built: bool = False


_watched: ContextVar[Watched | None] = ContextVar("cache_watched", default=None)


def note_built() -> None:
    watched = _watched.get()
    if watched is not None:
        watched.built = True


@contextmanager
def watch() -> Iterator[Watched]:
    watched = Watched()
    token = _watched.set(watched)
    try:
        yield watched
    finally:
        _watched.reset(token)


def mark(response, watched: Watched) -> None:
    from django.conf import settings

    if settings.DEBUG_CACHE_HEADER:
        response[HEADER] = "miss" if watched.built else "hit"
