"""`has_a_series` (the navigation's dashboard link, the home page's choice) answers as
`visible_parents(user).exists()` does, by one lookup of the person's roles."""

import pytest
from django.contrib.auth.models import AnonymousUser

from activities.access import has_a_series, visible_parents
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_agrees_with_the_series_a_person_sees():
    learner, planner, owner, coordinator = (f.person() for _ in range(4))
    f.parent(planners=[planner], owners=[owner], coordinators=[coordinator])
    people = [learner, planner, owner, coordinator, f.reviewer(), f.administrator()]
    answers = [has_a_series(p) for p in people]
    assert answers == [visible_parents(p).exists() for p in people]
    assert answers == [False, False, True, True, True, True]
    assert has_a_series(AnonymousUser()) is False
