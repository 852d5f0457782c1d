"""The columns of ACCME's activity and learner templates, in order, with how each cell is filled.

The headings and codes follow ACCME's published templates where they could be found; where not,
docs/pars.md says what was assumed and why. Everything an office may have to align with the
template it downloads is in this one file.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from .codes import ACTIVITY_TYPE_RSS, BOARD_SHORT, Board, Delivery, InKind, Outcome, SupportKind

YES, NO = "Yes", "No"


def yes_no(flag: bool) -> str:
    return YES if flag else NO


@dataclass(frozen=True)
class ActivityRow:
    """What one activity row needs: the series, its PARS fields (or None), its figures."""

    parent: object
    report: object
    sessions: object
    counts: object


def _report(a: ActivityRow, name: str, default=""):
    return getattr(a.report, name, default) if a.report is not None else default


def _in_person(a: ActivityRow) -> bool:
    return Delivery.IN_PERSON in _report(a, "delivery", [])


def _outcome(kind: str, outcome: str):
    return lambda a: yes_no(outcome in _report(a, kind, []))


def _finder(name: str):
    return lambda a: _report(a, name) if _report(a, "cme_finder") == "yes" else ""


ACTIVITY_COLUMNS = [
    ("Template (DO NOT ALTER OR DELETE THIS COLUMN)", lambda a: settings.PARS_ACTIVITY_TEMPLATE),
    ("ACCME Activity ID", lambda a: _report(a, "accme_activity_id")),
    ("Provider Activity ID", lambda a: str(a.parent.pk)),
    ("Reporting Year", lambda a: a.parent.year),
    ("Activity Title", lambda a: a.parent.name),
    ("Activity Start Date", lambda a: a.sessions.first),
    ("Activity End Date", lambda a: a.sessions.last),
    ("City", lambda a: _report(a, "city") if _in_person(a) else ""),
    ("State", lambda a: _report(a, "state") if _in_person(a) else ""),
    ("Country", lambda a: _report(a, "country") if _in_person(a) else ""),
    ("Providership", lambda a: _report(a, "providership")),
    ("Activity Type", lambda a: ACTIVITY_TYPE_RSS),
    ("Delivery Method", lambda a: ";".join(_report(a, "delivery", []))),
    ("Hours of Instruction", lambda a: a.sessions.hours),
    ("# of Physicians", lambda a: a.counts.physicians),
    ("# of Other Learners", lambda a: a.counts.others),
    (
        "Commercial Support Received?",
        lambda a: {"yes": YES, "no": NO}.get(_report(a, "commercial_support"), ""),
    ),
    ("Designed to change Competence?", _outcome("designed", Outcome.COMPETENCE)),
    ("Changes in Competence evaluated?", _outcome("evaluated", Outcome.COMPETENCE)),
    ("Designed to change Performance?", _outcome("designed", Outcome.PERFORMANCE)),
    ("Changes in Performance evaluated?", _outcome("evaluated", Outcome.PERFORMANCE)),
    ("Designed to change Patient Outcomes?", _outcome("designed", Outcome.PATIENT_OUTCOMES)),
    ("Changes in Patient Outcomes evaluated?", _outcome("evaluated", Outcome.PATIENT_OUTCOMES)),
    (
        "Joint Provider(s)",
        lambda a: "; ".join(a.report.joint_provider_names) if a.report is not None else "",
    ),
    ("Number of AMA PRA Category 1 Credits Designated", lambda a: a.sessions.hours),
    ("Description of Content", lambda a: _report(a, "description")),
    (
        "Listed in CME Finder?",
        lambda a: {"yes": YES, "no": NO}.get(_report(a, "cme_finder"), ""),
    ),
    ("Fee for Participation", _finder("finder_fee")),
    ("Activity Registration", _finder("finder_registration")),
    ("Activity URL", _finder("finder_url")),
]


def _moc(a: ActivityRow, board: str):
    if a.report is None:
        return None
    return next((m for m in a.report.moc.all() if m.board == board), None)


def _moc_column(board: str, name: str, value):
    def cell(a: ActivityRow):
        moc = _moc(a, board)
        if name == "registered":
            return yes_no(moc is not None)
        return "" if moc is None else value(moc)

    return cell


for _board in Board.values:
    _short = BOARD_SHORT[_board]
    ACTIVITY_COLUMNS += [
        (f"{_short} MOC Registered?", _moc_column(_board, "registered", None)),
        (
            f"{_short} Practice Area(s)",
            _moc_column(_board, "areas", lambda m: "; ".join(m.lines(m.practice_areas))),
        ),
        (
            f"{_short} Credit Type(s)",
            _moc_column(_board, "types", lambda m: "; ".join(m.lines(m.credit_types))),
        ),
        (f"{_short} MOC Points", _moc_column(_board, "points", lambda m: m.points)),
        (f"{_short} Fee", _moc_column(_board, "fee", lambda m: m.fee)),
        (f"{_short} Registration", _moc_column(_board, "registration", lambda m: m.registration)),
        (f"{_short} Activity URL", _moc_column(_board, "url", lambda m: m.url)),
        (f"{_short} Credit Claim Date", _moc_column(_board, "claim", lambda m: m.claim_date)),
    ]

# One group of these columns per source of commercial support, repeated at the end of the row
# (ACCME's rule: a record exceeds the base field count only by repeating this group).
SUPPORT_COLUMNS = [
    "Commercial Support Source",
    "Monetary Amount Received (from Commercial Support)",
    "In Kind Support Received - Durable equipment?",
    "In Kind Support Received - Facilities / Space?",
    "In Kind Support Received - Disposable supplies (Non-biological)?",
    "In Kind Support Received - Animal parts or tissue?",
    "In Kind Support Received - Human parts or tissue?",
    "In Kind Support Received - Other?",
]
IN_KIND_ORDER = [InKind.DURABLE, InKind.SPACE, InKind.DISPOSABLE, InKind.ANIMAL, InKind.HUMAN]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def activity_header(groups: int) -> list[str]:
    names = [name for name, _ in ACTIVITY_COLUMNS]
    for i in range(1, groups + 1):
        names += [name if i == 1 else f"{name} ({_ordinal(i)})" for name in SUPPORT_COLUMNS]
    return [f"{n}. {name}" for n, name in enumerate(names, start=1)]


def support_cells(source) -> list:
    if source is None:
        return [""] * len(SUPPORT_COLUMNS)
    monetary = source.kind == SupportKind.MONETARY
    in_kind = source.kind == SupportKind.IN_KIND
    return [
        source.source,
        source.amount if monetary else "",
        *[yes_no(in_kind and source.in_kind == k) for k in IN_KIND_ORDER],
        (source.in_kind_other or "Yes") if in_kind and source.in_kind == InKind.OTHER else "",
    ]


def activity_cells(a: ActivityRow, groups: int) -> list:
    cells = [value(a) for _, value in ACTIVITY_COLUMNS]
    sources = list(a.report.supporters.all()) if a.report is not None else []
    for i in range(groups):
        cells += support_cells(sources[i] if i < len(sources) else None)
    return cells


# --- learner completions -------------------------------------------------------------------------

LEARNER_COLUMNS = [
    ("Action", lambda r: r.action),
    ("ACCME Activity ID", lambda r: r.accme_activity_id),
    ("Provider Activity ID", lambda r: r.provider_activity_id),
    ("Learner First Name", lambda r: r.first_name),
    ("Learner Last Name", lambda r: r.last_name),
    ("Birth Month", lambda r: f"{r.birth_month:02d}"),
    ("Birth Day", lambda r: f"{r.birth_day:02d}"),
    ("Completion Date", lambda r: r.completed),
    ("NPI", lambda r: r.npi),
    ("License State", lambda r: r.license_state),
    ("License ID", lambda r: r.license_number),
    ("Certifying Board", lambda r: r.board),
    ("Board ID", lambda r: r.board_id),
    ("CME Credit Type", lambda r: "AMA PRA Category 1 Credit" if r.cme_credits else ""),
    ("CME Credits", lambda r: r.cme_credits if r.cme_credits else ""),
    ("MOC Credit Type", lambda r: r.moc_credit_type),
    ("MOC Points", lambda r: r.moc_points if r.moc_points else ""),
]
LEARNER_HEADER = [f"{n}. {name}" for n, (name, _) in enumerate(LEARNER_COLUMNS, start=1)]
# The board's results file: the learner columns (any order) plus these two.
ANSWER_COLUMNS = ("Status", "Reason")


def learner_cells(record) -> list:
    return [value(record) for _, value in LEARNER_COLUMNS]


# --- cell text ---------------------------------------------------------------------------------


def text_of(value) -> str:
    """How a cell is written in the tab-delimited file: dates MM/DD/YYYY, amounts without
    trailing zeros, no tab or line break inside a field."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)
