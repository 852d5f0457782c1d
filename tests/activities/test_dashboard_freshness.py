"""The dashboard's cached pages are never stale: whatever changes a watched table, by whatever path,
moves the dashboard generation, and the next load shows the change (activities/dashboard/cache.py)."""

import threading
from datetime import timedelta

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.dashboard import triggers
from activities.dashboard.cache import dashboard_generation, remember
from activities.models import (
    ChildActivity,
    ClosureDay,
    Comment,
    Department,
    ParentActivity,
    ParentRole,
    Specialty,
)
from activities.rules import ChildStatus
from activities.services.status import recompute_children
from credit.models import Claim
from faculty.models import Person
from tests import factories as f
from tests.activities.dashboard_support import URL, committed_generation, same_but_tokens
from tests.personas import login

# --- remember(): plain values, no database ----------------------------------------------------


def test_it_builds_every_time_without_a_generation():
    calls = []
    for _ in range(2):
        remember("t", ("a",), None, lambda: calls.append(1) or len(calls))
    assert calls == [1, 1]


def test_it_builds_once_per_generation_and_parts():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert remember("t", ("a",), 7, build) == 1
    assert remember("t", ("a",), 7, build) == 1  # cached
    assert remember("t", ("b",), 7, build) == 2  # another user or search
    assert remember("t", ("a",), 8, build) == 3  # something changed
    assert remember("u", ("a",), 8, build) == 4  # another kind of value


# --- the counter and its triggers (PostgreSQL) -------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_migrations_installed_a_trigger_on_every_watched_table_and_no_other():
    """triggers.WATCHED is the list to change; a migration installs it (frozen copies)."""
    from django.apps import apps

    watched = {triggers.db_table(apps, label) for label, *_ in triggers.WATCHED}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
            "WHERE tgname LIKE 'rss_dashboard_%'"
        )
        installed = {row[0].strip('"') for row in cursor.fetchall()}
    assert installed == watched


CHANGES = {
    # name: (change through a path that sends no signal, text the next page must show)
    "child renamed": (
        lambda c: ChildActivity.objects.filter(pk=c.pk).update(name="Renamed topic XYZ"),
        "Renamed topic XYZ",
    ),
    "series renamed": (
        lambda c: ParentActivity.objects.filter(pk=c.parent_id).update(name="Series XYZ"),
        "Series XYZ",
    ),
    "department renamed": (
        lambda c: Department.objects.filter(pk=c.parent.department_id).update(name="Dept XYZ"),
        "Dept XYZ",
    ),
    "faculty renamed": (
        lambda c: Person.objects.filter(last_name="Speaker").update(last_name="Orator"),
        "Orator, Sam",
    ),
    "faculty assigned": (
        lambda c: f.assign(c, f.person(last_name="Newcomer"), recompute=False),
        "Newcomer, Pat",
    ),
    "disclosure with a relationship": (
        lambda c: f.disclosure(
            Person.objects.get(last_name="Speaker"),
            at=timezone.now(),
            relationships=[("Acme XYZ", f.CONSULTANT)],
        ),
        "Acme XYZ",
    ),
    "comment": (
        lambda c: Comment.objects.create(
            child=c, author=Person.objects.get(last_name="Speaker"), body="Room moved XYZ"
        ),
        "Room moved XYZ",
    ),
    "specialty": (
        lambda c: c.specialties.add(Specialty.objects.create(name="Nephrology XYZ")),
        "Nephrology XYZ",
    ),
}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_cached_page_shows_every_kind_of_change_on_the_next_load(
    client, coordinator, staffed_child, change
):
    login(client, coordinator)
    first = client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(URL).content.decode()
    assert again == first or same_but_tokens(again, first)
    assert len(ctx) <= 3, [q["sql"][:80] for q in ctx]  # session, user, generation
    apply, text = CHANGES[change]
    assert text not in first
    apply(staffed_child)
    assert text in client.get(URL).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_losing_the_coordinator_role_hides_the_series_at_once(client, coordinator, staffed_child):
    login(client, coordinator)
    assert staffed_child.name in client.get(URL).content.decode()
    ParentRole.objects.filter(person=coordinator).delete()
    assert staffed_child.name not in client.get(URL).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_closure_day_moves_the_generation(staffed_child):
    before = committed_generation()
    ClosureDay.objects.create(date=timezone.localdate() + timedelta(days=3), reason="Storm")
    assert committed_generation() == before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_counts_a_transaction_once_and_ignores_what_the_dashboard_does_not_show(
    staffed_child, learner
):
    before = committed_generation()
    with transaction.atomic():
        for i in range(5):
            ChildActivity.objects.filter(pk=staffed_child.pk).update(location=f"Room {i}")
    assert committed_generation() == before + 1
    ChildActivity.objects.filter(pk=staffed_child.pk).update(location="Room 4")  # the same values
    speaker = Person.objects.get(last_name="Speaker")
    Person.objects.filter(pk=speaker.pk).update(last_login=timezone.now())  # signing in
    Claim.objects.create(child=staffed_child, learner=learner, channel="web", credit_hours=1)
    assert committed_generation() == before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_status_engine_raw_update_moves_it(staffed_child):
    status = ChildActivity.objects.get(pk=staffed_child.pk).status
    ChildActivity.objects.filter(pk=staffed_child.pk).update(
        status=ChildStatus.REJECTED
    )  # out of line, by hand
    before = committed_generation()
    with transaction.atomic():
        recompute_children([staffed_child.pk])  # writes with one UPDATE ... FROM VALUES, no signals
    assert ChildActivity.objects.get(pk=staffed_child.pk).status == status != ChildStatus.REJECTED
    assert committed_generation() == before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_does_not_move_it(staffed_child):
    before = committed_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        ChildActivity.objects.filter(pk=staffed_child.pk).update(name="Never")
        raise RuntimeError
    assert committed_generation() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_has_written_does_not_use_the_cache(staffed_child):
    assert dashboard_generation() is not None
    with transaction.atomic():
        assert dashboard_generation() is not None  # nothing written yet
        ChildActivity.objects.filter(pk=staffed_child.pk).update(name="Uncommitted")
        assert dashboard_generation() is None  # its own change has no generation yet


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_crossing_writers_do_not_deadlock_on_the_counter(series):
    """T1 changes child A, T2 child B, then T1 waits for B: with the counter taken mid-transaction
    T2 would wait for T1 on it (a deadlock); taken at commit, T2 commits and T1 goes on."""
    a = f.child(series, name="A")
    b = f.child(series, name="B")
    before = committed_generation()
    dsn = connection.get_connection_params()
    kwargs = {k: v for k, v in dsn.items() if k in ("dbname", "user", "host", "port", "password")}
    # A wait longer than a few seconds is the failure (rather than a hung test).
    t1 = psycopg.connect(**kwargs, options="-c lock_timeout=5000")
    t2 = psycopg.connect(**kwargs, options="-c lock_timeout=5000")
    try:
        t1.execute("UPDATE activities_childactivity SET name = 'A1' WHERE id = %s", [a.pk])
        t2.execute("UPDATE activities_childactivity SET name = 'B2' WHERE id = %s", [b.pk])
        errors = []

        def first_goes_on():
            try:
                t1.execute("UPDATE activities_childactivity SET name = 'B1' WHERE id = %s", [b.pk])
                t1.commit()
            except psycopg.Error as exc:  # a deadlock would land here
                errors.append(exc)

        waiter = threading.Thread(target=first_goes_on)
        waiter.start()
        t2.commit()
        waiter.join(10)
        assert not waiter.is_alive() and not errors
    finally:
        t1.close()
        t2.close()
    assert ChildActivity.objects.get(pk=b.pk).name == "B1"
    assert committed_generation() == before + 2


# Read by a dashboard load but not shown on it: the signed-in session, the counter itself.
NOT_SHOWN = {"django_session", triggers.TABLE}


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_table_a_dashboard_page_reads_is_watched(client, coordinator, admin, staffed_child):
    """The SQL of real pages (every filter, a coordinator and an administrator, a refreshed row):
    each table it reads has the triggers, or a cached page could miss a change to it."""
    import re

    from django.apps import apps

    from activities.dashboard.listing import dashboard_row

    watched = {triggers.db_table(apps, label) for label, *_ in triggers.WATCHED}
    searches = [
        URL,
        URL + "&flag=name&flag=3x5_due&flag=3x5_missed&flag=planners&status=incomplete",
        URL + "&faculty=Speaker%2C+Sam&q=Sepsis&inactive=on&series=1&department=1",
        URL + f"&child_id={staffed_child.pk}",
    ]
    with CaptureQueriesContext(connection) as ctx:
        for who in (coordinator, admin):
            login(client, who)
            for search in searches:
                assert client.get(search).status_code == 200
            dashboard_row(who, staffed_child.pk)
    read = set()
    for query in ctx.captured_queries:
        read |= set(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"]))
    assert "faculty_assignment" in read and "activities_childactivity" in read  # it parsed
    assert read - NOT_SHOWN <= watched, read - NOT_SHOWN - watched
