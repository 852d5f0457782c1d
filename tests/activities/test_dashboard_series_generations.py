"""Per-series dashboard generations (issue 21): a change moves the series it can affect and no
more, pages and shared rows follow them (activities/dashboard/cache.py, triggers.py)."""

from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.dashboard import triggers
from activities.models import (
    ChildActivity,
    ClosureDay,
    Comment,
    Department,
    ParentActivity,
    ParentRole,
)
from faculty.models import Person
from tests import factories as f
from tests.activities.dashboard_support import URL, committed_generation, same_but_tokens
from tests.personas import login

# --- per-series generations (issue 21): a change moves what it can affect, no more ---------------


def series_generation(parent_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(max(n), 0) FROM {triggers.SERIES_TABLE} WHERE parent_id = %s",
            [parent_id],
        )
        return cursor.fetchone()[0]


def everything() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT everything FROM {triggers.TABLE}")
        return cursor.fetchone()[0]


def generations(*children) -> tuple:
    return (*(series_generation(c.parent_id) for c in children), everything())


@pytest.fixture
def on_two_series(staffed_child, other_child):
    """The speaker of the first series' session, assigned in the other series too."""
    f.assign(other_child, Person.objects.get(last_name="Speaker"))
    return staffed_child, other_child


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_change_in_one_series_moves_that_series_only(staffed_child, other_child):
    a, b, every = generations(staffed_child, other_child)
    ChildActivity.objects.filter(pk=staffed_child.pk).update(name="Renamed here")
    Comment.objects.create(child=staffed_child, author=f.person(), body="A note")
    assert series_generation(staffed_child.parent_id) == committed_generation() > a
    assert generations(other_child)[0] == b
    assert everything() == every


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change",
    [
        lambda p: Person.objects.filter(pk=p.pk).update(last_name="Orator"),
        lambda p: f.disclosure(p, at=timezone.now(), relationships=[("Acme", f.CONSULTANT)]),
    ],
    ids=["renamed", "disclosed"],
)
def test_a_change_to_a_person_on_two_series_moves_both(on_two_series, change):
    first, second = on_two_series
    a, b, every = generations(first, second)
    change(Person.objects.get(last_name="Speaker"))
    assert series_generation(first.parent_id) > a
    assert series_generation(second.parent_id) > b
    assert everything() == every


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change",
    [
        lambda c: ClosureDay.objects.create(date=timezone.localdate() + timedelta(days=3)),
        lambda c: Department.objects.filter(pk=c.parent.department_id).update(name="Dept 2"),
        lambda c: ParentRole.objects.filter(parent_id=c.parent_id).delete(),
        lambda c: ParentActivity.objects.filter(pk=c.parent_id).update(name="Series 2"),
    ],
    ids=["closure day", "department", "role", "series"],
)
def test_what_every_page_may_show_moves_everything(staffed_child, change):
    before = everything()
    change(staffed_child)
    assert everything() == committed_generation() > before


def _edit_url(child) -> str:
    from django.urls import reverse

    return reverse("child_edit", args=[child.pk])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_cached_page_survives_a_change_in_a_series_it_does_not_show(
    client, coordinator, staffed_child, other_child
):
    login(client, coordinator)
    first = client.get(URL).content.decode()
    ChildActivity.objects.filter(pk=other_child.pk).update(name="Elsewhere XYZ")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(URL).content.decode()
    assert len(ctx) <= 3, [q["sql"][:80] for q in ctx]  # session, user, generation: cached
    assert same_but_tokens(again, first)
    ChildActivity.objects.filter(pk=staffed_child.pk).update(name="Here XYZ")
    assert "Here XYZ" in client.get(URL).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_person_on_two_series_changes_both_series_pages(
    client, coordinator, outsider, on_two_series
):
    pages = {}
    for who in (coordinator, outsider):  # the coordinators of the two series
        login(client, who)
        pages[who.pk] = client.get(URL).content.decode()
        assert "Speaker, Sam" in pages[who.pk]
    Person.objects.filter(last_name="Speaker").update(last_name="Orator")
    for who in (coordinator, outsider):
        login(client, who)
        page = client.get(URL).content.decode()
        assert "Orator, Sam" in page and "Speaker, Sam" not in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rows_are_shared_between_users_but_never_a_viewers_permissions(
    client, coordinator, owner, admin, series, staffed_child
):
    """A second coordinator of the series gets the rows the first one's load built (no read of
    the faculty); the owner (who may not change the series) and the office get their own."""
    from activities.models import ParentRoleKind

    second = f.person(last_name="Second", email="second.coordinator@example.org")
    ParentRole.objects.create(parent=series, person=second, role=ParentRoleKind.COORDINATOR)
    login(client, coordinator)
    assert _edit_url(staffed_child) in client.get(URL).content.decode()
    login(client, second)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(URL).content.decode()
    assert _edit_url(staffed_child) in page and "Speaker, Sam" in page
    assert not any('"faculty_assignment"' in q["sql"] for q in ctx), "rows were rebuilt"
    login(client, owner)
    page = client.get(URL).content.decode()
    assert staffed_child.name in page and _edit_url(staffed_child) not in page
    login(client, admin)
    assert _edit_url(staffed_child) in client.get(URL).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_change_counts_where_the_session_is_when_it_commits(staffed_child, other_child):
    """T1 comments on a session of series A; meanwhile the session moves to series B and that
    commits; when T1 commits, B's generation moves (B's pages now show the comment)."""
    dsn = connection.get_connection_params()
    kwargs = {k: v for k, v in dsn.items() if k in ("dbname", "user", "host", "port", "password")}
    author = Person.objects.get(last_name="Speaker")
    t1 = psycopg.connect(**kwargs, options="-c lock_timeout=5000")
    try:
        t1.execute(
            "INSERT INTO activities_comment (child_id, author_id, from_office, body, created_at) "
            "VALUES (%s, %s, false, 'Late note', now())",
            [staffed_child.pk, author.pk],
        )
        ChildActivity.objects.filter(pk=staffed_child.pk).update(parent=other_child.parent_id)
        moved = series_generation(other_child.parent_id)
        t1.commit()
    finally:
        t1.close()
    assert series_generation(other_child.parent_id) == committed_generation() > moved


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_cached_page_carries_a_working_csrf_token_of_its_own(coordinator, staffed_child):
    """The whole page is cached with a mark where the CSRF token goes; each load puts the
    request's own token there, and a form posted with it is accepted."""
    import re

    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, coordinator)
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(URL).content.decode()
    assert len(ctx) <= 3  # from the cache
    assert "csrfMark" not in page
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code in (302, 200), response.status_code
