"""The recurrence window: see the rule, preview what a new one changes, save or apply it."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from activities.models import ChildActivity
from tests import factories as f
from tests.personas import INSIDE, WINDOW, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly(coordinator, owner):
    """A Thursday noon series in 2026 with three upcoming sessions, seen on Nov 1, 2026."""
    with time_machine.travel(datetime(2026, 11, 1, 9, tzinfo=f.DETROIT), tick=False):
        series = f.parent(
            name="Medicine Grand Rounds",
            year=2026,
            coordinators=[coordinator],
            owners=[owner],
            default_start_time=time(12, 0),
        )
        sessions = [
            f.child(series, start=f.local(2026, 11, d, 12), name=f"Topic {d}") for d in (5, 12, 26)
        ] + [f.child(series, start=f.local(2026, 12, 10, 12), name="Topic Dec 10")]
        yield series, sessions


def post(client, series, action, **fields):
    payload = {
        "frequency": "weekly",
        "weekdays": ["WE"],
        "start_time": "12:00",
        "exceptions": "2026-12-09\n12/10/2026",
        "action": action,
        **fields,
    }
    return client.post(reverse("parent_recurrence", args=[series.pk]), payload, **INSIDE)


def test_it_shows_the_rule_to_owners_without_a_form(client, owner, weekly):
    series, _ = weekly
    body = (
        login(client, owner)
        .get(reverse("parent_recurrence", args=[series.pk]), **WINDOW)
        .content.decode()
    )
    assert "Every Thursday" in body and "<form" not in body


def test_it_previews_then_applies_a_new_weekday(client, coordinator, weekly):
    series, sessions = weekly
    with time_machine.travel(datetime(2026, 11, 1, 9, tzinfo=f.DETROIT), tick=False):
        login(client, coordinator)
        preview = post(client, series, "preview").content.decode()
        assert "Move " in preview and "Deactivate" in preview and "New session" in preview
        assert ChildActivity.objects.get(pk=sessions[0].pk).local_start.day == 5  # nothing yet
        response = post(client, series, "apply")
    assert b"Recurrence saved." in response.content
    series.refresh_from_db()
    assert series.recurrence == "FREQ=WEEKLY;BYDAY=WE"
    assert series.exception_dates == ["2026-12-09", "2026-12-10"]
    first, second, third, fourth = (ChildActivity.objects.get(pk=s.pk) for s in sessions)
    assert first.local_start.date() == date(2026, 11, 4) and first.name == "Topic 5"
    assert second.local_start.date() == date(2026, 11, 11)
    assert third.local_start.date() == date(2026, 11, 25) and third.is_active
    assert fourth.local_start.date() == date(2026, 12, 10) and not fourth.is_active
    active = ChildActivity.objects.filter(parent=series, is_active=True)
    assert sorted(c.local_start.day for c in active if c.local_start.month == 12) == [
        2,
        16,
        23,
        30,
    ]
    assert all(c.local_start.weekday() == 2 for c in active)


def test_it_saves_the_rule_only_when_asked(client, coordinator, weekly):
    series, sessions = weekly
    with time_machine.travel(datetime(2026, 11, 1, 9, tzinfo=f.DETROIT), tick=False):
        post(login(client, coordinator), series, "save", frequency="monthly", ordinal="2")
    series.refresh_from_db()
    assert series.recurrence == "FREQ=MONTHLY;BYDAY=2WE"
    assert ChildActivity.objects.get(pk=sessions[0].pk).local_start.day == 5


def test_it_refuses_exception_dates_outside_the_year(client, coordinator, weekly):
    series, _ = weekly
    response = post(login(client, coordinator), series, "save", exceptions="2027-01-07")
    assert b"Exception dates must be in 2026: 2027-01-07." in response.content
    series.refresh_from_db()
    assert series.recurrence == "FREQ=WEEKLY;BYDAY=TH"


def test_it_refuses_owners_and_outsiders(client, owner, outsider, weekly):
    series, _ = weekly
    assert post(login(client, owner), series, "save").status_code == 403
    assert post(login(client, outsider), series, "save").status_code == 404
    series.refresh_from_db()
    assert series.recurrence == "FREQ=WEEKLY;BYDAY=TH"
    assert client.delete(reverse("parent_recurrence", args=[series.pk])).status_code == 405
