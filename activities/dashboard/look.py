"""How the dashboard says things: icons (shape and text carry the meaning), status looks and
labels, dates and times as plain text, and URLs without a reverse() per link per row. Shared with
other screens that show a COI status or a session's time (faculty, people, transcripts)."""

from datetime import date, datetime
from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from activities.rules import ChildStatus
from disclosures.rules import CoiStatus, Nature, format_long_date
from faculty.models import Profession

# --- icons: shape and text carry the meaning; colour only repeats it ---------------------------

_SVG = '<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">{}</svg>'
ICONS: dict[str, SafeString] = {
    name: mark_safe(_SVG.format(body))
    for name, body in {
        "check": '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
        '<path d="M4.3 8.3l2.4 2.4 5-5.2" stroke="#fff" stroke-width="1.9" fill="none"/>',
        "warning": '<path d="M8 .8l7.6 14H.4z" fill="currentColor"/>'
        '<path d="M8 5.2v5" stroke="#000" stroke-width="1.7"/><circle cx="8" cy="12.4" r="1" fill="#000"/>',
        "clock": '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
        '<path d="M8 3.5V8l3 2" stroke="#fff" stroke-width="1.7" fill="none"/>',
        "cross": '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
        '<path d="M5 5l6 6M11 5l-6 6" stroke="#fff" stroke-width="1.9"/>',
        "flag": '<path d="M3 1v14" stroke="currentColor" stroke-width="1.6"/>'
        '<path d="M3.8 1.5h9l-2.2 3.2 2.2 3.3h-9z" fill="currentColor"/>',
        "pause": '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
        '<path d="M6 4.5v7M10 4.5v7" stroke="#fff" stroke-width="1.8"/>',
    }.items()
}

STATUS_LOOK: dict[str, tuple[str, str]] = {
    ChildStatus.APPROVED: ("check", "st-approved"),
    ChildStatus.PENDING: ("clock", "st-pending"),
    ChildStatus.IN_REVIEW: ("clock", "st-review"),
    ChildStatus.INCOMPLETE: ("warning", "st-incomplete"),
    ChildStatus.REJECTED: ("cross", "st-rejected"),
}
COI_LOOK: dict[str, tuple[str, str]] = {
    CoiStatus.APPROVED: ("check", "st-approved"),
    CoiStatus.APPROVED_WITH_EXCEPTIONS: ("check", "st-approved"),
    CoiStatus.PENDING: ("clock", "st-pending"),
    CoiStatus.NEEDS_REVIEW: ("clock", "st-review"),
    CoiStatus.DISCLOSURE_UPDATED: ("clock", "st-review"),
    CoiStatus.INCOMPLETE: ("warning", "st-incomplete"),
    CoiStatus.REJECTED: ("cross", "st-rejected"),
}
PROFESSION_LABELS = dict(Profession.choices)
STATUS_LABELS = dict(ChildStatus.choices)
COI_LABELS = dict(CoiStatus.choices)
NATURE_LABELS = dict(Nature.choices)


# --- plain text, locale-independent and cheap (Django's dateformat is slow per row) --------------

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def clock(dt: datetime) -> str:
    """12:00 PM, 7:30 AM."""
    return f"{dt.hour % 12 or 12}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"


def day_text(d: date) -> str:
    """Thu, Jan 8, 2026."""
    return f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}"


def when_text(child) -> str:
    """A child (a model or its facts): Thu, Jan 8, 2026, 12:00 PM to 1:00 PM."""
    start, end = child.local_start, child.local_end
    return f"{day_text(start)}, {clock(start)} to {clock(end)}"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# --- URLs without a reverse() per link per row ---------------------------------------------------

_SENTINELS = (987654301, 987654302)


@lru_cache(maxsize=256)
def _url_pattern(name: str, arity: int, prefix: str) -> str | None:
    try:
        url = reverse(name, args=_SENTINELS[:arity])
    except NoReverseMatch:
        return None  # a page of another area that is not installed: no link
    url = url.replace("{", "{{").replace("}", "}}")
    for i, sentinel in enumerate(_SENTINELS[:arity]):
        url = url.replace(str(sentinel), "{" + str(i) + "}")
    return url


def fast_url(name: str, *args: int) -> str | None:
    pattern = _url_pattern(name, len(args), get_script_prefix())
    return pattern.format(*args) if pattern is not None else None


class Links:
    """URL patterns resolved once per request; formatting one is a string operation."""

    def __init__(self) -> None:
        self.prefix = get_script_prefix()

    def __call__(self, name: str, *args: int) -> str | None:
        pattern = _url_pattern(name, len(args), self.prefix)
        return pattern.format(*args) if pattern is not None else None


def requested_line(requested_at: datetime | None) -> str:
    if requested_at is None:
        return ""
    return f"Disclosure requested {format_long_date(timezone.localtime(requested_at))}"
