"""The boards' answers to a learner submission: a results file with, for every record sent, its
status (accepted or rejected) and the reason of a rejection.

The file must be well formed and name only records the app exported; otherwise it is refused as a
whole, with the line numbers, and nothing changes.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from .codes import STATE_TARGET, Board
from .completions import ParsError
from .layouts import ANSWER_COLUMNS, LEARNER_COLUMNS
from .learner_rules import ACCEPTED, ADD, REJECTED
from .models import AnswerImport, CompletionRecord

MAX_ROWS = 100_000
MAX_ERRORS = 50
REQUIRED = (
    "provider activity id",
    "completion date",
    "certifying board",
    "board id",
    "license state",
    "license id",
    "npi",
    "status",
)
_NUMBERED = re.compile(r"^\d+\.\s*")
_STATUS = {"accepted": ACCEPTED, "accept": ACCEPTED, "rejected": REJECTED, "reject": REJECTED}
_BOARDS = {b.lower(): b for b in Board.values}


class AnswerFileError(ParsError):
    def __init__(self, errors: list[str]):
        shown = errors[:MAX_ERRORS]
        more = len(errors) - len(shown)
        super().__init__("bad_file", "The results file was refused; nothing was changed.")
        self.errors = shown + ([f"... and {more} more."] if more > 0 else [])


def _name(header: str) -> str:
    return " ".join(_NUMBERED.sub("", str(header or "")).strip().lower().split())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes) -> list[list[str]]:
    """Rows of cells (the first is the header) from an .xlsx workbook or UTF-8 text."""
    if data[:4] == b"PK\x03\x04":
        # openpyxl (with lxml, ~11 MB) loads with the first answer file, not in every web worker.
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append([_cell(v) for v in row])
                if len(rows) > MAX_ROWS + 1:
                    break
            book.close()
            return rows
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
            raise AnswerFileError([f"The file is not a readable Excel workbook ({exc})."]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswerFileError(["The file is neither an Excel workbook nor UTF-8 text."]) from None
    if "\x00" in text:
        raise AnswerFileError(["The file is neither an Excel workbook nor UTF-8 text."])
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ","
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _getter(row: list[str], col: dict[str, int]):
    def get(name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    return get


def _date(text: str) -> date | None:
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Answer:
    line: int
    record: CompletionRecord
    status: str
    reason: str


def parse(rows: list[list[str]]) -> list[Answer]:
    """Match every line to an exported record; raise AnswerFileError listing every problem."""
    if not rows or not any(rows[0]):
        raise AnswerFileError(["Line 1: the file is empty; it needs a header row."])
    if len(rows) > MAX_ROWS + 1:
        raise AnswerFileError([f"The file has more than {MAX_ROWS:,} lines."])
    header = [_name(h) for h in rows[0]]
    missing = [n for n in REQUIRED if n not in header]
    if missing:
        known = ", ".join(name for name, _ in LEARNER_COLUMNS) + ", " + ", ".join(ANSWER_COLUMNS)
        raise AnswerFileError(
            [f"Line 1: missing column(s) {', '.join(missing)} (expected: {known})."]
        )
    col = {name: header.index(name) for name in header if name}
    errors, parsed = [], []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        get = _getter(row, col)
        status = _STATUS.get(get("status").lower())
        pid, day, board = (
            get("provider activity id"),
            _date(get("completion date")),
            get("certifying board"),
        )
        line_errors = []
        if status is None:
            line_errors.append(
                f"Line {n}: status {get('status')!r} is neither Accepted nor Rejected."
            )
        if not pid.isdigit():
            line_errors.append(f"Line {n}: Provider Activity ID {pid!r} is not a number.")
        if day is None:
            line_errors.append(
                f"Line {n}: completion date {get('completion date')!r} is not MM/DD/YYYY."
            )
        if board and board.lower() not in _BOARDS:
            line_errors.append(f"Line {n}: {board!r} is not a certifying board PARS knows.")
        if line_errors:
            errors += line_errors
            continue
        target = _BOARDS[board.lower()] if board else STATE_TARGET
        ident = (
            (get("board id").upper(),)
            if board
            else (get("license state").upper(), get("license id").upper(), get("npi"))
        )
        reason = get("reason")[:500]
        parsed.append((n, int(pid), target, day, ident, status, reason))
    if errors:
        raise AnswerFileError(errors)
    sent = _sent_records(parsed)
    answers, seen = [], {}
    for n, pid, target, day, ident, status, reason in parsed:
        record = sent.get((pid, target, day, ident))
        if record is None:
            what = ident[0] if target != STATE_TARGET else " ".join(x for x in ident if x)
            errors.append(
                f"Line {n}: no record was exported for series {pid}, {target} {what}, "
                f"{day:%m/%d/%Y}."
            )
            continue
        if record.pk in seen:
            errors.append(f"Line {n}: the same record as line {seen[record.pk]}.")
            continue
        seen[record.pk] = n
        if status == REJECTED and not reason:
            reason = "No reason given."
        answers.append(Answer(n, record, status, reason))
    if errors:
        raise AnswerFileError(errors)
    return answers


def _sent_records(parsed) -> dict:
    """The last record added for each (series, target, date, identifier) the file names."""
    pids = {p[1] for p in parsed}
    days = {p[3] for p in parsed}
    out = {}
    rows = CompletionRecord.objects.filter(
        action=ADD, parent_id__in=pids, completed__in=days
    ).order_by("id")
    for r in rows.iterator(chunk_size=5000):
        ident = (
            (r.board_id.upper(),)
            if r.target != STATE_TARGET
            else (r.license_state.upper(), r.license_number.upper(), r.npi)
        )
        out[(r.parent_id, r.target, r.completed, ident)] = r
    return out


@transaction.atomic
def import_answers(*, file_name: str, data: bytes, by, now: datetime | None = None) -> AnswerImport:
    now = now or timezone.now()
    answers = parse(read_table(data))
    records = []
    for a in answers:
        a.record.status, a.record.reason, a.record.answered_at = a.status, a.reason, now
        if a.status == ACCEPTED:
            a.record.resolved_at = None
        records.append(a.record)
    CompletionRecord.objects.bulk_update(
        records, ["status", "reason", "answered_at", "resolved_at"], batch_size=2000
    )
    return AnswerImport.objects.create(
        file_name=file_name[:255],
        by=by,
        at=now,
        accepted=sum(1 for a in answers if a.status == ACCEPTED),
        rejected=sum(1 for a in answers if a.status == REJECTED),
    )
