"""SPEC §3: a child's name must say the topic."""

import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from activities.rules import name_needs_update, name_problems

SERIES = "Medicine Grand Rounds"

NEEDS_UPDATE = [
    ("", "The name is empty."),
    ("   \t", "The name is empty."),
    ("Medicine Grand Rounds", "The name is the series name."),
    ("medicine grand rounds!", "The name is the series name."),
    ("Medicine-Grand-Rounds", "The name is the series name."),
    ("Medicine Grand Rounds: Sepsis", "The name contains the series name."),
    ("Sepsis (MEDICINE  GRAND ROUNDS)", "The name contains the series name."),
    ("Sepsis 1/5", "The name contains a date (1/5)."),
    ("Sepsis 01/05/2026", "The name contains a date (01/05/2026)."),
    ("Sepsis 1/5/26", "The name contains a date (1/5/26)."),
    ("Sepsis 1-5-26", "The name contains a date (1-5-26)."),
    ("Sepsis 01.05.2026", "The name contains a date (01.05.2026)."),
    ("Sepsis, Jan 5", "The name contains a date (Jan 5)."),
    ("Sepsis, Jan. 5", "The name contains a date (Jan. 5)."),
    ("Sepsis, January 5th", "The name contains a date (January 5th)."),
    ("Sepsis, 5 January", "The name contains a date (5 January)."),
    ("Sepsis, 5th of Sept.", "The name contains a date (5th of Sept)."),
    ("Sepsis, May 12", "The name contains a date (May 12)."),
    ("Sepsis 2026-01-05", "The name contains a date (2026-01-05)."),
    ("3/4 of patients relapse", "The name contains a date (3/4)."),  # date-shaped: accepted
    ("Sepsis on Monday", "The name contains a weekday (Monday)."),
    ("SEPSIS (TUESDAY)", "The name contains a weekday (TUESDAY)."),
    ("Sepsis - Wed", "The name contains a weekday (Wed)."),
    ("Thurs noon conference", "The name contains a weekday (Thurs)."),
    ("Sat 1/5 case review", "The name contains a weekday (Sat)."),
    ("Sun. Jan 5 update", "The name contains a weekday (Sun)."),
    ("TBD", "The name is a placeholder (TBD)."),
    ("tba", "The name is a placeholder (tba)."),
    ("To be announced", "The name is a placeholder (To be announced)."),
    ("To Be Determined.", "The name is a placeholder (To Be Determined.)."),
    ("Topic", "The name is a placeholder (Topic)."),
    ("Topic: TBD", "The name is a placeholder (Topic: TBD)."),
    ("Lecture", "The name is a placeholder (Lecture)."),
    ("Grand Rounds", "The name is a placeholder (Grand Rounds)."),
    ("Grand Rounds - TBA", "The name is a placeholder (Grand Rounds - TBA)."),
    ("Case Conference", "The name is a placeholder (Case Conference)."),
    ("Tumor board", "The name is a placeholder (Tumor board)."),
    ("N/A", "The name is a placeholder (N/A)."),
    ("Placeholder", "The name is a placeholder (Placeholder)."),
]

FINE = [
    "Sepsis: early recognition and management",
    "COVID-19 update",
    "Type 2 diabetes",
    "IL-6 inhibitors in rheumatoid arthritis",
    "H1N1 and seasonal influenza",
    "Sun protection and melanoma",
    "Sun exposure and melanoma",
    "Heart failure in 2026",  # a year alone is not a date
    "ASCO guideline of March 2026",  # nor a month with a year
    "24/7 hospitalist coverage",  # 24 cannot be a month
    "13/40 rule",
    "3-5 year outcomes",  # a range, not m-d without a year
    "1.5 T versus 3 T MRI",
    "Patients who may 3D print",  # lowercase "may" is a verb
    "Mondays with Morrie: end-of-life care",  # plural: not a weekday
    "Lecture on sepsis",
    "Grand Rounds: Heart failure",
    "Case conference: a child with fever",
    "Tumor board review of HER2 breast cancer",
    "Grandiose delusions",
    "Medicine in the ICU",  # part of the series name only
]


@pytest.mark.parametrize(
    ("name", "reason"), NEEDS_UPDATE, ids=[n or "empty" for n, _ in NEEDS_UPDATE]
)
def test_needs_update(name, reason):
    assert reason in name_problems(name, SERIES)
    assert name_needs_update(name, SERIES)


@pytest.mark.parametrize("name", FINE)
def test_says_the_topic(name):
    assert name_problems(name, SERIES) == []
    assert not name_needs_update(name, SERIES)


def test_full_weekday_names_flag_even_inside_a_topic():
    # Documented choice: full weekday names always flag; a reviewer may clear the flag.
    assert name_needs_update("Saturday-night palsy", SERIES)


def test_empty_series_name_never_matches():
    assert name_problems("Sepsis", "") == []
    assert name_problems("Sepsis", "  -- ") == []


def test_series_name_matches_whole_words_only():
    assert name_problems("Heart failure", "Art") == []
    assert name_problems("Art of medicine", "Art") == ["The name contains the series name."]


def test_empty_name_reports_only_that():
    assert name_problems("", SERIES) == ["The name is empty."]


def test_several_problems_are_all_listed():
    problems = name_problems("Medicine Grand Rounds Mon 1/5", SERIES)
    assert problems == [
        "The name contains the series name.",
        "The name contains a date (1/5).",
        "The name contains a weekday (Mon).",
    ]


# --- properties ------------------------------------------------------------------------------

words = st.text(alphabet=string.ascii_letters, min_size=1, max_size=10)
separators = st.sampled_from([" ", "  ", "-", " - ", ": ", "_", "/", ", ", ". "])
inner_punctuation = st.sampled_from([".", "'", "-", "*"])


@st.composite
def series_and_variant(draw):
    series_words = draw(st.lists(words, min_size=1, max_size=4))
    variant = []
    for i, word in enumerate(series_words):
        if i:
            variant.append(draw(separators))
        chars = [c.upper() if draw(st.booleans()) else c.lower() for c in word]
        if len(chars) > 1 and draw(st.booleans()):
            chars.insert(draw(st.integers(1, len(chars) - 1)), draw(inner_punctuation))
        variant.append("".join(chars))
    return " ".join(series_words), "".join(variant)


@given(series_and_variant(), st.text(), st.text())
def test_any_name_containing_the_series_name_needs_update(pair, before, after):
    series, variant = pair
    name = f"{before} {variant} {after}"
    assert name_needs_update(name, series)


@st.composite
def dates_in_every_format(draw):
    d = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
    month_names = [d.strftime("%B"), d.strftime("%b")]
    month = draw(st.sampled_from(month_names)) if d.month != 5 else "May"
    suffix = draw(st.sampled_from(["", "st", "nd", "rd", "th"]))
    return draw(
        st.sampled_from(
            [
                f"{d.month}/{d.day}",
                f"{d.month:02d}/{d.day:02d}/{d.year}",
                f"{d.month}/{d.day}/{d.year % 100:02d}",
                f"{d.month}-{d.day}-{d.year % 100:02d}",
                f"{d.month:02d}-{d.day:02d}-{d.year}",
                f"{month} {d.day}",
                f"{month}. {d.day}",
                f"{month} {d.day}{suffix}",
                f"{month.upper() if d.month != 5 else month} {d.day}",
                f"{d.day} {month}",
                f"{d.day}{suffix} of {month}",
                d.isoformat(),
            ]
        )
    )


@given(st.text(), dates_in_every_format(), st.text())
def test_any_text_with_a_date_needs_update(before, when, after):
    problems = name_problems(f"{before} {when} {after}", "")
    assert any(p.startswith("The name contains a date") for p in problems), problems


@given(st.text(), st.text())
def test_name_problems_never_raises(name, series):
    problems = name_problems(name, series)
    assert isinstance(problems, list)
    assert all(isinstance(p, str) for p in problems)
    assert name_needs_update(name, series) == bool(problems)
