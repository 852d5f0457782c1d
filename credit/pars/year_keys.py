"""The keys of the office's year page (year.py): what each series' check is read from, read in
one statement, and the cache keys made of them."""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection

from activities.dashboard.triggers import SERIES_TABLE
from activities.models import Department, ParentActivity, ParentState
from credit.models import Claim

from .models import CommercialSupport, MocRegistration, SeriesReport


def _tables() -> dict[str, str]:
    return {
        name: model._meta.db_table
        for name, model in (
            ("parent", ParentActivity),
            ("department", Department),
            ("report", SeriesReport),
            ("support", CommercialSupport),
            ("moc", MocRegistration),
            ("claim", Claim),
        )
    }


def _marks_sql(t: dict[str, str]) -> tuple[str, str]:
    """What each series' check is read from besides its sessions: its own row and its department
    (`xmin`, the transaction that last wrote the row, moves with every write, whoever wrote: a
    save, a bare `update()`, psql), its PARS fields (`xmin`), its sources and MOC registrations
    (their number and the sum of their `xmin`: one added, changed or removed), and its sessions'
    generation (activities/dashboard/triggers.py: moved at the commit of any change to them).
    (the columns, the FROM clause; `%s` the year.)"""
    both = (
        "SELECT report_id, count(*) AS n, sum(xmin::text::bigint)::text AS x FROM ("
        f"SELECT report_id, xmin FROM {t['support']} "
        f"UNION ALL SELECT report_id, xmin FROM {t['moc']}) u GROUP BY report_id"
    )
    columns = "p.state, g.n, p.xmin::text, d.xmin::text, r.xmin::text, s.n, s.x"
    tables = (
        f"FROM {t['parent']} p JOIN {t['department']} d ON d.id = p.department_id "
        f"LEFT JOIN {SERIES_TABLE} g ON g.parent_id = p.id "
        f"LEFT JOIN {t['report']} r ON r.parent_id = p.id "
        f"LEFT JOIN ({both}) s ON s.report_id = r.id "
        "WHERE p.year = %s"
    )
    return columns, tables


def year_mark(year: int) -> tuple[str | None, int | None]:
    """One digest of every series' marks (`_marks_sql`), made by the database (the page's key,
    read on every load), and the newest claim."""
    t = _tables()
    columns, tables = _marks_sql(t)
    sql = (
        f"SELECT md5(string_agg(ROW(p.id, {columns})::text, ';' ORDER BY p.id)), "
        f"(SELECT max(id) FROM {t['claim']}) {tables}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        mark, newest = cursor.fetchone()
    return mark, newest


def series_marks(year: int) -> tuple[dict[int, tuple], list[int], list]:
    """Every series of the year with its marks (`_marks_sql`), in one statement: the approved
    series' marks, in the table's order, and the departments of the year."""
    columns, tables = _marks_sql(_tables())
    sql = f"SELECT p.id, d.id, d.name, {columns} {tables} ORDER BY p.name, p.id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        rows = cursor.fetchall()
    marks: dict[int, tuple] = {}
    order: list[int] = []
    departments: dict[int, str] = {}
    for pid, dept, dept_name, state, *mark in rows:
        departments[dept] = dept_name
        if state == ParentState.APPROVED:
            order.append(pid)
            marks[pid] = tuple(mark)
    named = sorted(departments.items(), key=lambda d: (d[1].casefold(), d[1], d[0]))
    return marks, order, named


@cache
def _code() -> str:
    """The code that turns rows into the table: a deploy never serves what the previous release
    built under the same keys."""
    base = Path(settings.BASE_DIR)
    files = sorted(
        [
            *(base / "credit" / "pars").glob("*.py"),
            base / "credit" / "rules.py",
            *(base / "templates" / "pars").glob("_*.html"),
        ]
    )
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(name: str, parts: tuple) -> str:
    raw = repr((_code(), parts)).encode()
    return f"pars:{name}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"
