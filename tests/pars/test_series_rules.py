"""The "ready to close" checker (pars.rules.problems): plain values in, plain words out."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from credit.pars.codes import Board, Delivery, Fee, InKind, Outcome, Providership, Registration
from credit.pars.rules import (
    MocFacts,
    SeriesFacts,
    Supporter,
    in_quarter_steps,
    learner_data_due,
    moc_deadline,
    problems,
    url_ok,
    year_end_deadline,
)

READY = SeriesFacts(
    title="Medicine Grand Rounds",
    credit_type="AMA PRA Category 1 Credit(TM)",
    approved_sessions=52,
    first_session=date(2026, 1, 8),
    last_session=date(2026, 12, 31),
    hours=Decimal("52.00"),
    description="Weekly grand rounds.",
    delivery=(Delivery.IN_PERSON,),
    city="Ann Arbor",
    state="MI",
    country="USA",
    cme_finder="no",
    providership=Providership.DIRECT,
    designed=frozenset({Outcome.COMPETENCE}),
    evaluated=frozenset({Outcome.COMPETENCE}),
    commercial_support="no",
    locked=True,
)
ABIM = MocFacts(
    board=Board.ABIM,
    practice_areas=("Internal Medicine",),
    credit_types=("Medical Knowledge",),
    points=Decimal("52"),
    fee=Fee.FREE,
    registration=Registration.LIMITED,
    url="https://cme.example.org/gr",
    claim_date=date(2027, 1, 31),
)


def texts(facts):
    return [p.text for p in problems(facts)]


def test_a_complete_locked_series_that_has_ended_is_ready():
    assert problems(READY) == []
    assert problems(replace(READY, moc=(ABIM,))) == []


def test_an_empty_series_lists_every_missing_field_in_plain_words():
    found = problems(SeriesFacts(title="Medicine Grand Rounds", credit_type="AMA PRA Category 1"))
    topics = {p.topic for p in found}
    assert topics == {
        "sessions",
        "description",
        "delivery",
        "finder",
        "providership",
        "outcomes",
        "support",
        "lock",
    }
    words = " ".join(p.text for p in found)
    for phrase in (
        "No approved session yet",
        "Description is missing",
        "Delivery method is not chosen",
        "Listed in CME Finder? (yes or no) is not answered",
        "Providership (direct or joint) is not chosen",
        "No outcome measure",
        "Commercial support (yes or no) is not answered",
        "The office has not checked and locked",
    ):
        assert phrase in words


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"description": "x" * 2501}, "Description is 2,501 characters; PARS takes at most 2,500."),
        ({"description": "   "}, "Description is missing."),
        ({"city": ""}, "City is missing"),
        ({"state": ""}, "State is missing"),
        ({"state": "Mich"}, "is not a two-letter US state"),
        ({"country": "US"}, "Country must be a three-letter code"),
        ({"delivery": ("Carrier pigeon",)}, "Delivery method is not chosen"),
        ({"providership": Providership.JOINT}, "Jointly provided, but no joint provider is named."),
        ({"evaluated": frozenset({Outcome.PERFORMANCE})}, "No outcome measure"),
        ({"designed": frozenset()}, "No outcome measure"),
        ({"cme_finder": "yes"}, "CME Finder: the fee"),
        ({"cme_finder": "yes", "finder_url": "cme.example.org"}, "not a valid http(s) address"),
        ({"commercial_support": "yes"}, "Commercial support is yes, but no source is named."),
        (
            {"sessions_to_come": 2, "last_to_come": date(2026, 12, 17)},
            "2 sessions still to come (the last on Dec 17, 2026)",
        ),
        ({"approved_sessions": 0}, "No approved session yet"),
        ({"hours": Decimal("0")}, "earn no credit"),
        ({"credit_type": "Nursing contact hours"}, "not AMA PRA Category 1 Credit"),
        ({"locked": False}, "The office has not checked and locked the PARS fields yet."),
    ],
)
def test_each_missing_or_invalid_field_is_named(change, expected):
    found = texts(replace(READY, **change))
    assert any(expected in t for t in found), found


def test_location_is_asked_only_of_an_in_person_series():
    virtual = replace(READY, delivery=(Delivery.LIVE_STREAMED,), city="", state="", country="")
    assert problems(virtual) == []
    abroad = replace(READY, country="CAN", state="")
    assert problems(abroad) == []


def test_joint_providership_with_a_named_provider_is_fine():
    assert (
        problems(replace(READY, providership=Providership.JOINT, joint_providers=("MSMS",))) == []
    )


def test_each_source_of_commercial_support_is_monetary_with_amount_or_in_kind():
    base = replace(READY, commercial_support="yes")
    good = (
        Supporter("Acme Pharmaceuticals", "monetary", Decimal("5000")),
        Supporter("Beta Devices", "in_kind", None, InKind.DURABLE),
    )
    assert problems(replace(base, supporters=good)) == []
    found = texts(
        replace(
            base,
            supporters=(
                Supporter("Acme", "monetary", None),
                Supporter("Beta", "", None),
                Supporter("Gamma", "in_kind", None, ""),
                Supporter("", "monetary", Decimal("1")),
            ),
        )
    )
    assert "Source Acme: monetary support needs its amount." in found
    assert "Source Beta: choose monetary or in-kind." in found
    assert "Source Gamma: choose what kind of in-kind support it gave." in found
    assert "A commercial support source has no name." in found
    no_but_listed = replace(READY, supporters=good)
    assert any("sources are listed" in t for t in texts(no_but_listed))


def test_every_board_registered_for_moc_needs_its_fields():
    empty = MocFacts(Board.ABP, (), (), None, "", "", "", None)
    found = [p for p in problems(replace(READY, moc=(empty,))) if p.topic == "moc"]
    assert {p.who for p in found} == {"office"}
    words = [p.text for p in found]
    assert words == [
        "ABP MOC: no practice area.",
        "ABP MOC: no credit type.",
        "ABP MOC: the MOC credit amount is missing.",
        "ABP MOC: the fee is not chosen.",
        "ABP MOC: registration is not chosen.",
        "ABP MOC: the activity's web address is missing or invalid.",
        "ABP MOC: the MOC credit claim date is missing.",
    ]
    odd = texts(replace(READY, moc=(replace(ABIM, points=Decimal("10.1")),)))
    assert "ABIM MOC: the MOC credit amount 10.1 is not in steps of 0.25." in odd


@pytest.mark.parametrize(
    "amount, ok",
    [
        ("0.25", True),
        ("1", True),
        ("12.75", True),
        ("0", False),
        ("0.3", False),
        ("-1", False),
        ("x", False),
        (None, False),
    ],
)
def test_amounts_are_in_steps_of_a_quarter(amount, ok):
    assert in_quarter_steps(amount) is ok


def test_addresses():
    assert url_ok("https://cme.example.org/a?b=1")
    assert not url_ok("javascript:alert(1)")
    assert not url_ok("ftp://example.org")


def test_deadlines_of_the_year():
    assert year_end_deadline(2025) == date(2026, 3, 31)  # a Tuesday
    assert year_end_deadline(2023) == date(2024, 4, 1)  # March 31, 2024 was a Sunday
    assert year_end_deadline(2026) == date(2027, 3, 31)
    assert learner_data_due(date(2026, 12, 10)) == date(2027, 1, 9)
    assert moc_deadline(2026) == date(2026, 12, 31)
