"""Learner completion rules: NPI, amounts, ABP once per series, pre-validation, add/delete."""

from datetime import date
from decimal import Decimal as D

import pytest

from credit.pars.codes import STATE_TARGET, Board
from credit.pars.learner_rules import (
    ADD,
    DELETE,
    REJECTED,
    Candidate,
    Sent,
    candidate_problems,
    changes,
    once_for_series,
    per_session,
)
from credit.pars.rules import birth_day_ok, npi_check_digit, npi_ok

DAYS = [(date(2026, 1, 8), D("1")), (date(2026, 1, 15), D("1")), (date(2026, 1, 22), D("0.75"))]


@pytest.mark.parametrize(
    "npi, ok",
    [
        ("1234567893", True),  # CMS's worked example
        ("1234567890", False),  # wrong check digit
        ("123456789", False),  # 9 digits
        ("12345678931", False),
        ("123456789a", False),
        ("１２３４５６７８９３", False),  # fullwidth digits are not digits here
        ("", False),
    ],
)
def test_an_npi_is_ten_digits_with_a_luhn_check_digit_over_the_80840_prefix(npi, ok):
    assert npi_ok(npi) is ok


def test_the_check_digit_makes_any_nine_digits_an_npi():
    for nine in ("123456789", "987654321", "100000000"):
        assert npi_ok(nine + npi_check_digit(nine))
    assert npi_check_digit("123456789") == "3"


def test_birth_month_and_day():
    assert birth_day_ok(2, 29)
    assert not birth_day_ok(2, 30)
    assert not birth_day_ok(13, 1)
    assert not birth_day_ok(None, 1)


def test_one_record_per_session_day_capped_at_the_registered_amount():
    assert per_session(DAYS, None) == DAYS
    assert per_session(DAYS, D("2.5")) == [
        (date(2026, 1, 8), D("1")),
        (date(2026, 1, 15), D("1")),
        (date(2026, 1, 22), D("0.5")),
    ]
    assert per_session(DAYS, D("1")) == [(date(2026, 1, 8), D("1"))]
    assert per_session(reversed(DAYS), D("1")) == [(date(2026, 1, 8), D("1"))]


def test_abp_takes_an_rss_learner_once_with_the_registered_points_when_earned():
    assert once_for_series(DAYS, D("2")) == [(date(2026, 1, 15), D("2"))]
    assert once_for_series(DAYS, D("2.75")) == [(date(2026, 1, 22), D("2.75"))]
    assert once_for_series(DAYS, D("3")) == []  # not earned yet: nothing
    assert once_for_series(DAYS, None) == []


def candidate(**change):
    base = {
        "target": Board.ABIM,
        "completed": date(2026, 3, 5),
        "amount": D("1.00"),
        "accme_activity_id": "202612345",
        "first_name": "Lee",
        "last_name": "Learner",
        "birth_month": 4,
        "birth_day": 12,
        "board_id": "123456",
        "consent": True,
    }
    return Candidate(**{**base, **change})


def test_a_complete_record_passes_pre_validation():
    assert candidate_problems(candidate()) == []
    state = candidate(
        target=STATE_TARGET, board_id="", license_state="MI", license_number="4301012345"
    )
    assert candidate_problems(state) == []
    assert candidate_problems(candidate(target=STATE_TARGET, board_id="", npi="1234567893")) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"board_id": ""}, "Missing ID: no ABIM ID."),
        ({"target": STATE_TARGET, "board_id": ""}, "Missing ID: no license number and no NPI."),
        ({"target": STATE_TARGET, "npi": "1234567890"}, "Bad NPI '1234567890'"),
        (
            {"target": STATE_TARGET, "license_number": "123", "license_state": ""},
            "License number without its state.",
        ),
        ({"consent": False}, "No permission from the learner to share with ABIM."),
        (
            {"target": STATE_TARGET, "npi": "1234567893", "license_state": "MI", "consent": False},
            "to share with the Michigan medical board.",
        ),
        ({"amount": D("0.3")}, "Amount 0.3 is not in steps of 0.25."),
        ({"amount": D("0")}, "Amount 0 is not in steps of 0.25."),
        ({"birth_month": None}, "Birth month and day missing."),
        ({"birth_month": 2, "birth_day": 30}, "Birth month and day are not a real date."),
        ({"first_name": " "}, "First or last name missing."),
        ({"accme_activity_id": ""}, "no ACCME Activity ID yet"),
    ],
)
def test_pre_validation_names_what_the_board_would_reject(change, expected):
    found = candidate_problems(candidate(**change))
    assert any(expected in p for p in found), found


A, B, C = (
    ("lee", 1, "ABIM", date(2026, 1, 8)),
    ("lee", 1, "ABIM", date(2026, 1, 15)),
    ("ana", 1, "STATE", date(2026, 1, 8)),
)


def test_the_first_export_adds_everything():
    assert changes({A: ("v1",), B: ("v2",)}, {}) == [(ADD, A, ("v1",)), (ADD, B, ("v2",))]


def test_a_second_export_sends_only_what_changed():
    sent = {A: Sent(ADD, ("v1",)), B: Sent(ADD, ("v2",))}
    assert changes({A: ("v1",), B: ("v2",)}, sent) == []
    # B changed (e.g. the learner corrected their ID): deleted as sent, added as it is now.
    assert changes({A: ("v1",), B: ("v2b",)}, sent) == [(DELETE, B, ("v2",)), (ADD, B, ("v2b",))]
    # A no longer wanted (consent withdrawn, session rejected): deleted as it was sent.
    assert changes({B: ("v2",)}, sent) == [(DELETE, A, ("v1",))]
    # New C: added.
    assert changes({A: ("v1",), B: ("v2",), C: ("v3",)}, sent) == [(ADD, C, ("v3",))]


def test_a_deleted_record_wanted_again_is_added_again():
    assert changes({A: ("v1",)}, {A: Sent(DELETE, ("v1",))}) == [(ADD, A, ("v1",))]
    assert changes({}, {A: Sent(DELETE, ("v1",))}) == []


def test_a_rejected_record_is_sent_again_only_once_fixed_and_never_deleted():
    sent = {A: Sent(ADD, ("bad id",), REJECTED)}
    assert changes({A: ("bad id",)}, sent) == []  # unchanged: it stays on the worklist
    assert changes({A: ("good id",)}, sent) == [(ADD, A, ("good id",))]
    assert changes({}, sent) == []  # the board never took it: nothing to delete
