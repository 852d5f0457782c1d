"""Database helpers the ORM lacks."""

from collections.abc import Sequence

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
