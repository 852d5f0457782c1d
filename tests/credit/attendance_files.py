"""Participant reports and rosters shaped as Zoom, Microsoft Teams and Excel write them.

Built from the published layouts (docs/attendance.md lists the sources):
- Zoom's meeting participant report (Reports > Usage > Participants > Export): with "Export with
  meeting data" a meeting block (Meeting ID, Topic, Start Time, End Time, User Email, Duration
  (Minutes), Participants) and a blank line come first; then one row per join: Name (Original
  Name), User Email, Join Time, Leave Time, Duration (Minutes), Guest. Times "01/08/2026 12:00:05
  PM". UTF-8 with a byte-order mark and Windows line endings, as the web portal sends it.
- Teams' attendance report (the meeting's Attendance tab > Download): UTF-16 LE with a byte-order
  mark, tab-separated despite the .csv name, Windows line endings; "1. Summary", "2.
  Participants" (Name, First Join, Last Leave, In-Meeting Duration, Email, Participant ID (UPN),
  Role) and "3. In-Meeting Activities" (Name, Join Time, Leave Time, Duration, Email, Role).
  Times "1/8/26, 12:00:05 PM"; durations "1h 2m 3s".
"""

import io
from collections import OrderedDict
from datetime import datetime

ZOOM_TIME = "%m/%d/%Y %I:%M:%S %p"


def _csv_cell(value: str) -> str:
    text = str(value)
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def zoom_csv(
    rows,
    *,
    meeting_block: bool = True,
    topic: str = "Medicine Grand Rounds",
    host: str = "host@umich.edu",
    bom: bool = True,
    newline: str = "\r\n",
    time_format: str = ZOOM_TIME,
) -> bytes:
    """rows: (name, email, joined, left) with datetimes, or strings to write as they are."""
    lines = []
    if meeting_block:
        joins = [r[2] for r in rows if isinstance(r[2], datetime)]
        leaves = [r[3] for r in rows if isinstance(r[3], datetime)]
        start, end = min(joins), max(leaves)
        lines += [
            "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,",
            ",".join(
                [
                    "81234567890",
                    _csv_cell(topic),
                    start.strftime(time_format),
                    end.strftime(time_format),
                    host,
                    str(round((end - start).total_seconds() / 60)),
                    str(len(rows)),
                    "",
                ]
            ),
            "",
        ]
    lines.append("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest")
    for name, email, joined, left in rows:
        minutes = (
            round((left - joined).total_seconds() / 60)
            if isinstance(joined, datetime) and isinstance(left, datetime)
            else 0
        )
        lines.append(
            ",".join(
                [
                    _csv_cell(name),
                    email,
                    joined.strftime(time_format) if isinstance(joined, datetime) else joined,
                    left.strftime(time_format) if isinstance(left, datetime) else left,
                    str(minutes),
                    "No" if email else "Yes",
                ]
            )
        )
    text = newline.join(lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def zoom_unique_users_csv(rows) -> bytes:
    """ "Show unique users": one row per person, total minutes, no times. rows: (name, email, min)."""
    lines = ["Name (Original Name),User Email,Total Duration (Minutes),Guest"]
    lines += [f"{_csv_cell(n)},{e},{m},{'No' if e else 'Yes'}" for n, e, m in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def teams_time(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    ampm = "AM" if moment.hour < 12 else "PM"
    return f"{moment.month}/{moment.day}/{moment:%y}, {hour}:{moment:%M:%S} {ampm}"


def teams_duration(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    parts = ([f"{h}h"] if h else []) + ([f"{m}m"] if m or h else []) + [f"{s}s"]
    return " ".join(parts)


def teams_report(
    rows,
    *,
    title: str = "Medicine Grand Rounds",
    activities: bool = True,
    encoding: str = "utf-16",
) -> bytes:
    """rows: (name, email, joined, left, role) per join; guests have an empty email."""
    people: OrderedDict[tuple, list] = OrderedDict()
    for name, email, joined, left, role in rows:
        people.setdefault((name, email, role), []).append((joined, left))
    start = min(r[2] for r in rows)
    end = max(r[3] for r in rows)
    lines = [
        "1. Summary",
        f"Meeting title\t{title}",
        f"Attended participants\t{len(people)}",
        f"Start time\t{teams_time(start)}",
        f"End time\t{teams_time(end)}",
        f"Meeting duration\t{teams_duration((end - start).total_seconds())}",
        "Average attendance time\t48m 10s",
        "",
        "2. Participants",
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole",
    ]
    for (name, email, role), spans in people.items():
        total = sum((b - a).total_seconds() for a, b in spans)
        first, last = min(a for a, _ in spans), max(b for _, b in spans)
        upn = email if email else ""
        lines.append(
            f"{name}\t{teams_time(first)}\t{teams_time(last)}\t{teams_duration(total)}\t{email}\t{upn}\t{role}"
        )
    if activities:
        lines += [
            "",
            "3. In-Meeting Activities",
            "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole",
        ]
        for name, email, joined, left, role in rows:
            lines.append(
                f"{name}\t{teams_time(joined)}\t{teams_time(left)}\t"
                f"{teams_duration((left - joined).total_seconds())}\t{email}\t{role}"
            )
    # Python's "utf-16" writes a byte-order mark (FF FE on little-endian machines), as Teams does.
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def roster_csv(rows, *, header=("Name", "Email"), title: str | None = "Sign-in sheet") -> bytes:
    lines = ([title, ""] if title else []) + [",".join(header)]
    lines += [",".join(_csv_cell(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def roster_xlsx(rows, *, header=("Last Name", "First Name", "Email")) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sign-in"
    sheet.append(["Medicine Grand Rounds: sign-in sheet"])
    sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
