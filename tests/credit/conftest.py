"""Personas for the credit tests."""

import pytest

from faculty.models import Profession
from tests import factories as f
from tests.credit.helpers import PHONE, TOKEN


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_NUMBER = "+17345550000"
    settings.SITE_NAME = "RSS Dashboard"


@pytest.fixture
def office(db):
    return f.reviewer()


@pytest.fixture
def coordinator(db):
    return f.person(last_name="Coordinator", email="coordinator@example.org")


@pytest.fixture
def owner(db):
    return f.person(last_name="Owner", email="owner@example.org")


@pytest.fixture
def outsider(db):
    return f.person(last_name="Outsider", email="outsider@example.org")


@pytest.fixture
def learner(db):
    return f.person(
        last_name="Learner",
        first_name="Lee",
        email="learner@umich.edu",
        mobile_phone=PHONE,
        profession=Profession.PHYSICIAN,
    )


@pytest.fixture
def series(coordinator, owner):
    return f.parent(
        name="Medicine Grand Rounds", year=2026, coordinators=[coordinator], owners=[owner]
    )
