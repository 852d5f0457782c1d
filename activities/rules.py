"""Child activity rules (SPEC §3, §7): status, name check and "3 by 5". No database.

The status is derived, never typed in, so this module is the single place that decides it; the
status engine feeds it facts loaded in bulk.
"""

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.db import models  # TextChoices only

from disclosures.rules import CoiStatus


class ParentRoleKind(models.TextChoices):
    OWNER = "owner", "Activity Owner"
    COORDINATOR = "coordinator", "Activity Coordinator"
    PLANNER = "planner", "Planner"


# Who sees a series' sessions on the dashboard (SPEC §1); the office sees every series.
VIEW_ROLES = (ParentRoleKind.OWNER, ParentRoleKind.COORDINATOR)


def sees_everything(user) -> bool:
    return user.is_authenticated and user.is_reviewer


class ChildStatus(models.TextChoices):
    INCOMPLETE = "incomplete", "INCOMPLETE"
    IN_REVIEW = "in_review", "IN REVIEW"
    PENDING = "pending", "PENDING"
    APPROVED = "approved", "APPROVED"
    REJECTED = "rejected", "REJECTED"


class ChildDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


_APPROVED_COI = frozenset({CoiStatus.APPROVED, CoiStatus.APPROVED_WITH_EXCEPTIONS})
_IN_REVIEW_COI = frozenset({CoiStatus.NEEDS_REVIEW, CoiStatus.DISCLOSURE_UPDATED})


def child_status(
    coi_statuses: Sequence[CoiStatus | str], decision: ChildDecision | str | None
) -> ChildStatus:
    """SPEC §7, first match wins. An empty sequence means no faculty."""
    statuses = {str(s) for s in coi_statuses}
    decision = str(decision) if decision else None
    if CoiStatus.REJECTED in statuses or decision == ChildDecision.REJECTED:
        return ChildStatus.REJECTED
    if not statuses or CoiStatus.INCOMPLETE in statuses:
        return ChildStatus.INCOMPLETE
    if statuses & _IN_REVIEW_COI:
        return ChildStatus.IN_REVIEW
    if decision == ChildDecision.APPROVED and statuses <= _APPROVED_COI:
        return ChildStatus.APPROVED
    return ChildStatus.PENDING


def decision_line(*, status: str, decision: str | None, decided_by: str, decided_on: str) -> str:
    """The office's decision on a session as it stands now (SPEC §3): "Approved by <who> on
    <date>" only while the session is APPROVED; an approval that no longer holds (faculty added,
    a newer disclosure) is "Earlier approved by ..."; "Rejected by ..."; "" without a decision."""
    if not decision:
        return ""
    if str(decision) == ChildDecision.REJECTED:
        return f"Rejected by {decided_by} on {decided_on}"
    if str(status) == ChildStatus.APPROVED:
        return f"Approved by {decided_by} on {decided_on}"
    return f"Earlier approved by {decided_by} on {decided_on}"


# --- Name check (SPEC §3) ---------------------------------------------------------------------

_PLACEHOLDERS = frozenset(
    {
        "tbd",
        "tba",
        "tobeannounced",
        "tobedetermined",
        "topic",
        "topictbd",
        "lecture",
        "grandrounds",
        "caseconference",
        "tumorboard",
        "session",
        "presentation",
        "placeholder",
        "title",
        "na",
    }
)
# "Grand Rounds: TBD", "Lecture - TBA": a placeholder followed by "to be decided" is still one.
_TRAILING_TBD = re.compile(r"(?:tbd|tba|tobeannounced|tobedetermined)+$")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May|MAY)|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?!\w)"
_DATE_PATTERNS = (
    # 2026-01-05, 2026/1/5
    re.compile(
        r"(?<![\w/.-])[0-9]{4}(?P<sep>[-/])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
        r"(?![\w/-])"
    ),
    # 1/5, 01/05/2026, 1/5/26
    re.compile(
        r"(?<![\w/.])(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})(?:/(?:[0-9]{4}|[0-9]{2}))?(?![\w/])"
    ),
    # 1-5-26, 01-05-2026 (a year is required: "3-5 years" is a range, not a date)
    re.compile(
        r"(?<![\w/.-])(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})-(?:[0-9]{4}|[0-9]{2})(?![\w-])"
    ),
    # 01.05.2026 (a four-digit year is required: "1.5" is a number)
    re.compile(r"(?<![\w/.])(?P<month>[0-9]{1,2})\.(?P<day>[0-9]{1,2})\.[0-9]{4}(?![\w.])"),
    # Jan 5, Jan. 5, January 5th
    re.compile(rf"\b{_MONTH}(?:\.\s*|\s+){_DAY}", re.IGNORECASE),
    # 5 January, 5th of Jan.
    re.compile(rf"(?<![\w/.]){_DAY}\s+(?:of\s+)?{_MONTH}\b", re.IGNORECASE),
)
_WEEKDAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|weds?|thu(?:rs?)?|fri)\b",
    re.IGNORECASE,
)
# "Sat" and "Sun" are words too ("Sun protection"): only a weekday when a date follows.
_SAT_SUN = re.compile(r"\b(?:sat|sun)\b\.?,?\s*", re.IGNORECASE)


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _is_valid_date(m: re.Match[str] | None) -> bool:
    if m is None:
        return False
    groups = m.groupdict()
    month = int(groups["month"]) if groups.get("month") else 1  # named months are valid
    return 1 <= month <= 12 and 1 <= int(groups["day"]) <= 31


def _find_date(text: str) -> re.Match[str] | None:
    """The earliest date-shaped text with a plausible month and day."""
    found: re.Match[str] | None = None
    for pattern in _DATE_PATTERNS:
        m = next((m for m in pattern.finditer(text) if _is_valid_date(m)), None)
        if m is not None and (found is None or m.start() < found.start()):
            found = m
    return found


def _date_at(text: str, pos: int) -> bool:
    return any(_is_valid_date(p.match(text, pos)) for p in _DATE_PATTERNS)


def _find_weekday(text: str) -> str | None:
    found = _WEEKDAY.search(text)
    candidates = [(found.start(), found.group())] if found else []
    for m in _SAT_SUN.finditer(text):
        if _date_at(text, m.end()):
            candidates.append((m.start(), m.group().rstrip(" \t\n.,")))
            break
    return min(candidates)[1] if candidates else None


def _compact(text: str) -> tuple[str, set[int], set[int]]:
    """Letters and digits only, case-folded, with the positions where words start and end.

    Matching on this ignores punctuation and spacing ("Grand-Rounds", "Grand  Rounds:") while
    the word positions stop "Art" from matching inside "Heart".
    """
    chars: list[str] = []
    starts: set[int] = set()
    ends: set[int] = set()
    in_word = False
    for ch in _normalize(text).casefold():
        if ch.isalnum():
            if not in_word:
                starts.add(len(chars))
                in_word = True
            chars.append(ch)
        elif in_word:
            ends.add(len(chars))
            in_word = False
    if in_word:
        ends.add(len(chars))
    return "".join(chars), starts, ends


def _contains_series(name: str, series_name: str) -> Literal["equal", "contains", ""]:
    series, _, _ = _compact(series_name)
    if not series:
        return ""
    compact, starts, ends = _compact(name)
    if compact == series:
        return "equal"
    i = compact.find(series)
    while i >= 0:
        if i in starts and i + len(series) in ends:
            return "contains"
        i = compact.find(series, i + 1)
    return ""


def _is_placeholder(name: str) -> bool:
    compact, _, _ = _compact(name)
    if len(compact) > 40:  # every placeholder is short; spare the regex long names
        return False
    return compact in _PLACEHOLDERS or _TRAILING_TBD.sub("", compact) in _PLACEHOLDERS | {""}


def name_problems(name: str, series_name: str) -> list[str]:
    """Why a child's name does not say its topic (SPEC §3); empty when it does.

    Choices where the spec is silent:
    - Series name: compared ignoring case, punctuation and spacing, on whole words.
    - Dates are US month/day. Numeric m/d needs month 1-12 and day 1-31, so "3/4 of patients"
      and "1/2 dose" count as dates while "24/7" and "13/40" do not. With "-" or "." a year is
      required ("3-5 years" is a range, "1.5 T" a number). A year alone ("in 2026") and a month
      with a year ("March 2026") are not dates. "May" must be capitalized ("patients may 3...").
    - Weekdays: full names and Mon/Tue(s)/Wed(s)/Thu(r)(s)/Fri as whole words, any case; plurals
      ("Mondays") do not count. Sat/Sun only when a date follows ("Sat 1/5"), since "Sun
      protection" is a topic.
    - Placeholder: the whole name is one ("Topic", "Grand Rounds", "N/A"), possibly followed by
      TBD/TBA ("Grand Rounds: TBD"). "Lecture on sepsis" says its topic.
    """
    name = name or ""
    series_name = series_name or ""
    if not name.strip():
        return ["The name is empty."]
    problems: list[str] = []
    text = _normalize(name)
    series = _contains_series(name, series_name)
    if series == "equal":
        problems.append("The name is the series name.")
    elif series == "contains":
        problems.append("The name contains the series name.")
    if (found := _find_date(text)) is not None:
        problems.append(f"The name contains a date ({found.group()}).")
    if (weekday := _find_weekday(text)) is not None:
        problems.append(f"The name contains a weekday ({weekday}).")
    if _is_placeholder(name):
        problems.append(f"The name is a placeholder ({name.strip()}).")
    return problems


def name_needs_update(name: str, series_name: str) -> bool:
    return bool(name_problems(name, series_name))


# --- 3 by 5 (SPEC §7) -------------------------------------------------------------------------

_WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_day(d: date) -> str:
    return f"{_MONTH_ABBR[d.month - 1]} {d.day}"  # locale-independent, unlike strftime("%b")


@dataclass(frozen=True)
class ThreeByFive:
    state: Literal["met", "due", "missed"]
    due: date
    met_on: date | None
    business_days_left: int  # 0 when met or missed

    def __str__(self) -> str:
        if self.state == "met" and self.met_on is not None:
            return f"3 by 5 met {_month_day(self.met_on)}"
        if self.state == "missed":
            return "3 by 5 missed"
        due = f"3 by 5 due {_WEEKDAY_ABBR[self.due.weekday()]} {_month_day(self.due)}"
        left = self.business_days_left
        if left <= 0:
            return f"{due} (due today)"
        return f"{due} ({left} business day{'s' if left != 1 else ''} left)"


def three_by_five(
    *,
    due: date,
    met_on: date | None,
    today: date,
    is_business_day: Callable[[date], bool],
    business_days_between: Callable[[date, date], int] | None = None,
) -> ThreeByFive:
    """The dashboard's 3 by 5 flag; the caller decides met_on (when all three requirements held).

    Pass a calendar's business_days_between to skip the day-by-day walk for distant sessions.
    """
    if met_on is not None:
        return ThreeByFive(state="met", due=due, met_on=met_on, business_days_left=0)
    if today > due:
        return ThreeByFive(state="missed", due=due, met_on=None, business_days_left=0)
    if business_days_between is not None:
        left = business_days_between(today, due)
    else:
        left, d = 0, today
        while d < due:
            d += timedelta(days=1)
            left += is_business_day(d)
    return ThreeByFive(state="due", due=due, met_on=None, business_days_left=left)


def three_by_five_requirements(
    *, name_ok: bool, faculty_count: int, faculty_without_active_disclosure: Sequence[str]
) -> list[str]:
    """What is still missing, in words for the reminder email; empty when all three are met."""
    missing: list[str] = []
    if not name_ok:
        missing.append("Name must say the topic")
    if faculty_count <= 0:
        missing.append("Assign at least one faculty member")
    if faculty_without_active_disclosure:
        missing.append(
            "Disclosure missing or expired: " + "; ".join(faculty_without_active_disclosure)
        )
    return missing


# --- Adding a child (SPEC §3) -----------------------------------------------------------------


def why_office_must_add(
    *, duration_minutes: int, default_minutes: int, needs_evaluation: bool
) -> list[str]:
    """Why a coordinator may not add this child themselves (empty: they may).

    A coordinator adds a session only when it lasts the series' approved duration and needs no
    evaluation; anything else changes what was approved, so the office decides.
    """
    reasons: list[str] = []
    if duration_minutes != default_minutes:
        reasons.append(
            f"It would last {duration_minutes} minutes; the series is approved for "
            f"{default_minutes}-minute sessions."
        )
    if needs_evaluation:
        reasons.append("It needs an evaluation, which the office sets up.")
    return reasons


# --- What approval waits for (SPEC §7): one source for the dashboard and the emails ------------


def waiting_on(
    status: str, *, office: str, name_needs_update: bool = False, planner_missing: bool = False
) -> str:
    """Who a session that is neither APPROVED nor REJECTED waits for, in one line: the headline of
    the dashboard's approval column (activities/dashboard/approval.py::approval_text) and of the
    reminders and digests (activities/rules_monitoring.py::status_advice)."""
    status = ChildStatus(status)
    if status == ChildStatus.INCOMPLETE:
        return "Waits for the coordinator"
    if status == ChildStatus.IN_REVIEW:
        return f"Waits for {office} to review faculty relationships"
    if name_needs_update:
        return "Waits for the coordinator"
    if planner_missing:
        return "Not ready for approval: a planner has no active disclosure"
    return f"Waits for {office} approval"
