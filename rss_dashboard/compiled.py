"""Fixed-shape reads compiled once: `ReadByIds`.

For small reads by id (the dashboard's facts, a learner's transcript) Django's compiler costs more
than PostgreSQL takes to run them, so the SQL is compiled once per number of ids (and process) and
later calls run it with the new ids as parameters.

The trap of such a cache is a parameter that is not an id: a value the SQL was compiled with would
silently stay. So every value the read depends on besides the ids is either
- passed as a keyword (`read(ids, today=d)` calls `build(ids, today=d)`): it is part of the
  compiled key, and a new value compiles anew; or
- a constant of the build (choices, a fixed filter). A build that reads something else that can
  change (the clock, a variable it closes over) is refused: the build runs twice when compiling and
  must give the same non-id parameters both times, and the values it closes over are compared at
  every call (a change recompiles).
"""

from collections import OrderedDict
from collections.abc import Callable, Sequence

from django.apps import apps
from django.db import connections, models, router

MAX_COMPILED = 64  # per read: a few page sizes times a few keyword values


def _hashable(value: tuple) -> object:
    try:
        hash(value)
    except TypeError:  # a list or a dict among them: compared by their text
        return repr(value)
    return value


class ReadByIds:
    """A `values_list` read whose SQL depends only on how many ids it is given and on its keyword
    parameters. Values come back as the ORM's would: the compiler's own converters are kept and
    applied (JSON columns, for one), and the tests compare both paths. Other databases use the ORM.
    """

    _MARK = -(2**53)  # ids no row has, to find where the ids go in the compiled parameters

    def __init__(self, model: type[models.Model] | str, build: Callable):
        self.model = model  # what is read, or its "app.Model" label: chooses the database
        self.build = build  # build(ids, **params) -> a values_list QuerySet over those ids
        self._compiled: OrderedDict[tuple, tuple] = OrderedDict()

    def _closed_over(self) -> object:
        cells = getattr(self.build, "__closure__", None) or ()
        return _hashable(tuple(cell.cell_contents for cell in cells))

    def __call__(self, ids: Sequence[int], **params) -> list[tuple]:
        ids = list(ids)
        if not ids:
            return []
        if isinstance(self.model, str):
            self.model = apps.get_model(self.model)
        connection = connections[router.db_for_read(self.model)]
        if connection.vendor != "postgresql":
            return list(self.build(ids, **params))
        # Keyword values and closed-over values are part of the key: a changed one compiles anew.
        key = (
            connection.alias,
            len(ids),
            _hashable(tuple(sorted(params.items()))),
            self._closed_over(),
        )
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(connection, len(ids), params)
            while len(self._compiled) > MAX_COMPILED:
                self._compiled.popitem(last=False)
        sql, template, positions, converters = compiled
        values = list(template)
        for position, value in zip(positions, ids, strict=True):
            values[position] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
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

    def compiled_keys(self) -> list[tuple[str, int]]:
        """(database, number of ids) of every compiled form, for the tests."""
        return sorted({(key[0], key[1]) for key in self._compiled})

    def _sql(self, connection, marks: list[int], params: dict):
        queryset = self.build(marks, **params)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, values = compiler.as_sql()
        return query, compiler, sql, list(values)

    def _compile(self, connection, n: int, params: dict):
        marks = [self._MARK - i for i in range(n)]
        query, compiler, sql, values = self._sql(connection, marks, params)
        if any(values.count(mark) != 1 for mark in marks):
            raise ValueError("each id must appear exactly once in the compiled query")
        positions = [values.index(mark) for mark in marks]
        # Built again: a parameter that is not an id and not a keyword must not change (the clock,
        # for one, would be frozen at its first value).
        _q, _c, sql_again, values_again = self._sql(connection, marks, params)
        if sql_again != sql or values_again != values:
            raise ValueError(
                "ReadByIds: the query changes between two builds; pass what changes as a keyword"
            )
        # Django 5.2 selects a values_list's columns in the order it names them (Query.selected),
        # annotations included; the tests compare these rows with the ORM's.
        if query.selected is None or query.extra_select:
            raise ValueError("ReadByIds needs a values_list() without extra()")
        # The converters the ORM applies to these columns (JSON, for one).
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(selected).items())
        return sql, values, positions, converters
