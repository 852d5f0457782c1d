"""The series calendar: drag a session to another day (the move endpoint), undo, the year rule."""

import json
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.personas import INSIDE, WINDOW, login

pytestmark = pytest.mark.django_db


def move(client, child, day, **extra):
    return client.post(
        reverse("child_move", args=[child.pk]),
        {"date": day.isoformat(), "version": child.version, **extra},
        **INSIDE,
    )


def test_it_shows_the_series_month_with_draggable_sessions(client, coordinator, owner, child):
    url = reverse("parent_calendar", args=[child.parent_id]) + f"?focus={child.pk}"
    body = login(client, coordinator).get(url, **WINDOW).content.decode()
    assert f'id="cal-item-{child.pk}" draggable="true"' in body
    assert f'data-drop-date="{child.local_start.date().isoformat()}"' in body
    assert child.local_start.strftime("%B %Y") in body
    owner_view = login(client, owner).get(url, **WINDOW).content.decode()
    assert f'id="cal-item-{child.pk}"' in owner_view and 'draggable="true"' not in owner_view


def test_it_moves_a_session_keeping_time_and_recomputing(client, coordinator, child):
    old_start = child.local_start
    old_due = child.three_by_five_due
    target = old_start.date() + timedelta(days=7)
    response = move(login(client, coordinator), child, target)
    assert response.status_code == 200
    child.refresh_from_db()
    assert child.local_start.date() == target
    assert child.local_start.time() == old_start.time()
    assert child.duration_minutes == 60
    assert child.three_by_five_due > old_due  # the status engine ran
    body = response.content.decode()
    assert "Moved session" in body and 'id="undo-move"' in body
    assert f'<tr id="child-row-{child.pk}"' in body  # the dashboard row updates behind
    assert "Moved session" in json.loads(response["HX-Trigger"])["showMessage"]


def test_it_undoes_a_move(client, coordinator, child):
    old_start = child.start
    move(login(client, coordinator), child, child.local_start.date() + timedelta(days=2))
    child.refresh_from_db()
    response = move(
        client,
        child,
        old_start.astimezone(child.zone).date(),
        time=old_start.astimezone(child.zone).strftime("%H:%M:%S"),
        undo="1",
    )
    assert b"Undone" in response.content
    child.refresh_from_db()
    assert child.start == old_start.replace(microsecond=0)


def test_it_refuses_a_move_outside_the_series_year_with_a_clear_message(
    client, coordinator, series
):
    zone = timezone.get_default_timezone()
    child = f.child(series, start=datetime(series.year, 12, 30, 12, tzinfo=zone))
    response = move(login(client, coordinator), child, datetime(series.year + 1, 1, 2).date())
    assert response.status_code == 200
    assert f"is approved for {series.year} only (through December 31, {series.year})".encode() in (
        response.content
    )
    child.refresh_from_db()
    assert child.local_start.date() == datetime(series.year, 12, 30).date()


def test_it_refuses_a_stale_drag(client, coordinator, child):
    stale_version = child.version
    move(login(client, coordinator), child, child.local_start.date() + timedelta(days=1))
    response = client.post(
        reverse("child_move", args=[child.pk]),
        {
            "date": (child.local_start.date() + timedelta(days=3)).isoformat(),
            "version": stale_version,
        },
        **INSIDE,
    )
    assert b"changed by someone else" in response.content


@pytest.mark.parametrize("version", [None, "", "not-a-number"])
def test_a_move_without_the_version_it_was_based_on_is_refused_like_a_stale_one(
    client, coordinator, child, version
):
    """Issue 13.6: a move without a version skipped optimistic locking."""
    before = (child.start, child.version)
    data = {"date": (child.local_start.date() + timedelta(days=2)).isoformat()}
    if version is not None:
        data["version"] = version
    response = login(client, coordinator).post(
        reverse("child_move", args=[child.pk]), data, **INSIDE
    )
    assert b"changed by someone else" in response.content
    child.refresh_from_db()
    assert (child.start, child.version) == before


def test_it_refuses_outsiders_owners_and_other_methods(client, owner, outsider, child):
    target = child.local_start.date() + timedelta(days=1)
    assert move(login(client, outsider), child, target).status_code == 404
    assert move(login(client, owner), child, target).status_code == 403
    assert client.get(reverse("child_move", args=[child.pk])).status_code == 405
    child.refresh_from_db()
    assert child.version == 1
    assert (
        login(client, outsider).get(reverse("parent_calendar", args=[child.parent_id])).status_code
        == 404
    )
