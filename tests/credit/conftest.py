"""Fixtures of the credit tests; the personas and the series are built in tests/personas.py."""

import pytest

from tests import factories as f
from tests.credit.helpers import TOKEN


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_NUMBER = "+17345550000"
    settings.SITE_NAME = "RSS Dashboard"


@pytest.fixture
def series_year():
    """The credit tests live in 2026 (their moments are fixed with time-machine)."""
    return 2026


# --- attendance from other sources (issue 18) ----------------------------------------------------


@pytest.fixture
def grand_rounds(series):
    """A virtual session, Thu Jan 8 2026, noon to 1 PM Detroit (not yet approved)."""
    return f.child(series, start=f.local(2026, 1, 8, 12, 0), minutes=60, name="Sepsis bundles")


@pytest.fixture
def after_grand_rounds():
    """The afternoon of the session, when the coordinator imports its report."""
    import time_machine

    with time_machine.travel(f.local(2026, 1, 8, 14, 0), tick=False):
        yield


@pytest.fixture
def attendees(learner, grand_rounds):
    """The people of the test reports: one with two addresses (an alias domain), one who stays
    half an hour, one who already claimed the session by text."""
    from decimal import Decimal

    from credit.models import Claim, ClaimChannel
    from faculty.models import EmailDomainAlias

    EmailDomainAlias.objects.create(alias_domain="med.umich.edu", canonical_domain="umich.edu")
    people = {
        "learner": learner,
        "jdoe": f.person(email="jdoe@umich.edu", last_name="Doe", first_name="Jane"),
        "early": f.person(email="early@umich.edu", last_name="Early", first_name="Eve"),
        "claimed": f.person(email="claimed@umich.edu", last_name="Texter", first_name="Tia"),
    }
    Claim.objects.create(
        learner=people["claimed"],
        child=grand_rounds,
        channel=ClaimChannel.SMS,
        credit_hours=Decimal("1.00"),
        claimed_at=f.local(2026, 1, 8, 12, 5),
    )
    return people
