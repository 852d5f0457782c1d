"""Builders for the PARS tests; the personas and the series are built in tests/personas.py."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import ChildActivity
from activities.rules import ChildStatus
from credit.models import Claim, ClaimChannel
from credit.pars.codes import Board, Delivery, Fee, Outcome, Providership, Registration
from credit.pars.models import BoardIdentifier, LearnerIdentity, MocRegistration, SeriesReport
from credit.pars.rules import npi_check_digit
from faculty.models import Person
from tests import factories as f

YEAR = 2026
FIRST = f.local(YEAR, 1, 8, 12, 0)  # a Thursday: 52 weekly sessions to Dec 31
AFTER_THE_YEAR = f.local(YEAR + 1, 1, 15, 9, 0)


def npi(first_nine: str = "123456789") -> str:
    return first_nine + npi_check_digit(first_nine)


@pytest.fixture
def series_year():
    return YEAR


def people(n, profession, prefix):
    Person.objects.bulk_create(
        Person(
            email=f"{prefix}{i}@example.org",
            first_name="Pat",
            last_name=f"{prefix.title()}{i:02}",
            last_name_lower=f"{prefix}{i:02}",
            profession=profession,
        )
        for i in range(n)
    )
    return list(Person.objects.filter(email__startswith=prefix).order_by("email"))


def sessions(parent, n, status=ChildStatus.APPROVED, start=FIRST, minutes=60):
    children = [
        f.child(
            parent,
            start=start + timedelta(weeks=i),
            minutes=minutes,
            name=f"Topic {i}",
            recompute=False,
        )
        for i in range(n)
    ]
    ChildActivity.objects.filter(pk__in=[c.pk for c in children]).update(status=status)
    return list(ChildActivity.objects.filter(pk__in=[c.pk for c in children]).order_by("start"))


def attend(learners, children, awarded=True, credit="1.00"):
    Claim.objects.bulk_create(
        Claim(
            learner=p,
            child=c,
            channel=ClaimChannel.SMS,
            claimed_at=c.start,
            credit_hours=Decimal(credit),
            awarded_at=c.start if awarded else None,
        )
        for c in children
        for p in learners
    )


def complete(parent, *, lock=True, **overrides) -> SeriesReport:
    """Every PARS field filled, as the office would leave it."""
    fields = {
        "description": "Weekly grand rounds on current evidence in internal medicine.",
        "delivery": [Delivery.IN_PERSON, Delivery.LIVE_STREAMED],
        "city": "Ann Arbor",
        "state": "MI",
        "country": "USA",
        "providership": Providership.DIRECT,
        "designed": [Outcome.COMPETENCE, Outcome.PERFORMANCE],
        "evaluated": [Outcome.COMPETENCE],
        "commercial_support": "no",
        "cme_finder": "yes",
        "finder_fee": Fee.FREE,
        "finder_registration": Registration.LIMITED,
        "finder_url": "https://cme.example.org/grand-rounds",
        "locked_at": timezone.now() if lock else None,
        **overrides,
    }
    report, _ = SeriesReport.objects.update_or_create(parent=parent, defaults=fields)
    return report


def register_moc(report, board=Board.ABIM, points="52", types="Medical Knowledge"):
    return MocRegistration.objects.create(
        report=report,
        board=board,
        practice_areas="Internal Medicine",
        credit_types=types,
        points=Decimal(points),
        fee=Fee.FREE,
        registration=Registration.LIMITED,
        url="https://cme.example.org/grand-rounds",
        claim_date=f.local(YEAR + 1, 1, 31).date(),
    )


def identity(
    person, *, npi_value="", month=4, day=12, state="MI", license="4301012345", consent=True
):
    return LearnerIdentity.objects.create(
        person=person,
        npi=npi_value,
        birth_month=month,
        birth_day=day,
        license_state=state,
        license_number=license,
        state_consent_at=timezone.now() if consent else None,
    )


def board_id(person, board=Board.ABIM, value="123456", consent=True):
    return BoardIdentifier.objects.create(
        person=person, board=board, board_id=value, consent_at=timezone.now() if consent else None
    )
