"""The people of the tests and their series, built in ONE place.

Each persona has a plain builder (`make_coordinator()`, ...) for tests that build a cast inside a
fixture of their own (browser tests, `people` dictionaries), and a pytest fixture of the same name
without `make_`. tests/conftest.py loads this module for every test (`pytest_plugins`), so every app
sees the same Cora the coordinator, Rita of the office and Lee the learner; an app's conftest
changes only what differs there through small fixtures (`series_year`, a richer `series`) or keyword
overrides, never by defining a persona again.

Also here: `login(client, person)` and the htmx request headers the view tests send.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from faculty.models import Person, Profession
from tests import factories as f

PHONE = "+17345550100"  # the learner's mobile phone (the SMS tests text from it)

CORA = {"email": "cora@umich.edu", "first_name": "Cora", "last_name": "Coordinator"}
OWEN = {"email": "owen@umich.edu", "first_name": "Owen", "last_name": "Owner"}
BOB = {"email": "bob@umich.edu", "first_name": "Bob", "last_name": "Other"}
RITA = {"email": "rita@umich.edu", "first_name": "Rita", "last_name": "Reviewer"}
ADA = {"email": "ada@umich.edu", "first_name": "Ada", "last_name": "Admin"}
LEE = {
    "email": "learner@umich.edu",
    "first_name": "Lee",
    "last_name": "Learner",
    "mobile_phone": PHONE,
    "profession": Profession.PHYSICIAN,
}
JANE = {
    "email": "jsmith@example.org",
    "first_name": "Jane",
    "last_name": "Smith",
    "credentials": "MD",
    "affiliation": "Cardiology",
}
PAULA = {
    "email": "paula@umich.edu",
    "first_name": "Paula",
    "last_name": "Planner",
    "credentials": "MD, PhD",
}


# --- builders --------------------------------------------------------------------------------


def _builder(factory, defaults):
    def build(**overrides) -> Person:
        return factory(**{**defaults, **overrides})

    return build


make_coordinator = _builder(f.person, CORA)  # coordinator of the series
make_owner = _builder(f.person, OWEN)  # owner of the series
make_outsider = _builder(f.person, BOB)  # no role in the series (coordinates `other_series`)
make_reviewer = _builder(f.reviewer, RITA)  # a reviewer of the accrediting office
make_admin = _builder(f.administrator, ADA)
make_learner = _builder(f.person, LEE)  # a physician who claims credit, with a mobile phone
make_speaker = _builder(f.person, JANE)  # faculty
make_planner = _builder(f.person, PAULA)  # a planner (whose disclosure approval waits for too)


def make_series(coordinator=None, owner=None, **overrides):
    """Medicine Grand Rounds, with its coordinator and owner."""
    return f.parent(
        name=overrides.pop("name", "Medicine Grand Rounds"),
        coordinators=[coordinator] if coordinator else [],
        owners=[owner] if owner else [],
        **overrides,
    )


def make_other_series(coordinator=None, **overrides):
    """Surgery Tumor Board, another department's series."""
    return f.parent(
        name=overrides.pop("name", "Surgery Tumor Board"),
        coordinators=[coordinator] if coordinator else [],
        department=overrides.pop("department", None) or f.department("Surgery"),
        **overrides,
    )


# --- fixtures --------------------------------------------------------------------------------


def _fixture(name, build):
    """A function-scoped fixture `name` returning a new `build()` (the database is enabled)."""

    def persona(db):
        return build()

    return pytest.fixture(name=name)(persona)


coordinator = _fixture("coordinator", make_coordinator)
owner = _fixture("owner", make_owner)
outsider = _fixture("outsider", make_outsider)
office = _fixture("office", make_reviewer)
admin = _fixture("admin", make_admin)
learner = _fixture("learner", make_learner)
speaker = _fixture("speaker", make_speaker)
planner = _fixture("planner", make_planner)


@pytest.fixture
def admin_user(admin):
    """The administrator under pytest-django's name (it replaces pytest-django's own)."""
    return admin


@pytest.fixture
def series_year():
    """The series' year: this year unless an app's tests live in a fixed year (they override it)."""
    return None


@pytest.fixture
def series(coordinator, owner, series_year):
    return make_series(coordinator, owner, year=series_year)


@pytest.fixture
def other_series(outsider):
    return make_other_series(outsider)


@pytest.fixture
def child(series):
    return f.child(series, start=timezone.now() + timedelta(days=10), name="Sepsis bundles")


@pytest.fixture
def other_child(other_series):
    return f.child(other_series, start=timezone.now() + timedelta(days=10), name="Whipple")


# --- signing in and asking like htmx ---------------------------------------------------------


def login(client, person):
    client.force_login(person)
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}
WINDOW = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "modal-host"}
INSIDE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "window-content"}
