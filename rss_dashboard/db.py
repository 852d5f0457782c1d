"""Database helpers the ORM lacks."""

from collections.abc import Sequence

from django.apps import apps
from django.db import connections, models, router


def bulk_update_rows(
    objs: Sequence[models.Model], fields: Sequence[str], batch_size: int = 500
) -> int:
    """Like QuerySet.bulk_update, but one `UPDATE ... FROM (VALUES ...)` per batch.

    Django's bulk_update builds a CASE WHEN per field and row, which costs more to compile than to
    run; the status engine writes thousands of rows at once. Works on PostgreSQL and SQLite >= 3.33.
    Returns the number of objects written (SQLite reports no row count for this statement).
    """
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    concrete = [meta.get_field(name) for name in fields]
    pk = meta.pk
    columns = [pk, *concrete]
    names = ", ".join(quote(f"c{i}") for i in range(len(columns)))
    # PostgreSQL types a VALUES column from its literals, so cast to the column type; SQLite must not
    # cast (CAST('2026-01-05' AS date) is 2026 there) and stores what it is given.
    typed = connection.vendor == "postgresql"

    def value(i: int, field) -> str:
        ref = f"v.{quote(f'c{i}')}"
        return f"CAST({ref} AS {field.db_type(connection)})" if typed else ref

    set_sql = ", ".join(f"{quote(f.column)} = {value(i + 1, f)}" for i, f in enumerate(concrete))
    table = quote(meta.db_table)
    where = f"{table}.{quote(pk.column)} = {value(0, pk)}"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            row = "(" + ", ".join(["%s"] * len(columns)) + ")"
            params: list = []
            for obj in batch:
                for f in columns:
                    params.append(f.get_db_prep_save(getattr(obj, f.attname), connection))
            sql = (
                f"WITH v({names}) AS (VALUES {', '.join([row] * len(batch))}) "
                f"UPDATE {table} SET {set_sql} FROM v WHERE {where}"
            )
            cursor.execute(sql, params)
    return len(objs)


class ReadByIds:
    """A `values_list` read whose SQL depends only on how many ids it is given: the ORM compiles
    it once per count (and process), later calls run that SQL with the new ids as parameters.

    For the dashboard's small fixed-shape reads Django's compiler costs more than PostgreSQL takes
    to run them. Values come back as the ORM's would: the compiler's own converters are kept and
    applied (JSON columns, for one), and the tests compare both paths. Other databases use the ORM.
    """

    _MARK = -(2**53)  # ids no row has, to find where the ids go in the compiled parameters

    def __init__(self, model: type[models.Model] | str, build):
        self.model = model  # what is read, or its "app.Model" label: chooses the database
        self.build = build  # build(ids) -> a values_list QuerySet over those ids
        self._compiled: dict[tuple[str, int], tuple] = {}

    def __call__(self, ids: Sequence[int]) -> list[tuple]:
        ids = list(ids)
        if not ids:
            return []
        if isinstance(self.model, str):
            self.model = apps.get_model(self.model)
        connection = connections[router.db_for_read(self.model)]
        if connection.vendor != "postgresql":
            return list(self.build(ids))
        key = (connection.alias, len(ids))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(connection, len(ids))
        sql, params, positions, converters = compiled
        params = list(params)
        for position, value in zip(positions, ids, strict=True):
            params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        converted = []
        for row in map(list, rows):  # as SQLCompiler.apply_converters, on this connection
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted

    def _compile(self, connection, n: int):
        marks = [self._MARK - i for i in range(n)]
        queryset = self.build(marks)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        positions = [params.index(mark) for mark in marks]
        if any(params.count(mark) != 1 for mark in marks):
            raise ValueError("each id must appear exactly once in the compiled query")
        # Django 5.2 selects a values_list's columns in the order it names them (Query.selected),
        # annotations included; the tests compare these rows with the ORM's.
        if query.selected is None or query.extra_select:
            raise ValueError("ReadByIds needs a values_list() without extra()")
        # The converters the ORM applies to these columns (JSON, for one).
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(selected).items())
        return sql, params, positions, converters
