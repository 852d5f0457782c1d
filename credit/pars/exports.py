"""The files PARS takes: activities (one row per series-year) and learner completions, each as
an Excel workbook (openpyxl, write-only) and as tab-delimited text.

Renderers return (filename, content_type, body) like every renderer of the project; here `body`
is a file object (Excel, written to a temporary file row by row) or an iterator of byte chunks
(text), so a whole institution's year streams out without being held in memory.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.utils import timezone

from .layouts import (
    LEARNER_HEADER,
    ActivityRow,
    activity_cells,
    activity_header,
    learner_cells,
    text_of,
)
from .models import CompletionExport
from .selectors_facts import Counts, Sessions, counts_of, report_of, sessions_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TXT = "text/plain; charset=utf-8"


def xlsx_file(title: str, header: list[str], rows: Iterable[list]):
    """A workbook with one sheet: the header row, then the rows (credit/pars/workbook.py)."""
    # openpyxl (with lxml, ~11 MB) loads with the first Excel export, not in every web worker.
    from .workbook import write_only_file

    return write_only_file(title, header, rows)


def txt_chunks(rows: Iterable[list], *, every: int = 500) -> Iterator[bytes]:
    """Tab-delimited rows, CRLF line ends, UTF-8, no header row (ACCME's instructions: the
    heading row is deleted before saving the template as tab-delimited text)."""
    lines = []
    for row in rows:
        lines.append("\t".join(text_of(v) for v in row))
        if len(lines) >= every:
            yield ("\r\n".join(lines) + "\r\n").encode("utf-8")
            lines = []
    if lines:
        yield ("\r\n".join(lines) + "\r\n").encode("utf-8")


# --- activities -------------------------------------------------------------------------------


def activity_rows(parents: list, now: datetime) -> tuple[list[str], list[list]]:
    """The header and one row per series-year, in a fixed number of queries."""
    sessions = sessions_of(parents, now)
    counts = counts_of([p.pk for p in parents])
    items = [
        ActivityRow(p, report_of(p), sessions.get(p.pk, Sessions()), counts.get(p.pk, Counts()))
        for p in parents
    ]
    groups = max([1] + [len(i.report.supporters.all()) for i in items if i.report is not None])
    return activity_header(groups), [activity_cells(i, groups) for i in items]


def activities_file(parents: list, *, year: int, file_format: str, now=None, label=""):
    now = now or timezone.now()
    header, rows = activity_rows(parents, now)
    name = f"pars-activities-{year}{label}"
    if file_format == "xlsx":
        return f"{name}.xlsx", XLSX, xlsx_file("Activities", header, rows)
    return f"{name}.txt", TXT, txt_chunks(rows)


# --- learner completions -----------------------------------------------------------------------


def completion_rows(export: CompletionExport) -> Iterator[list]:
    for record in export.records.order_by("id").iterator(chunk_size=2000):
        yield learner_cells(record)


def completions_file(export: CompletionExport, *, file_format: str):
    name = f"pars-learners-{export.year}-{export.pk}"
    if file_format == "xlsx":
        return f"{name}.xlsx", XLSX, xlsx_file("Learners", LEARNER_HEADER, completion_rows(export))
    return f"{name}.txt", TXT, txt_chunks(completion_rows(export))
