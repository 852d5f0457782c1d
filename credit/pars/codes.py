"""The codes ACCME's PARS takes, in one place (docs/pars.md says where each comes from).

Values are what the export writes; labels are what people read on our pages.
"""

from django.db import models

ACTIVITY_TYPE_RSS = "RSS"  # ACCME's activity type code for a Regularly Scheduled Series


class Board(models.TextChoices):
    """The certifying boards that take MOC/CC learner data through PARS, in ACCME's order.
    Codes as in ACCME's activity schema (boardName); "ABPATH" is shown as ABPath."""

    ABA = "ABA", "ABA (Anesthesiology)"
    ABIM = "ABIM", "ABIM (Internal Medicine)"
    ABOS = "ABOS", "ABOS (Orthopaedic Surgery)"
    ABOHNS = "ABOHNS", "ABOHNS (Otolaryngology - Head and Neck Surgery)"
    ABPATH = "ABPATH", "ABPath (Pathology)"
    ABP = "ABP", "ABP (Pediatrics)"
    ABS = "ABS", "ABS (Surgery)"
    ABTS = "ABTS", "ABTS (Thoracic Surgery)"


BOARD_SHORT: dict[str, str] = {  # by Board (a str), as the stored values are
    Board.ABA: "ABA",
    Board.ABIM: "ABIM",
    Board.ABOS: "ABOS",
    Board.ABOHNS: "ABOHNS",
    Board.ABPATH: "ABPath",
    Board.ABP: "ABP",
    Board.ABS: "ABS",
    Board.ABTS: "ABTS",
}
# ABP takes an RSS learner once for the series, after the learner earned the registered points.
ONCE_PER_SERIES_BOARDS = frozenset({Board.ABP})


class Delivery(models.TextChoices):
    IN_PERSON = "In-Person", "In person"
    LIVE_STREAMED = "Live-Streamed", "Live-streamed (virtual)"
    ONLINE = "Online", "Online (recordings for the same learners)"


class Providership(models.TextChoices):
    DIRECT = "Direct", "Directly provided"
    JOINT = "Joint", "Jointly provided"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class Fee(models.TextChoices):
    YES = "Yes", "Yes, there is a fee"
    FREE = "No, it\u2019s free", "No, it's free"
    VARIABLE = "Variable", "Variable"


class Registration(models.TextChoices):
    OPEN = "Open to all", "Open to all"
    LIMITED = "Limited", "Limited"


class SupportKind(models.TextChoices):
    MONETARY = "monetary", "Monetary"
    IN_KIND = "in_kind", "In-kind"


class InKind(models.TextChoices):
    """ACCME's in-kind support categories (one Yes/No column each in the activity template)."""

    DURABLE = "durable", "Durable equipment"
    SPACE = "space", "Facilities / space"
    DISPOSABLE = "disposable", "Disposable supplies (non-biological)"
    ANIMAL = "animal", "Animal parts or tissue"
    HUMAN = "human", "Human parts or tissue"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    COMPETENCE = "competence", "Competence"
    PERFORMANCE = "performance", "Performance"
    PATIENT_OUTCOMES = "patient_outcomes", "Patient outcomes"


US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}  # fmt: skip
STATE_CHOICES = [("", "Choose…"), *sorted(US_STATES.items(), key=lambda kv: kv[1])]

# A learner completion goes to a certifying board (its code) or to a state medical board
# ("STATE", the license state is in the record).
STATE_TARGET = "STATE"
