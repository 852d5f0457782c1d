"""SPEC §11: claim window, credit hours, SMS parsing."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credit.rules import (
    ClaimWindow,
    SmsCommand,
    claim_window,
    credit_hours,
    parse_sms,
    session_credit,
    window_state,
)

START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
WINDOW = claim_window(start=START, end=END, minutes_prior=30, minutes_after=10_000)
S = timedelta(seconds=1)


def test_claim_window():
    assert (
        ClaimWindow(opens=START - timedelta(minutes=30), closes=END + timedelta(minutes=10_000))
        == WINDOW
    )


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (START - timedelta(minutes=30) - S, "not_open"),
        (START - timedelta(minutes=30), "open"),
        (START, "open"),
        (END, "open"),
        (END + timedelta(minutes=10_000), "open"),
        (END + timedelta(minutes=10_000) + S, "closed"),
    ],
    ids=["1s-before-open", "opens", "start", "end", "last-moment", "1s-after-close"],
)
def test_window_edges(now, state):
    assert window_state(WINDOW, now) == state


ONE = Decimal("1.00")
TEN = Decimal("10.00")


@pytest.mark.parametrize(
    ("minutes", "maximum", "credit"),
    [
        (0, TEN, "0.00"),
        (-30, TEN, "0.00"),
        (7, TEN, "0.00"),
        (8, TEN, "0.25"),
        (14, TEN, "0.25"),
        (15, TEN, "0.25"),
        (30, TEN, "0.50"),
        (45, TEN, "0.75"),
        (60, TEN, "1.00"),
        (61, TEN, "1.00"),
        (67, TEN, "1.00"),
        (68, TEN, "1.25"),
        (90, TEN, "1.50"),
        (600, TEN, "10.00"),
        (600, ONE, "1.00"),
        (90, Decimal("1.5"), "1.50"),
        (60, Decimal("0"), "0.00"),
    ],
)
def test_credit_hours(minutes, maximum, credit):
    result = credit_hours(minutes=minutes, maximum=maximum)
    assert result == Decimal(credit)
    assert str(result) == credit


def test_session_credit():
    assert session_credit(start=START, end=END, maximum=ONE) == Decimal("1.00")
    assert session_credit(start=START, end=START + timedelta(hours=2), maximum=ONE) == ONE
    assert session_credit(start=START, end=START + timedelta(minutes=90), maximum=TEN) == Decimal(
        "1.50"
    )
    assert session_credit(start=END, end=START, maximum=ONE) == Decimal("0.00")


@given(
    st.integers(min_value=-10_000, max_value=100_000),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_credit_hours_bounds(minutes, maximum):
    credit = credit_hours(minutes=minutes, maximum=maximum)
    assert Decimal(0) <= credit <= maximum
    assert credit == credit.quantize(Decimal("0.01"))


SMS_CASES = [
    ("STOP", SmsCommand("stop")),
    ("stop", SmsCommand("stop")),
    (" Unsubscribe\n", SmsCommand("stop")),
    ("Stop.", SmsCommand("stop")),
    ("STOPALL", SmsCommand("stop")),
    ("quit", SmsCommand("stop")),
    ("START", SmsCommand("start")),
    ("yes", SmsCommand("start")),
    (" help ", SmsCommand("help")),
    ("INFO", SmsCommand("help")),
    ("1234", SmsCommand("claim", child_id=1234)),
    ("claim 1234 please", SmsCommand("claim", child_id=1234)),
    ("Stop by 1234", SmsCommand("claim", child_id=1234)),
    ("#0042", SmsCommand("claim", child_id=42)),
    ("1234 jdoe@umich.edu", SmsCommand("claim", child_id=1234, email="jdoe@umich.edu")),
    ("jdoe2@umich.edu 1234", SmsCommand("claim", child_id=1234, email="jdoe2@umich.edu")),
    ("JDoe2@UMich.edu", SmsCommand("email", email="jdoe2@umich.edu")),
    (
        "my email is jane.doe+cme@med.umich.edu.",
        SmsCommand("email", email="jane.doe+cme@med.umich.edu"),
    ),
    ("", SmsCommand("unknown")),
    ("   ", SmsCommand("unknown")),
    ("🙂", SmsCommand("unknown")),
    ("１２３", SmsCommand("unknown")),
    ("٣٤٥", SmsCommand("unknown")),
    ("hello", SmsCommand("unknown")),
    ("1234567890123", SmsCommand("unknown")),
    ("123456789", SmsCommand("claim", child_id=123456789)),
    ("1234567890 a@b.co", SmsCommand("unknown", email="a@b.co")),
    ("12\x0034", SmsCommand("claim", child_id=1234)),
    ("🙂 5678 🙂", SmsCommand("claim", child_id=5678)),
    ("x" * 10_000 + " 1234", SmsCommand("unknown")),  # only the first 1,000 characters count
    ("1234 " + "x" * 10_000, SmsCommand("claim", child_id=1234)),
    (None, SmsCommand("unknown")),
]


@pytest.mark.parametrize(("body", "expected"), SMS_CASES, ids=[repr(b)[:30] for b, _ in SMS_CASES])
def test_parse_sms(body, expected):
    assert parse_sms(body) == expected


@given(st.text())
def test_parse_sms_never_raises_on_text(body):
    assert isinstance(parse_sms(body), SmsCommand)


@given(st.binary(max_size=12_000))
def test_parse_sms_never_raises_on_bytes(raw):
    result = parse_sms(raw.decode("utf-8", "replace"))
    assert result.kind in {"claim", "email", "help", "stop", "start", "unknown"}
    if result.child_id is not None:
        assert 0 <= result.child_id < 10**9
