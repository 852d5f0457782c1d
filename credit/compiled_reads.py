"""Reads whose statement is the same on every request but for a few values, compiled by the ORM
once per process (issue 21: compiling the transcript page's two reads cost more than PostgreSQL
took to answer them, 2-3 ms of its 13).

`build(*values)` returns the queryset; it is compiled with stand-in values, which are then
swapped for the real ones. PostgreSQL only: its driver returns what the ORM would (Decimal,
bool); elsewhere `rows` runs the queryset itself, so the same code serves SQLite's tests."""

import functools
from collections.abc import Callable

from django.db import connections, router
from django.db.models import Model, QuerySet

# Stand-ins for the values, within every integer field's range (the ORM drops a comparison with a
# value out of a field's range); no constant of these statements equals one (`_statement` checks).
_STAND_INS = (32_001, 32_002, 32_003)


@functools.cache
def _statement(
    build: Callable[..., QuerySet], n: int, limit: int | None, alias: str
) -> tuple[str, tuple]:
    queryset = build(*_STAND_INS[:n])
    if limit is not None:
        queryset = queryset[:limit]
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    if sum(map(_stands_in, params)) != n or any(str(v) in sql for v in _STAND_INS):
        raise ValueError(f"{build.__name__}: each value must be a parameter of the statement")
    return sql, tuple(params)


def rows(
    model: type[Model], build: Callable[..., QuerySet], *values: int, limit: int | None = None
) -> list[tuple]:
    """The rows of `build(*values)[:limit]` (a values_list), as the ORM would return them."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        queryset = build(*values)
        return list(queryset if limit is None else queryset[:limit])
    sql, params = _statement(build, len(values), limit, alias)
    swap = dict(zip(_STAND_INS, values, strict=False))
    with connection.cursor() as cursor:
        # type(p): the driver's own int types (Int2 for a small integer field) are kept.
        cursor.execute(sql, [type(p)(swap[p]) if _stands_in(p) else p for p in params])
        return cursor.fetchall()


def _stands_in(param) -> bool:
    return isinstance(param, int) and not isinstance(param, bool) and param in _STAND_INS
