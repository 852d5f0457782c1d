"""Tables in uploaded attendance files: bytes to text (UTF-8, UTF-16, Windows-1252), header rows
found by their words, the rows under them, and the rows' plain shape. No database."""

import codecs
import csv
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

import filetype

from faculty.people import normalize_email
from rss_dashboard.errors import DomainError

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 40
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_SECTION = re.compile(r"^\s*\d+\.\s+\S")


class ReportError(DomainError):
    """codes: empty, binary, encoding, columns, no_rows, too_many_rows, platform, excel, dates."""


@dataclass(frozen=True)
class ReportRow:
    """One row of the file. kind: "interval" (a join and a leave), "span" (first join, last
    leave and the time in the meeting), "duration" (minutes only) or "roster" (signed in)."""

    line: int
    name: str
    email: str
    kind: str
    joined: datetime | None = None
    left: datetime | None = None
    seconds: int | None = None
    problem: str = ""


@dataclass(frozen=True)
class ReadReport:
    source: str  # "zoom", "teams" or "roster"
    rows: tuple[ReportRow, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def has_times(self) -> bool:
        return any(r.kind in ("interval", "span") for r in self.rows)


# --- columns, by their header's words -----------------------------------------------------------

COLUMNS: dict[str, frozenset[str]] = {
    "name": frozenset(
        {
            "name (original name)",
            "name",
            "participant",
            "participant name",
            "full name",
            "user name",
            "display name",
            "attendee",
            "attendee name",
            "learner",
            "printed name",
            "name (please print)",
        }
    ),
    "first_name": frozenset({"first name", "first", "given name", "firstname"}),
    "last_name": frozenset({"last name", "last", "surname", "family name", "lastname"}),
    "email": frozenset(
        {
            "user email",
            "email",
            "email address",
            "e-mail",
            "e-mail address",
            "attendee email",
            "participant email",
            "email (please print)",
        }
    ),
    "upn": frozenset({"participant id (upn)", "upn"}),
    "join": frozenset({"join time", "joined", "join", "joined at"}),
    "leave": frozenset({"leave time", "left", "leave", "left at"}),
    "first_join": frozenset({"first join", "first join time"}),
    "last_leave": frozenset({"last leave", "last leave time"}),
    "minutes": frozenset(
        {
            "duration (minutes)",
            "duration (mins)",
            "total duration (minutes)",
            "duration(minutes)",
            "total duration(minutes)",
            "time in session (minutes)",
        }
    ),
    "duration": frozenset(
        {"duration", "in-meeting duration", "in meeting duration", "attendance duration"}
    ),
}
ZOOM_MARKS = frozenset({"name (original name)", "user email", "total duration (minutes)"})
TEAMS_MARKS = frozenset(
    {"participant id (upn)", "in-meeting duration", "first join", "last leave", "role"}
)
TEAMS_SECTIONS = ("1. summary", "2. participants", "3. in-meeting activities")


def norm(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return " ".join(text.replace("\ufeff", "").strip().strip('"').lower().split())


def columns_of(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        word = norm(cell)
        for role, words in COLUMNS.items():
            if word in words and role not in found:
                found[role] = index
    return found


def is_report_header(cols: dict[str, int]) -> bool:
    timed = ("join" in cols and "leave" in cols) or ("first_join" in cols and "last_leave" in cols)
    return "name" in cols and (timed or "minutes" in cols or "duration" in cols)


def is_roster_header(cols: dict[str, int]) -> bool:
    named = "name" in cols or ("first_name" in cols and "last_name" in cols)
    return "email" in cols and named


# --- bytes to text ---------------------------------------------------------------------------


def kind_of(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind else None


def decode_text(data: bytes) -> str:
    """The text of a CSV as Zoom, Teams and Excel write it: UTF-8 with or without a byte-order
    mark, UTF-16 (Teams) with or without one, or Windows-1252 (Excel's plain "CSV")."""
    if not data.strip():
        raise ReportError("empty", "The file is empty.")
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError:
        raise ReportError(
            "encoding", "The file says it is Unicode text but is not: save it again as CSV."
        ) from None
    head = data[:4096]
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        half = len(head) // 2 or 1
        if odd > half * 0.4 and even < half * 0.05:
            encoding = "utf-16-le"
        elif even > half * 0.4 and odd < half * 0.05:
            encoding = "utf-16-be"
        else:
            raise _binary(head)
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise _binary(head) from None
    if kind_of(head) is not None:
        raise _binary(head)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _binary(head) from None
    controls = sum(
        1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f"
    )
    if controls > 4:
        raise _binary(head)
    return text


def _binary(head: bytes) -> ReportError:
    mime = kind_of(head)
    if mime in ("application/zip",) or (mime or "").startswith("application/vnd.openxmlformats"):
        return ReportError(
            "binary",
            "This is an Excel workbook (or another zip file), not a CSV. Upload a participant "
            "report as the CSV its platform exports; a roster may be an .xlsx file.",
        )
    what = f" (its content looks like {mime})" if mime else ""
    return ReportError("binary", f"This is not a text (CSV) file{what}.")


def sniff_delimiters(lines: list[str]) -> list[str]:
    sample = "\n".join(lines[:50])
    order = sorted(("\t", ",", ";"), key=lambda d: -sample.count(d))
    return order


def split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return [line]


# --- tables: the header row and the rows under it --------------------------------------------


@dataclass
class Table:
    header_line: int  # 1-based
    header: list[str]
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]]
    delimiter: str = ","


def find_tables(lines: list[str], *, is_header) -> list[Table]:
    """Every table in the text: a header row recognised by `is_header` and the rows under it, up
    to a blank line or a numbered section title ("3. In-Meeting Activities"). Lines outside a
    table (Zoom's meeting details, Teams' summary) are skipped."""
    delimiters = sniff_delimiters(lines)
    tables: list[Table] = []
    current: Table | None = None
    rows = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip() or (_SECTION.match(line) and len(split_line(line, "\t")) <= 1):
            current = None
            continue
        if current is None:  # looking for a header
            for delimiter in delimiters:
                cells = split_line(line, delimiter)
                if len(cells) > 1 and is_header(found := columns_of(cells)):
                    current = Table(number, cells, found, [], delimiter)
                    tables.append(current)
                    break
            continue
        cells = split_line(line, current.delimiter)
        if not any(c.strip() for c in cells):
            current = None
            continue
        current.rows.append((number, cells))
        rows += 1
        if rows > MAX_ROWS:
            raise ReportError(
                "too_many_rows",
                f"The file has more than {MAX_ROWS:,} rows; split it or upload one session's "
                "report.",
            )
    return tables


def cell(cells: list[str], cols: dict[str, int], role: str) -> str:
    index = cols.get(role)
    if index is None or index >= len(cells):
        return ""
    return " ".join(str(cells[index] or "").split())


def email_of(cells: list[str], cols: dict[str, int]) -> tuple[str, str]:
    """The row's address and a problem to list, if the cell holds something else. Teams' UPN is
    used when the Email column is empty and the UPN is a plain address (a guest's
    "x_gmail.com#EXT#@tenant" is not: reading an address out of it would be a guess)."""
    raw = cell(cells, cols, "email")
    if not raw:
        upn = cell(cells, cols, "upn")
        if _EMAIL.match(upn) and "#ext#" not in upn.lower():
            raw = upn
    if not raw:
        return "", ""
    email = normalize_email(raw)
    if _EMAIL.match(email):
        return email, ""
    return "", f'"{raw[:80]}" is not an email address'


def first_line(lines: list[str]) -> str:
    for line in lines:
        if line.strip():
            return line.strip()[:120]
    return ""
