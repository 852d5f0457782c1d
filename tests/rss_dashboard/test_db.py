from datetime import date

import pytest

from activities.models import ChildActivity
from rss_dashboard.db import bulk_update_rows
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_updates_many_rows_with_mixed_and_null_values():
    series = f.parent()
    children = [f.child(series, recompute=False) for _ in range(5)]
    for i, c in enumerate(children):
        c.status = ["pending", "approved"][i % 2]
        c.requirements_met_on = None if i % 2 else date(2026, 1, i + 1)
        c.name_needs_update = bool(i % 2)
    assert (
        bulk_update_rows(
            children, ["status", "requirements_met_on", "name_needs_update"], batch_size=2
        )
        == 5
    )
    stored = {c.pk: c for c in ChildActivity.objects.all()}
    for c in children:
        s = stored[c.pk]
        assert (s.status, s.requirements_met_on, s.name_needs_update) == (
            c.status,
            c.requirements_met_on,
            c.name_needs_update,
        )


def test_it_writes_an_all_null_column():
    c = f.child()
    c.requirements_met_on = None
    c.three_by_five_due = None
    bulk_update_rows([c], ["requirements_met_on", "three_by_five_due"])
    c.refresh_from_db()
    assert c.three_by_five_due is None
