"""What PARS needs before a series-year can be closed (SPEC §13, ACCME's FAQ "What activity data
are providers required to enter into PARS?"), and the small checks behind it. Plain values in,
plain words out; no database.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from .codes import BOARD_SHORT, Delivery, Providership, SupportKind, YesNo

MAX_DESCRIPTION = 2500
QUARTER = Decimal("0.25")
_STATE = re.compile(r"^[A-Z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.IGNORECASE)
# Django's Choices.values builds a new list on every call; the checker runs for every series.
DELIVERY = frozenset(Delivery.values)
PROVIDERSHIP = frozenset(Providership.values)
ANSWERS = frozenset(YesNo.values)
SUPPORT_KINDS = frozenset(SupportKind.values)


def in_quarter_steps(amount) -> bool:
    """PARS takes credit and MOC amounts in steps of 0.25 (0.25, 0.5, 1.75, ...), above zero."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        return False
    return value > 0 and value % QUARTER == 0


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def npi_ok(npi: str) -> bool:
    """An NPI is 10 digits whose last is a Luhn check digit computed with the card-issuer
    prefix 80840 in front (CMS, "Requirements for the NPI check digit")."""
    npi = (npi or "").strip()
    return len(npi) == 10 and npi.isascii() and npi.isdigit() and luhn_ok("80840" + npi)


def npi_check_digit(first_nine: str) -> str:
    """The tenth digit that makes `first_nine` a valid NPI (for test data and the demo)."""
    for d in "0123456789":
        if luhn_ok("80840" + first_nine + d):
            return d
    raise ValueError(first_nine)  # pragma: no cover - one digit always fits


def birth_day_ok(month, day) -> bool:
    """Month and day only (PARS asks no year); February 29 is a birthday too."""
    try:
        date(2000, int(month), int(day))
    except (TypeError, ValueError):
        return False
    return True


def url_ok(value: str) -> bool:
    return bool(_URL.match((value or "").strip()))


# --- the series ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Supporter:
    name: str
    kind: str  # SupportKind or ""
    amount: Decimal | None
    in_kind: str = ""


@dataclass(frozen=True)
class MocFacts:
    board: str
    practice_areas: tuple[str, ...]
    credit_types: tuple[str, ...]
    points: Decimal | None
    fee: str
    registration: str
    url: str
    claim_date: date | None


@dataclass(frozen=True)
class SeriesFacts:
    """Everything the checker reads about one series-year, as plain values."""

    title: str
    credit_type: str
    approved_sessions: int = 0
    first_session: date | None = None
    last_session: date | None = None
    sessions_to_come: int = 0
    last_to_come: date | None = None
    hours: Decimal = Decimal("0")
    description: str = ""
    delivery: tuple[str, ...] = ()
    city: str = ""
    state: str = ""
    country: str = ""
    cme_finder: str = ""
    finder_fee: str = ""
    finder_registration: str = ""
    finder_url: str = ""
    providership: str = ""
    joint_providers: tuple[str, ...] = ()
    designed: frozenset[str] = frozenset()
    evaluated: frozenset[str] = frozenset()
    commercial_support: str = ""
    supporters: tuple[Supporter, ...] = ()
    moc: tuple[MocFacts, ...] = ()
    locked: bool = False


@dataclass(frozen=True)
class Problem:
    """One missing or invalid field. `topic` groups problems for the office's filter; `who` is
    who can fix it ("coordinator" = the series' coordinators or the office; "office" only)."""

    topic: str
    text: str
    who: str = "coordinator"


TOPICS = {
    "sessions": "Sessions and dates",
    "credit": "Credit",
    "description": "Description",
    "delivery": "Delivery and location",
    "finder": "CME Finder",
    "providership": "Providership",
    "outcomes": "Outcome measures",
    "support": "Commercial support",
    "moc": "MOC registration",
    "lock": "Office lock",
}


def _d(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def problems(facts: SeriesFacts) -> list[Problem]:
    """Every reason the series-year cannot be closed in PARS yet; [] means ready to close."""
    out: list[Problem] = []

    def add(topic, text, who="coordinator"):
        out.append(Problem(topic, text, who))

    if not facts.title.strip():
        add("sessions", "The series has no title.")
    if facts.approved_sessions == 0:
        add(
            "sessions",
            "No approved session yet: PARS needs the start and end dates and the credit.",
            "office",
        )
    if facts.sessions_to_come:
        n = facts.sessions_to_come
        assert facts.last_to_come is not None  # set whenever sessions are still to come
        add(
            "sessions",
            f"{n} session{'s' if n != 1 else ''} still to come (the last on "
            f"{_d(facts.last_to_come)}): PARS closes an activity only after its end date.",
        )
    if "AMA PRA Category 1" not in facts.credit_type:
        add("credit", f"Credit type is {facts.credit_type!r}, not AMA PRA Category 1 Credit.")
    elif facts.approved_sessions and facts.hours <= 0:
        add("credit", "The approved sessions earn no credit (each is shorter than 8 minutes).")

    description = facts.description.strip()
    if not description:
        add("description", "Description is missing.")
    elif len(description) > MAX_DESCRIPTION:
        add(
            "description",
            f"Description is {len(description):,} characters; PARS takes at most "
            f"{MAX_DESCRIPTION:,}.",
        )

    _delivery(facts, add)
    _finder(facts, add)

    if facts.providership not in PROVIDERSHIP:
        add("providership", "Providership (direct or joint) is not chosen.")
    elif facts.providership == Providership.JOINT and not facts.joint_providers:
        add("providership", "Jointly provided, but no joint provider is named.")

    if not (facts.designed & facts.evaluated):
        add(
            "outcomes",
            "No outcome measure: tick at least one of competence, performance or patient "
            "outcomes that the series was designed to change and evaluated for change in.",
        )

    _support(facts, add)
    for moc in facts.moc:
        _moc(moc, add)
    if not facts.locked:
        add("lock", "The office has not checked and locked the PARS fields yet.", "office")
    return out


def _delivery(facts: SeriesFacts, add) -> None:
    unknown = [d for d in facts.delivery if d not in DELIVERY]
    if not facts.delivery or unknown:
        add("delivery", "Delivery method is not chosen (in person, live-streamed or online).")
    if Delivery.IN_PERSON not in facts.delivery:
        return
    if not facts.city.strip():
        add("delivery", "City is missing (PARS asks for the location of an in-person series).")
    if not _COUNTRY.match(facts.country):
        add("delivery", "Country must be a three-letter code (e.g. USA).")
    elif facts.country == "USA":
        if not facts.state:
            add("delivery", "State is missing (a two-letter US state, e.g. MI).")
        elif not _STATE.match(facts.state):
            add("delivery", f"State {facts.state!r} is not a two-letter US state (e.g. MI).")


def _finder(facts: SeriesFacts, add) -> None:
    if facts.cme_finder not in ANSWERS:
        add("finder", "Listed in CME Finder? (yes or no) is not answered.")
        return
    if facts.cme_finder != YesNo.YES:
        return
    if not facts.finder_fee:
        add("finder", "CME Finder: the fee (yes, free or variable) is not chosen.")
    if not facts.finder_registration:
        add("finder", "CME Finder: registration (open to all or limited) is not chosen.")
    if not facts.finder_url:
        add("finder", "CME Finder: the activity's web address is missing.")
    elif not url_ok(facts.finder_url):
        add("finder", "CME Finder: the activity's web address is not a valid http(s) address.")


def _support(facts: SeriesFacts, add) -> None:
    if facts.commercial_support not in ANSWERS:
        add("support", "Commercial support (yes or no) is not answered.")
        return
    if facts.commercial_support == YesNo.NO:
        if facts.supporters:
            add("support", "Commercial support is no, but sources are listed: remove them.")
        return
    if not facts.supporters:
        add("support", "Commercial support is yes, but no source is named.")
    for s in facts.supporters:
        name = s.name.strip() or "(unnamed)"
        if not s.name.strip():
            add("support", "A commercial support source has no name.")
        if s.kind not in SUPPORT_KINDS:
            add("support", f"Source {name}: choose monetary or in-kind.")
        elif s.kind == SupportKind.MONETARY and not (s.amount and s.amount > 0):
            add("support", f"Source {name}: monetary support needs its amount.")
        elif s.kind == SupportKind.IN_KIND and not s.in_kind:
            add("support", f"Source {name}: choose what kind of in-kind support it gave.")


def _moc(moc: MocFacts, add) -> None:
    board = f"{BOARD_SHORT.get(moc.board, moc.board)} MOC"
    if not moc.practice_areas:
        add("moc", f"{board}: no practice area.", "office")
    if not moc.credit_types:
        add("moc", f"{board}: no credit type.", "office")
    if moc.points is None:
        add("moc", f"{board}: the MOC credit amount is missing.", "office")
    elif not in_quarter_steps(moc.points):
        add(
            "moc", f"{board}: the MOC credit amount {moc.points} is not in steps of 0.25.", "office"
        )
    if not moc.fee:
        add("moc", f"{board}: the fee is not chosen.", "office")
    if not moc.registration:
        add("moc", f"{board}: registration is not chosen.", "office")
    if not url_ok(moc.url):
        add("moc", f"{board}: the activity's web address is missing or invalid.", "office")
    if moc.claim_date is None:
        add("moc", f"{board}: the MOC credit claim date is missing.", "office")


# --- the year's deadlines (SPEC §13) ----------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    what: str
    due: date
    note: str = ""
    extra: list[str] = field(default_factory=list)


def year_end_deadline(year: int) -> date:
    """Activities of `year` and the program summary are due at the end of March of the next
    year; when March 31 falls on a weekend ACCME has moved it to the Monday after (2024)."""
    due = date(year + 1, 3, 31)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


def learner_data_due(completed: date) -> date:
    """Learner completion data is due within 30 days of the completion."""
    return completed + timedelta(days=30)


def moc_deadline(year: int) -> date:
    """MOC credit earned in `year` must reach the boards by December 31 to count for that year."""
    return date(year, 12, 31)
