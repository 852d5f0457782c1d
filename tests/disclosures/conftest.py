"""Personas and data for the disclosure and review tests."""

import pytest

from tests import factories as f


@pytest.fixture
def office():
    return f.reviewer(email="reviewer@example.org")


@pytest.fixture
def admin_user():
    return f.administrator(email="admin@example.org")


@pytest.fixture
def coordinator():
    return f.person(last_name="Coordinator", email="coord@example.org")


@pytest.fixture
def owner():
    return f.person(last_name="Owner", email="owner@example.org")


@pytest.fixture
def learner():
    return f.person(last_name="Learner", email="learner@example.org")


@pytest.fixture
def series(coordinator, owner):
    return f.parent(name="Medicine Grand Rounds", coordinators=[coordinator], owners=[owner])


@pytest.fixture
def speaker():
    return f.person(last_name="Smith", first_name="Jane", email="jsmith@example.org")
