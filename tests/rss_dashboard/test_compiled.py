"""ReadByIds (rss_dashboard/compiled.py): compiled once per number of ids, the same rows as
the ORM, and never a stale parameter: a changed keyword or closed-over value compiles anew, a
build whose parameters change by themselves (the clock) is refused."""

import pytest
from django.utils import timezone

from rss_dashboard.compiled import ReadByIds
from tests import factories as f

pytestmark = pytest.mark.django_db


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
    assert read.compiled_keys() == [("default", 1), ("default", 2), ("default", 3)]
    assert read([]) == []


def test_read_by_ids_refuses_a_query_that_uses_an_id_twice(db, settings):
    from django.db import connection

    from faculty.models import Assignment

    def twice(ids):
        return Assignment.objects.filter(child_id__in=ids, person_id__in=ids).values_list("id")

    read = ReadByIds(Assignment, twice)
    if connection.vendor != "postgresql":
        assert read([1]) == []  # other databases run the ORM's own query
        return
    with pytest.raises(ValueError):
        read([1])


def _by_status(ids, status):
    from faculty.models import Assignment

    return (
        Assignment.objects.filter(child_id__in=ids, coi_status=status)
        .order_by("id")
        .values_list("id", "coi_status")
    )


@pytest.mark.django_db
def test_a_changed_keyword_parameter_is_never_frozen(django_assert_num_queries):
    """The trap of issue 20: a filter value of the first call silently kept (a changed value
    returned [])."""
    from faculty.models import Assignment

    child = f.child(recompute=False)
    first = f.assign(child, f.person(last_name="One"), recompute=False)
    second = f.assign(child, f.person(last_name="Two"), recompute=False)
    Assignment.objects.filter(pk=first.pk).update(coi_status="approved")
    Assignment.objects.filter(pk=second.pk).update(coi_status="incomplete")
    read = ReadByIds(Assignment, _by_status)
    for _ in range(2):  # compiled, then reused, for each value
        assert read([child.pk], status="approved") == [(first.pk, "approved")]
        assert read([child.pk], status="incomplete") == [(second.pk, "incomplete")]
        assert read([child.pk], status="rejected") == []


@pytest.mark.django_db
def test_a_changed_closed_over_value_is_never_frozen():
    from faculty.models import Assignment

    child = f.child(recompute=False)
    first = f.assign(child, f.person(last_name="One"), recompute=False)
    Assignment.objects.filter(pk=first.pk).update(coi_status="approved")
    status = "approved"
    read = ReadByIds(Assignment, lambda ids: _by_status(ids, status))
    assert read([child.pk]) == [(first.pk, "approved")]
    status = "incomplete"
    assert read([child.pk]) == []
    status = "approved"
    assert read([child.pk]) == [(first.pk, "approved")]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_build_that_reads_the_clock_is_refused():
    from faculty.models import Assignment

    def since_now(ids):
        return Assignment.objects.filter(
            child_id__in=ids, added_at__lte=timezone.now()
        ).values_list("id")

    with pytest.raises(ValueError, match="keyword"):
        ReadByIds(Assignment, since_now)([1])
