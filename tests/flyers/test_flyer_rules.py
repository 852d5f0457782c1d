"""The flyer's wording, decided from plain values (no database)."""

import itertools
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from flyers import rules
from flyers.rules import PersonDisclosure

DETROIT = ZoneInfo("America/Detroit")


def test_it_accepts_the_four_placeholders_and_escaped_braces():
    template = "{provider} and {joint_provider}: {credit_hours} {credit_type} {{literal}}"
    assert rules.template_errors(template) == []
    values = {
        "provider": "P",
        "joint_provider": "J",
        "credit_hours": "1.0",
        "credit_type": "AMA",
    }
    assert rules.render_statement(template, values) == "P and J: 1.0 AMA {literal}"


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("{provder} designates", "Unknown placeholder {provder}"),
        ("{} designates", "Unknown placeholder {}"),
        ("{0} designates", "Unknown placeholder {0}"),
        ("{provider.name}", "Unknown placeholder {provider.name}"),
        ("{provider:>10}", "without a format"),
        ("{provider!r}", "without a format"),
        ("{provider", "braces do not match"),
        ("provider}", "braces do not match"),
    ],
)
def test_it_names_what_is_wrong_in_a_template(template, fragment):
    errors = rules.template_errors(template)
    assert errors and fragment in " ".join(errors)
    with pytest.raises(ValueError):
        rules.render_statement(template, {})


def test_it_lists_the_allowed_placeholders_in_the_error():
    (error,) = rules.template_errors("{hours}")
    assert "{provider}, {joint_provider}, {credit_hours}, {credit_type}" in error


@pytest.mark.parametrize(
    ("hours", "text"),
    [("1.00", "1.0"), ("1.50", "1.5"), ("1.25", "1.25"), ("2", "2.0"), ("0.75", "0.75")],
)
def test_it_prints_credit_hours_with_at_least_one_decimal(hours, text):
    assert rules.format_credit_hours(Decimal(hours)) == text


def test_it_spells_the_credit_type_as_the_ama_statement_does():
    assert (
        rules.credit_type_for_statement("AMA PRA Category 1 Credit(TM)")
        == "AMA PRA Category 1 Credit(s)\u2122"
    )
    assert (
        rules.credit_type_for_statement("AMA PRA Category 1 Credit(s)(TM)")
        == "AMA PRA Category 1 Credit(s)\u2122"
    )
    assert rules.credit_type_for_statement("ANCC contact hours") == "ANCC contact hours"


def test_it_prints_the_session_time_with_the_zone_abbreviation():
    start = datetime(2026, 1, 15, 12, 0, tzinfo=DETROIT)
    end = datetime(2026, 1, 15, 13, 0, tzinfo=DETROIT)
    assert (
        rules.format_session_time(start, end)
        == "Thursday, January 15, 2026, 12:00 PM \u2013 1:00 PM EST"
    )
    summer = datetime(2026, 7, 9, 7, 5, tzinfo=DETROIT)
    assert rules.format_moment(summer) == "Thursday, July 9, 2026, 7:05 AM EDT"


def test_it_prints_both_days_for_a_session_past_midnight_or_across_a_clock_change():
    start = datetime(2026, 3, 7, 23, 0, tzinfo=DETROIT)
    end = datetime(2026, 3, 8, 4, 0, tzinfo=DETROIT)  # clocks go forward at 2 AM
    assert rules.format_session_time(start, end) == (
        "Saturday, March 7, 2026, 11:00 PM EST \u2013 Sunday, March 8, 2026, 4:00 AM EDT"
    )


def test_it_falls_back_to_a_utc_offset_for_zones_without_an_abbreviation():
    moment = datetime(2026, 1, 15, 12, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    assert rules.zone_abbreviation(moment) == "UTC-03:00"
    assert rules.format_clock(datetime(2026, 1, 1, 0, 30)) == "12:30 AM"


def test_it_strips_bullets_and_numbers_from_objectives():
    text = "1. Recognise sepsis\n  - Start the bundle\n\u2022 Reassess\n2) Escalate\n\n24/7 care"
    assert rules.objective_lines(text) == [
        "Recognise sepsis",
        "Start the bundle",
        "Reassess",
        "Escalate",
        "24/7 care",
    ]


def test_it_groups_several_relationships_with_one_company():
    grouped = rules.group_relationships(
        [
            ("Acme Pharma", "Consultant"),
            ("Beta  Devices", "Advisory board"),
            ("acme pharma", "Speakers' bureau"),
            ("Acme Pharma", "Consultant"),
        ]
    )
    assert grouped == (
        ("Acme Pharma", ("Consultant", "Speakers' bureau")),
        ("Beta Devices", ("Advisory board",)),
    )
    person = PersonDisclosure("Jane Smith, MD", ("Faculty",), "relationships", grouped, True)
    assert person.text == (
        "Acme Pharma (Consultant, Speakers' bureau); Beta Devices (Advisory board)"
    )


def _p(state, mitigated=False, name="X"):
    companies = (("Acme", ("Consultant",)),) if state == "relationships" else ()
    return PersonDisclosure(name, ("Faculty",), state, companies, mitigated)


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([_p("nothing"), _p("nothing")], [rules.NOBODY_HAS_RELATIONSHIPS]),
        ([_p("nothing"), _p("not_relevant")], [rules.NOBODY_HAS_RELATIONSHIPS]),
        ([_p("relationships", True), _p("nothing")], [rules.ALL_MITIGATED]),
        ([_p("relationships", True), _p("relationships", False)], [rules.NOT_YET_MITIGATED]),
        (
            [_p("nothing"), _p("missing", name="Roe, Ann")],
            ["No active disclosure is on file for: Roe, Ann."],
        ),
        (
            [_p("relationships", True), _p("missing", name="A"), _p("missing", name="B")],
            [rules.ALL_MITIGATED_SO_FAR, "No active disclosure is on file for: A; B."],
        ),
    ],
)
def test_it_concludes_the_disclosure_information_for_each_combination(people, expected):
    assert rules.disclosure_conclusion(people) == expected


STATES = ("missing", "nothing", "not_relevant", "relationships")


@pytest.mark.parametrize(
    "states",
    [combo for n in (1, 2, 3) for combo in itertools.product(STATES, repeat=n)],
    ids=lambda combo: "+".join(combo),
)
@pytest.mark.parametrize("mitigated", [True, False])
def test_it_never_says_everyone_disclosed_while_someone_has_not(states, mitigated):
    people = [_p(state, mitigated, name=f"P{i}") for i, state in enumerate(states)]
    intro = rules.disclosure_intro(people)
    conclusion = " ".join(rules.disclosure_conclusion(people))
    missing = [p.name for p in people if p.state == "missing"]
    if missing:
        assert intro == rules.DISCLOSURE_INTRO_INCOMPLETE and "must disclose" in intro
        assert rules.NOBODY_HAS_RELATIONSHIPS not in conclusion
        assert rules.ALL_MITIGATED not in conclusion
        assert f"No active disclosure is on file for: {'; '.join(missing)}." in conclusion
    else:
        assert intro == rules.DISCLOSURE_INTRO
        assert "No active disclosure" not in conclusion


def test_it_words_each_person_state():
    assert _p("missing").text == "No active disclosure on file"
    assert _p("nothing").text == "Nothing to disclose"
    assert _p("not_relevant").text == (
        "No relevant financial relationships with ineligible companies"
    )


def test_it_removes_characters_a_word_document_cannot_hold():
    assert rules.printable("Sepsis\x0bbundles\x0cin\x01 the\tfirst hour\n") == (
        "Sepsis bundles in the\tfirst hour\n"
    )
