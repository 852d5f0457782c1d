"""Reading a participant report (Zoom, Microsoft Teams) or a sign-in roster (CSV, Excel) into
plain rows. No database: the bytes of the file and the session's day and time zone go in, rows
come out, or a ReportError that names what is wrong with the file.

What the platforms write (docs/attendance.md has the sources and what we assumed):
- Zoom's meeting participant report: CSV; with "Export with meeting data" a block of meeting
  details and a blank line come first; then "Name (Original Name), User Email, Join Time, Leave
  Time, Duration (Minutes), Guest" (+ "Recording Consent" or "In Waiting Room"), one row per
  join, so a person who rejoined has several rows. "Show unique users" gives one row per person
  with "Total Duration (Minutes)" and no times. Guests have no email.
- Teams' attendance report: tab-separated, UTF-16 with a byte-order mark, despite the .csv name;
  numbered sections "1. Summary", "2. Participants" (Name, First Join, Last Leave, In-Meeting
  Duration, Email, Participant ID (UPN), Role) and "3. In-Meeting Activities" (Name, Join Time,
  Leave Time, Duration, Email, Role: one row per join). Durations are text: "1h 2m 3s".
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from .readers_tables import (
    TEAMS_MARKS,
    TEAMS_SECTIONS,
    ZOOM_MARKS,
    ReadReport,
    ReportError,
    ReportRow,
    Table,
    cell,
    decode_text,
    email_of,
    find_tables,
    first_line,
    is_report_header,
    norm,
)
from .rules_attendance import parse_duration, parse_report_time, readable_dates

# --- participant reports ---------------------------------------------------------------------


def read_participant_report(
    data: bytes, *, session_day: date, zone: ZoneInfo, platform: str = ""
) -> ReadReport:
    """Rows of a Zoom or Teams participant report. `platform`: "zoom", "teams", or "" to tell
    from the file."""
    text = decode_text(data)
    lines = text.splitlines()
    tables = find_tables(lines, is_header=is_report_header)
    if not tables:
        raise ReportError(
            "columns",
            "This is not a participant report: no row names the columns of one (a name and "
            "either join and leave times or a duration; Zoom: Name (Original Name), User Email, "
            "Join Time, Leave Time, Duration (Minutes); Teams: Name, Join Time, Leave Time, "
            f'Duration, Email). The file begins with: "{first_line(lines)}".',
        )
    # Per-join rows (Zoom's, Teams' In-Meeting Activities) say the most; then first/last spans.
    table = max(
        tables,
        key=lambda t: (
            "join" in t.columns and "leave" in t.columns,
            "first_join" in t.columns,
            len(t.rows),
        ),
    )
    source = _platform(lines, tables, platform)
    rows = [
        _report_row(number, cells, table.columns, session_day, zone) for number, cells in table.rows
    ]
    rows = [r for r in rows if r is not None]
    if not rows:
        raise ReportError(
            "no_rows", f"The participant table (line {table.header_line}) has no rows."
        )
    _check_dates(rows, table, session_day, zone)
    notes = []
    if "email" not in table.columns and "upn" not in table.columns:
        notes.append("The file has no email column: every person must be confirmed by hand.")
    if source == "teams" and "join" in table.columns:
        notes.append("Teams: read from the In-Meeting Activities section (one row per join).")
    return ReadReport(source=source, rows=tuple(rows), notes=tuple(notes))


def _platform(lines: list[str], tables: list[Table], chosen: str) -> str:
    """Zoom or Teams, from the file's marks (Zoom's "Name (Original Name)" and meeting block,
    Teams' numbered sections and "In-Meeting Duration"), or as the coordinator chose."""
    headers = {norm(c) for t in tables for c in t.header}
    starts = {norm(line)[:40] for line in lines[:200] if line.strip()}
    teams = bool(headers & TEAMS_MARKS) or any(s.startswith(TEAMS_SECTIONS) for s in starts)
    zoom = bool(headers & ZOOM_MARKS) or any(s.startswith("meeting id") for s in starts)
    detected = "teams" if teams and not zoom else "zoom" if zoom and not teams else ""
    if chosen and detected and chosen != detected:
        names = {"zoom": "Zoom", "teams": "Microsoft Teams"}
        raise ReportError(
            "platform",
            f"This looks like a {names[detected]} report, not a {names[chosen]} one: choose "
            f"{names[detected]} (or let the platform be detected) and upload it again.",
        )
    if chosen or detected:
        return chosen or detected
    raise ReportError(
        "platform",
        "We could not tell whether this report comes from Zoom or from Teams: choose the "
        "platform and upload it again.",
    )


def _time(text: str, what: str, session_day: date, zone: ZoneInfo) -> tuple[datetime | None, str]:
    if not text:
        return None, f"no {what} time"
    value = parse_report_time(text, session_day=session_day, zone=zone)
    if value is None:
        return None, f'unreadable {what} time "{text[:40]}"'
    return value, ""


def _report_row(number, cells, cols, session_day, zone) -> ReportRow | None:
    name = cell(cells, cols, "name")
    email, email_problem = email_of(cells, cols)
    if not name and not email:
        return None
    problems = [email_problem] if email_problem else []
    seconds = None
    if "minutes" in cols:
        seconds = parse_duration(cell(cells, cols, "minutes"), bare_unit="minutes")
    elif "duration" in cols:
        seconds = parse_duration(cell(cells, cols, "duration"), bare_unit="minutes")
    if "join" in cols and "leave" in cols:
        kind, join_role, leave_role = "interval", "join", "leave"
    elif "first_join" in cols and "last_leave" in cols:
        kind, join_role, leave_role = "span", "first_join", "last_leave"
    else:
        if seconds is None:
            problems.append(
                f'unreadable duration "{cell(cells, cols, "minutes") or cell(cells, cols, "duration")}"'
            )
        return ReportRow(
            number, name, email, "duration", seconds=seconds, problem="; ".join(problems)
        )
    joined, join_problem = _time(cell(cells, cols, join_role), "join", session_day, zone)
    left, leave_problem = _time(cell(cells, cols, leave_role), "leave", session_day, zone)
    problems += [p for p in (join_problem, leave_problem) if p]
    if joined and left and left < joined:
        problems.append("leaves before joining")
        joined = left = None
    if joined is None or left is None:
        joined = left = None
    if kind == "span" and seconds is None and joined is not None:
        problems.append("unreadable in-meeting duration")
        joined = left = None
    return ReportRow(
        number,
        name,
        email,
        kind,
        joined=joined,
        left=left,
        seconds=seconds,
        problem="; ".join(problems),
    )


def _check_dates(rows: list[ReportRow], table: Table, session_day: date, zone) -> None:
    """A file whose every time is unreadable because its dates are another day's is the report
    of another session: refuse it whole, naming the day, rather than list every row."""
    if any(r.joined is not None for r in rows):
        return
    role = "join" if "join" in table.columns else "first_join"
    if role not in table.columns:
        return
    days = sorted(
        {d for _n, cells in table.rows for d in readable_dates(cell(cells, table.columns, role))}
    )
    if days and all(abs((d - session_day).days) > 1 for d in days):
        shown = ", ".join(d.strftime("%b %-d, %Y") for d in days[:3])
        raise ReportError(
            "dates",
            f"The times in this file are on {shown}; this session is on "
            f"{session_day.strftime('%b %-d, %Y')}. Is it the report of another session?",
        )
