"""The attendee portal and the per-series iCalendar feed."""

from datetime import timedelta

import pytest
import time_machine
from icalendar import Calendar

from activities.models import ParentState
from activities.services.children import child_set_active
from tests import factories as f
from tests.credit.helpers import approved_child, pending_child

pytestmark = pytest.mark.django_db

NOW = f.local(2026, 3, 12, 11, 50)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sessions(series, office):
    return {
        "now": approved_child(series, office, start=f.local(2026, 3, 12, 12), name="Sepsis now"),
        "next": approved_child(series, office, start=f.local(2026, 3, 19, 12), name="Stroke"),
        "past": approved_child(series, office, start=f.local(2026, 3, 5, 12), name="Gout past"),
        "far": approved_child(series, office, start=f.local(2026, 8, 6, 12), name="Far away"),
        "pending": pending_child(series, start=f.local(2026, 3, 26, 12), name="Not approved"),
        "gone": approved_child(series, office, start=f.local(2026, 4, 2, 12), name="Cancelled"),
    }


def test_it_lists_upcoming_approved_sessions_per_series(client, series, sessions):
    child_set_active(sessions["gone"], active=False)
    draft = f.parent(name="Draft Series", year=2026)
    draft.state = ParentState.DRAFT
    draft.save()
    page = client.get("/series/").content.decode()
    assert "Medicine Grand Rounds" in page
    assert page.index("Sepsis now") < page.index("Stroke")
    for hidden in ("Gout past", "Far away", "Not approved", "Cancelled", "Draft Series"):
        assert hidden not in page
    assert f"/series/{series.pk}/calendar.ics" in page
    assert f'href="/claim/{sessions["now"].pk}/"' in page  # the window is open
    assert f'href="/claim/{sessions["next"].pk}/"' not in page


def test_it_finds_a_series_by_name(client, series, sessions):
    assert "Sepsis now" in client.get("/series/?q=medicine").content.decode()
    assert "No approved sessions" in client.get("/series/?q=dermatology").content.decode()


def test_it_is_public_and_bounded(client, sessions, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get("/series/").status_code == 200


def test_the_feed_parses_with_icalendar(client, series, sessions):
    child_set_active(sessions["gone"], active=False)
    response = client.get(f"/series/{series.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALNAME"]) == "Medicine Grand Rounds (2026)"
    events = cal.walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries == ["Gout past", "Sepsis now", "Stroke", "Far away"]
    now = next(e for e in events if str(e["SUMMARY"]) == "Sepsis now")
    child = sessions["now"]
    assert now.decoded("DTSTART") == child.start
    assert now.decoded("DTEND") == child.start + timedelta(minutes=60)
    assert str(now["UID"]) == f"child-{child.pk}@rss.example.org"
    assert str(now["URL"]) == f"https://rss.example.org/claim/{child.pk}/"
    assert f"text {child.pk} to (734) 555-0000" in str(now["DESCRIPTION"])  # one format
    assert str(now["LOCATION"]) == "Ford Auditorium"


def test_the_feed_of_an_unknown_or_draft_series_is_404(client, series):
    assert client.get("/series/999999/calendar.ics").status_code == 404
    series.state = ParentState.DRAFT
    series.save()
    assert client.get(f"/series/{series.pk}/calendar.ics").status_code == 404


def test_they_allow_only_get(client, series):
    assert client.post("/series/").status_code == 405
    assert client.post(f"/series/{series.pk}/calendar.ics").status_code == 405
