"""Adding a child (or a request to the office when the rule does not allow it), deactivating and
reactivating one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ChildActivity, Ticket, TicketKind
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.personas import HTMX, INSIDE, WINDOW, login

pytestmark = pytest.mark.django_db
NEW = "/children/new/"


def payload(series, **changes):
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    values = {
        "series": series.pk,
        "date": day,
        "start_time": "12:00",
        "end_time": "13:00",
        "name": "Antibiotic de-escalation",
        "location": "",
        "action": "add",
    }
    values.update(changes)
    return values


def test_it_adds_a_child_within_the_series_approval(client, coordinator, series):
    assert login(client, coordinator).get(NEW + f"?series={series.pk}", **WINDOW).status_code == 200
    response = client.post(NEW, payload(series), **INSIDE)
    child = ChildActivity.objects.get()
    assert f"Session <strong>{child.pk}</strong> was added".encode() in response.content
    assert child.name == "Antibiotic de-escalation" and child.location == "Ford Auditorium"
    assert child.duration_minutes == 60


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"end_time": "13:30"}, b"It would last 90 minutes; the series is approved for 60-minute"),
        ({"needs_evaluation": "on"}, b"It needs an evaluation"),
    ],
)
def test_it_explains_why_not_and_files_a_request(
    client, coordinator, series, changes, reason, settings
):
    login(client, coordinator)
    refused = client.post(NEW, payload(series, **changes), **INSIDE)
    assert b"You cannot add this session yourself." in refused.content and reason in refused.content
    assert not ChildActivity.objects.exists()
    sent = client.post(
        NEW, payload(series, action="request", note="Visiting speaker", **changes), **INSIDE
    )
    assert b"Your request was sent to" in sent.content
    ticket = Ticket.objects.get()
    assert ticket.kind == TicketKind.NEW_CHILD_REQUEST and ticket.parent == series
    assert "Visiting speaker" in ticket.body and ticket.opened_by == coordinator
    email = OutboxEmail.objects.get(kind="new_child_request")
    assert email.to == [settings.OFFICE_EMAIL] and email.reply_to == [coordinator.email]
    assert not ChildActivity.objects.exists()


def test_it_keeps_new_children_in_the_series_year(client, coordinator, series):
    response = login(client, coordinator).post(
        NEW, payload(series, date=f"{series.year + 1}-02-01"), **INSIDE
    )
    assert f"is approved for {series.year} only".encode() in response.content
    assert not ChildActivity.objects.exists()


def test_it_lets_only_coordinators_add(client, owner, outsider, series, other_series):
    assert login(client, owner).get(NEW, **WINDOW).status_code == 403
    response = login(client, outsider).post(NEW, payload(series), **INSIDE)
    assert b"Select a valid choice" in response.content  # series A is not among B's choices
    assert not ChildActivity.objects.exists()


def test_it_deactivates_and_reactivates_a_child(client, coordinator, child):
    login(client, coordinator)
    response = client.post(reverse("child_deactivate", args=[child.pk]), **HTMX)
    child.refresh_from_db()
    assert not child.is_active
    assert b"DEACTIVATED" in response.content and b"Reactivate" in response.content
    assert child.pk in ChildActivity.objects.values_list("pk", flat=True)  # kept for audit
    client.post(reverse("child_reactivate", args=[child.pk]), **HTMX)
    child.refresh_from_db()
    assert child.is_active


def test_it_refuses_deactivation_to_owners_and_outsiders(client, owner, outsider, child):
    url = reverse("child_deactivate", args=[child.pk])
    assert login(client, owner).post(url, **HTMX).status_code == 403
    assert client.get(url).status_code == 403  # not even the confirmation
    assert login(client, outsider).post(url, **HTMX).status_code == 404
    assert client.get(url).status_code == 404
    child.refresh_from_db()
    assert child.is_active


def test_choosing_a_series_fills_its_default_time_and_place(client, coordinator, series):
    from datetime import time

    series.default_start_time = time(7, 30)
    series.save()
    other = f.parent(name="Medicine Case Conference", coordinators=[coordinator])
    body = login(client, coordinator).get(NEW, {"series": series.pk}, **INSIDE).content.decode()
    assert 'value="07:30"' in body and 'value="08:30"' in body
    assert 'value="Ford Auditorium"' in body
    assert f'<option value="{series.pk}" selected>' in body
    assert f'<option value="{other.pk}">' in body


def test_choosing_a_series_keeps_everything_typed(client, coordinator, series):
    """Issue 14: picking the series reset the date to today + 7 and cleared the name."""
    other = f.parent(name="Medicine Case Conference", coordinators=[coordinator])
    typed = {
        "series": other.pk,
        "date": (timezone.localdate() + timedelta(days=23)).isoformat(),
        "start_time": "07:15",
        "end_time": "08:15",
        "name": "Antibiotic de-escalation",
        "location": "Room 2",
        "note": "Visiting speaker",
    }
    body = login(client, coordinator).get(NEW, typed, **INSIDE).content.decode()
    for value in list(typed.values())[1:-1]:
        assert f'value="{value}"' in body, value
    assert "Visiting speaker</textarea>" in body
    assert f'<option value="{other.pk}" selected>' in body


def test_the_date_defaults_to_the_series_next_free_meeting_day(client, coordinator, series):
    """Only when no date was typed; the factory's series meets on Thursdays."""
    today = timezone.localdate()
    thursday = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    if thursday.year != today.year:
        pytest.skip("the series' year ends before its next meeting")
    f.child(series, name="Taken", start=f.local(thursday.year, thursday.month, thursday.day, 12))
    following = thursday + timedelta(days=7)
    body = login(client, coordinator).get(NEW, {"series": series.pk}, **INSIDE).content.decode()
    expected = following if following.year == today.year else today + timedelta(days=7)
    assert f'value="{expected.isoformat()}"' in body
