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


# --- ReadByIds: compiled once per number of ids, the same rows as the ORM -----------------------


def _faculty_read(ids):
    from django.db.models import Subquery

    from disclosures.selectors import newest_disclosure
    from faculty.models import Assignment

    latest = newest_disclosure()
    return (
        Assignment.objects.filter(child_id__in=ids)
        .annotate(disclosure_at=Subquery(latest.values("submitted_at")[:1]))
        .order_by("id")
        # an annotation named before fields: the SQL selects it last
        .values_list(
            "disclosure_at",
            "id",
            "child_id",
            "person__last_name",
            "removed_at",
            "child__professions",
        )
    )


@pytest.mark.postgres
def test_read_by_ids_gives_the_orms_rows_for_any_ids_and_count(django_assert_num_queries):
    from faculty.models import Assignment
    from rss_dashboard.db import ReadByIds

    children = [
        f.child(name=f"Topic {i}", recompute=False, professions=["physician", "nurse"][: i + 1])
        for i in range(3)
    ]
    for i, c in enumerate(children):
        for j in range(i + 1):
            who = f.person(last_name=f"Speaker{i}{j}")
            if j:
                f.disclosure(who)
            f.assign(c, who, recompute=False)
    read = ReadByIds(Assignment, _faculty_read)
    ids = [c.pk for c in children]
    for chosen in (ids, ids[:2], [ids[2], ids[0]], ids, [ids[1]], [987654]):
        with django_assert_num_queries(1):
            rows = read(chosen)
        assert rows == list(_faculty_read(chosen))
    assert sorted(read._compiled) == [("default", 1), ("default", 2), ("default", 3)]
    assert read([]) == []


def test_read_by_ids_refuses_a_query_that_uses_an_id_twice(db, settings):
    from django.db import connection

    from faculty.models import Assignment
    from rss_dashboard.db import ReadByIds

    def twice(ids):
        return Assignment.objects.filter(child_id__in=ids, person_id__in=ids).values_list("id")

    read = ReadByIds(Assignment, twice)
    if connection.vendor != "postgresql":
        assert read([1]) == []  # other databases run the ORM's own query
        return
    with pytest.raises(ValueError):
        read([1])
