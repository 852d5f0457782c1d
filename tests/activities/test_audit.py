"""Services name who made a change in the row's history, for people, jobs and the shell alike
(issue 20: seven services took `by` and ignored it)."""

import pytest

from activities.services.children import child_create, child_set_active, child_update
from activities.services.files import child_file_remove
from rss_dashboard.audit import attribute
from tests import factories as f

pytestmark = pytest.mark.django_db


def last(child):
    return child.history.order_by("-history_id").first()


def test_a_person_is_named_in_the_history(coordinator, child):
    child_update(child, name="Heart failure update", by=coordinator)
    assert last(child).history_user == coordinator


def test_a_job_is_named_as_the_change_reason(child):
    child_set_active(child, active=False, by="job:renewal")
    entry = last(child)
    assert (entry.history_user, entry.history_change_reason) == (None, "job:renewal")


def test_a_new_session_is_attributed(coordinator, series):
    child = child_create(parent=series, start=f.local(series.year, 3, 5, 12), by=coordinator)
    assert child.history.get().history_user == coordinator


def test_removing_a_supporting_file_records_who(coordinator, child):
    from activities.models import ChildFile

    stored = ChildFile.objects.create(
        child=child, kind="supporting", original_name="a.pdf", content_type="x", size=1
    )
    assert child_file_remove(stored, by=coordinator).removed_by == coordinator


def test_attribute_keeps_a_reason_within_the_history_column():
    class Row:
        pass

    row = attribute(Row(), "job:" + "x" * 200, "why")
    assert len(row._change_reason) == 100 and row._history_user is None
