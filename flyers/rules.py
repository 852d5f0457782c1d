"""Flyer rules (SPEC §9): wording, statement templates and the disclosure conclusion. No database.

Everything a flyer says is decided here from plain values, so the HTML preview and the Word
document cannot disagree and the wording is tested without building documents.
"""

import re
import string
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from disclosures.rules import (  # noqa: F401 - the flyer's names for them
    DisclosureState,
    PersonDisclosure,
    group_relationships,
)

NO_FACULTY_MESSAGE = (
    "No faculty have been assigned for this event. "
    "Faculty must be assigned before a flyer is generated."
)
DRAFT_BANNER = "DRAFT: not approved for CME credit; do not distribute"

PLACEHOLDERS: tuple[str, ...] = ("provider", "joint_provider", "credit_hours", "credit_type")

NOBODY_HAS_RELATIONSHIPS = (
    "None of the planners and faculty for this activity have relevant financial relationships "
    "with ineligible companies."
)
ALL_MITIGATED = "All relevant financial relationships have been mitigated."
NOT_YET_MITIGATED = (
    "Not all relevant financial relationships listed above have been mitigated yet: the review "
    "by the accredited provider is still open."
)
DISCLOSURE_INTRO = (
    "In accordance with the ACCME Standards for Integrity and Independence, everyone in control "
    "of the content of this activity has disclosed all financial relationships with ineligible "
    "companies held in the past 24 months."
)
# While someone listed has no active disclosure the flyer must not claim that everyone disclosed.
DISCLOSURE_INTRO_INCOMPLETE = (
    "In accordance with the ACCME Standards for Integrity and Independence, everyone in control "
    "of the content of this activity must disclose all financial relationships with ineligible "
    "companies held in the past 24 months. Not everyone has disclosed yet: see below."
)
ALL_MITIGATED_SO_FAR = "All relevant financial relationships disclosed so far have been mitigated."

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# Characters XML 1.0 forbids (python-docx refuses them): pasted text from Word or PowerPoint often
# carries a vertical tab or form feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: str) -> str:
    """The text without characters a Word document cannot hold (line-like ones become spaces)."""
    return _NOT_XML.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", text)


# --- Statement templates --------------------------------------------------------------------


def template_errors(template: str) -> list[str]:
    """Why a statement template cannot be used (empty = fine). Only the four named placeholders
    may appear, written plainly as {name}; a literal brace is written {{ or }}."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        return [f"The braces do not match ({exc}). Write a literal brace as {{{{ or }}}}."]
    allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    errors: list[str] = []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            shown = "{" + name + "}" if name else "{}"
            errors.append(f"Unknown placeholder {shown}. Use only {allowed}.")
        elif spec or conversion:
            errors.append(f"Write the placeholder as {{{name}}}, without a format or conversion.")
    return list(dict.fromkeys(errors))


def placeholders_used(template: str) -> set[str]:
    try:
        return {name for _l, name, _s, _c in string.Formatter().parse(template) if name}
    except ValueError:
        return set()


def render_statement(template: str, values: Mapping[str, str]) -> str:
    """Fill a template that passed template_errors(); anything else is a programming error."""
    errors = template_errors(template)
    if errors:
        raise ValueError(" ".join(errors))
    return template.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def format_credit_hours(hours: Decimal) -> str:
    """1.00 -> "1.0", 1.50 -> "1.5", 1.25 -> "1.25", 2 -> "2.0" (ACCME's usual one decimal)."""
    text = f"{Decimal(hours).normalize():f}"
    if "." not in text:
        return f"{text}.0"
    return text


def credit_type_for_statement(credit_type: str) -> str:
    """The series' credit type as the AMA's designation statement spells it: "(TM)" becomes the
    trade mark sign and a singular "Credit™" reads "Credit(s)™"."""
    text = re.sub(r"\s*\((?:tm|TM|Tm)\)", "\u2122", credit_type.strip())
    return re.sub(r"\bCredit\u2122", "Credit(s)\u2122", text)


# --- Dates and numbers ------------------------------------------------------------------------


def zone_abbreviation(moment: datetime) -> str:
    name = moment.tzname() or ""
    if not name or name[0] in "+-":  # zones without a letter abbreviation, e.g. "-03"
        offset = moment.strftime("%z")
        return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return name


def format_day(moment: datetime) -> str:
    """ "Thursday, January 15, 2026", independent of the process locale."""
    return f"{_WEEKDAYS[moment.weekday()]}, {_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


def format_clock(moment: datetime) -> str:
    """ "9:05 AM", "12:00 PM"."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def format_moment(moment: datetime) -> str:
    """ "Thursday, January 22, 2026, 11:40 PM EST" (give it a local, aware datetime)."""
    return f"{format_day(moment)}, {format_clock(moment)} {zone_abbreviation(moment)}"


def format_session_time(local_start: datetime, local_end: datetime) -> str:
    """ "Thursday, January 15, 2026, 12:00 PM \u2013 1:00 PM EST"; the end gets its own day (and
    zone) when the session runs past midnight or across a clock change."""
    same_zone = zone_abbreviation(local_start) == zone_abbreviation(local_end)
    if local_start.date() == local_end.date() and same_zone:
        return (
            f"{format_day(local_start)}, {format_clock(local_start)} \u2013 "
            f"{format_clock(local_end)} {zone_abbreviation(local_end)}"
        )
    return f"{format_moment(local_start)} \u2013 {format_moment(local_end)}"


def objective_lines(objectives: str) -> list[str]:
    """One objective per line, without the bullets or numbers people type."""
    lines = []
    for raw in objectives.splitlines():
        line = re.sub(r"^\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s*", "", raw).strip()
        if line:
            lines.append(line)
    return lines


# --- Financial disclosure information -----------------------------------------------------------


# What the flyer says about each person (`PersonDisclosure`, `group_relationships`) is read by
# `disclosures.selectors.flyer_disclosure_facts` and defined beside the other disclosure rules.
def disclosure_intro(people: Sequence[PersonDisclosure]) -> str:
    """The sentence before the list: that everyone disclosed, only when everyone listed has an
    active disclosure for this session (SPEC §9)."""
    if any(p.state == "missing" for p in people):
        return DISCLOSURE_INTRO_INCOMPLETE
    return DISCLOSURE_INTRO


def disclosure_conclusion(people: Sequence[PersonDisclosure]) -> list[str]:
    """The sentences under the list (SPEC §9): nobody has relevant relationships, or all relevant
    ones were mitigated; while a review is open, that they are not all mitigated yet; and who has no
    active disclosure on file, which no statement may paper over."""
    listed = [p for p in people if p.state == "relationships"]
    missing = [p.name for p in people if p.state == "missing"]
    sentences: list[str] = []
    if not listed:
        if not missing:
            sentences.append(NOBODY_HAS_RELATIONSHIPS)
    elif all(p.mitigated for p in listed):
        sentences.append(ALL_MITIGATED_SO_FAR if missing else ALL_MITIGATED)
    else:
        sentences.append(NOT_YET_MITIGATED)
    if missing:
        sentences.append(f"No active disclosure is on file for: {'; '.join(missing)}.")
    return sentences
