"""Issue 21's five years: the dashboard's series picker lists the series still run or reported
(this year, next year's renewals, last year until its report is in), not every year kept."""

import pytest
import time_machine

from tests import factories as f
from tests.personas import login

pytestmark = pytest.mark.django_db


def test_the_picker_lists_last_year_onward_and_older_years_are_searched_by_date(client):
    admin = f.administrator()
    with time_machine.travel(f.local(2026, 5, 4), tick=False):
        old = f.parent(name="Surgery Grand Rounds", year=2023)
        f.parent(name="Surgery Grand Rounds", year=2025)
        f.parent(name="Surgery Grand Rounds", year=2026)
        held = f.child(old, start=f.local(2023, 3, 9, 7), recompute=False)
        page = login(client, admin).get("/dashboard/").content.decode()
        assert "Surgery Grand Rounds (2026)" in page and "Surgery Grand Rounds (2025)" in page
        assert "Surgery Grand Rounds (2023)" not in page
        found = client.get("/dashboard/?date_from=2023-03-01&date_to=2023-03-31").content
        assert f'id="child-row-{held.pk}"'.encode() in found
