"""Reading a sign-in roster (CSV or Excel .xlsx: a name, or first and last names, and an email
per row) into plain rows. No database."""

import io
import zipfile
from collections.abc import Iterator
from datetime import datetime

from .readers_tables import (
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    ReadReport,
    ReportError,
    ReportRow,
    cell,
    columns_of,
    decode_text,
    email_of,
    is_report_header,
    is_roster_header,
    sniff_delimiters,
    split_line,
)

MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_COLUMNS = 40

# --- rosters (sign-in sheets) ----------------------------------------------------------------


def read_roster(data: bytes, *, excel: bool) -> ReadReport:
    """Rows of a sign-in roster: a name (or first and last names) and an email per row."""
    if excel:
        table_rows = list(_excel_rows(data))
    else:
        text = decode_text(data)
        lines = text.splitlines()
        delimiters = sniff_delimiters(lines)
        table_rows = []
        for number, line in enumerate(lines, start=1):
            cells = split_line(line, delimiters[0])
            if len(cells) == 1:
                for other in delimiters[1:]:
                    if len(alt := split_line(line, other)) > 1:
                        cells = alt
                        break
            table_rows.append((number, cells))
            if number > MAX_ROWS:
                raise ReportError(
                    "too_many_rows", f"The file has more than {MAX_ROWS:,} rows; split it."
                )
    header_at = None
    for index, (_number, cells) in enumerate(table_rows[:HEADER_SEARCH_ROWS]):
        if is_roster_header(columns_of(cells)):
            header_at = index
            break
    if header_at is None:
        first = next(
            (" | ".join(c for c in cells if c) for _n, cells in table_rows if any(cells)), ""
        )
        if not first:
            raise ReportError("empty", "The file is empty.")
        raise ReportError(
            "columns",
            "This is not a roster: no row names a name column (Name, or First Name and Last "
            f'Name) and an Email column. The file begins with: "{first[:120]}".',
        )
    cols = columns_of(table_rows[header_at][1])
    if is_report_header(cols):
        raise ReportError(
            "columns",
            "This looks like a participant report (it has join and leave times or durations), "
            "not a sign-in roster: upload it as a participant report so that the minutes count.",
        )
    rows = []
    for number, cells in table_rows[header_at + 1 :]:
        name = cell(cells, cols, "name")
        if not name:
            first, last = cell(cells, cols, "first_name"), cell(cells, cols, "last_name")
            name = f"{last}, {first}" if first and last else (last or first)
        email, problem = email_of(cells, cols)
        if not name and not email:
            continue
        rows.append(ReportRow(number, name, email, "roster", problem=problem))
    if not rows:
        raise ReportError("no_rows", "The roster has a header but no rows.")
    return ReadReport(source="roster", rows=tuple(rows))


def _excel_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # only for rosters uploaded as Excel
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ReportError("excel", "This is not a readable Excel (.xlsx) workbook.") from None
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise ReportError("excel", "This workbook unpacks to more than 100 MB; save a smaller one.")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ReportError("excel", "This is not a readable Excel (.xlsx) workbook.") from None
    try:
        if not book.worksheets:
            raise ReportError("empty", "The workbook has no sheets.")
        sheet = book.worksheets[0]
        for number, values in enumerate(
            sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
        ):
            if number > MAX_ROWS:
                raise ReportError(
                    "too_many_rows", f"The sheet has more than {MAX_ROWS:,} rows; split it."
                )
            yield number, [_excel_text(v) for v in values]
    finally:
        book.close()


def _excel_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)
