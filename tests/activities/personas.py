"""Personas and series for the dashboard's view tests: a coordinator and an owner of series A, a
coordinator of series B (an outsider to A), an administrator and a reviewer. The conftest files of
tests/activities and tests/faculty import them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f


@pytest.fixture
def coordinator(db):
    return f.person(email="cora@umich.edu", last_name="Coordinator", first_name="Cora")


@pytest.fixture
def owner(db):
    return f.person(email="owen@umich.edu", last_name="Owner", first_name="Owen")


@pytest.fixture
def outsider(db):
    """Coordinator of series B only."""
    return f.person(email="bob@umich.edu", last_name="Other", first_name="Bob")


@pytest.fixture
def admin(db):
    return f.administrator(email="ada@umich.edu", first_name="Ada")


@pytest.fixture
def office(db):
    return f.reviewer(email="rita@umich.edu", first_name="Rita")


@pytest.fixture
def series(coordinator, owner):
    return f.parent(name="Medicine Grand Rounds", coordinators=[coordinator], owners=[owner])


@pytest.fixture
def other_series(outsider):
    return f.parent(
        name="Surgery Tumor Board",
        coordinators=[outsider],
        department=f.department("Surgery"),
    )


@pytest.fixture
def child(series):
    return f.child(series, start=timezone.now() + timedelta(days=10), name="Sepsis bundles")


@pytest.fixture
def other_child(other_series):
    return f.child(other_series, start=timezone.now() + timedelta(days=10), name="Whipple")


def login(client, person):
    client.force_login(person)
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}
WINDOW = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "modal-host"}
INSIDE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "window-content"}
