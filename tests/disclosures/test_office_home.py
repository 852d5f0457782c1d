"""The office home (the admin index, issue 15 item 6): what waits, with counts and the oldest
item's age, each count linking to its filtered queue; bounded queries."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activities.models import ParentActivity, ParentState, Ticket, TicketKind
from credit.models import LateClaimRequest
from disclosures.rules import Nature
from rss_dashboard.models import OutboxEmail, OutboxState
from rss_dashboard.office_home import office_waiting
from tests import factories as f

pytestmark = pytest.mark.django_db
HOME = reverse("admin:index")
MONDAY = f.local(2026, 3, 2, 9)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def needs_review(series, day, *, disclosed_days_ago=3):
    who = f.person()
    f.disclosure(
        who,
        relationships=[("Acme", Nature.CONSULTANT)],
        at=timezone.now() - timedelta(days=disclosed_days_ago),
    )
    return f.assign(f.child(series, start=f.local(2026, 3, day, 12)), who)


@pytest.fixture
def waiting(monday, series, coordinator, office):
    """COI items 0, 3, 8 and 20 business days ahead; a PENDING session; an open request; a late
    claim; a draft renewal; a failed email; a planner without a disclosure."""
    items = [
        needs_review(series, 2, disclosed_days_ago=40),  # today
        needs_review(series, 5),  # Thursday: 3 business days
        needs_review(series, 12),  # 8 business days
        needs_review(series, 30),  # 20 business days
    ]
    pending = f.child(series, name="Delirium prevention", start=f.local(2026, 3, 20, 12))
    speaker = f.person()
    f.disclosure(speaker)
    items.append(f.assign(pending, speaker))  # nothing to disclose: PENDING, in the queue too
    Ticket.objects.create(
        kind=TicketKind.NEW_CHILD_REQUEST,
        parent=series,
        subject="New session",
        opened_by=coordinator,
        opened_at=timezone.now() - timedelta(days=2),
    )
    held = f.child(series, start=f.local(2026, 2, 2, 12))
    LateClaimRequest.objects.create(
        learner=f.person(), child=held, reason="Phone died", requested_at=timezone.now()
    )
    renewal = f.parent(name="Medicine Grand Rounds", year=2027)
    ParentActivity.objects.filter(pk=renewal.pk).update(state=ParentState.DRAFT)
    OutboxEmail.objects.create(
        event_key="x", kind="x", to=["a@example.org"], subject="x", state=OutboxState.FAILED
    )
    series.roles.create(person=f.person(last_name="Planner"), role="planner")
    return items


def rows_of(user):
    return {w.key: w for w in office_waiting(user)} | {
        p.key: p for w in office_waiting(user) for p in w.parts
    }


def test_it_counts_what_waits_and_the_oldest(waiting, office, admin_user):
    rows = rows_of(admin_user)
    assert rows["coi"].count == 5
    assert [rows[f"coi-{k}"].count for k in ("now", "1-5", "6-10", "later")] == [1, 1, 1, 2]
    # The oldest COI item waits since it was assigned (after its disclosure, 40 days ago).
    assert rows["coi"].since is not None and rows["coi"].since <= timezone.now()
    assert rows["approvals"].count == 1
    assert rows["tickets"].count == 1 and rows["tickets-new"].count == 1
    assert rows["tickets"].since == timezone.now() - timedelta(days=2)
    assert rows["late"].count == 1
    assert rows["renewals"].count == 1
    assert rows["emails"].count == 1
    assert rows["planners"].count == 1 and "in 1 series" in rows["planners"].note
    # Failed emails are the administrators' (the outbox holds personal links).
    assert "emails" not in rows_of(office)


def test_each_count_links_to_its_filtered_queue(client, waiting, office):
    client.force_login(office)
    for key, expected in (("now", [0]), ("1-5", [1]), ("6-10", [2]), ("later", [4, 3])):
        url = rows_of(office)[f"coi-{key}"].url
        listed = [a.pk for a in client.get(url).context["cl"].result_list]
        assert listed == [waiting[i].pk for i in expected], key
    approvals = client.get(rows_of(office)["approvals"].url).context["cl"].result_list
    assert len(approvals) == 1
    tickets = client.get(rows_of(office)["tickets-new"].url).context["cl"].result_list
    assert len(tickets) == 1
    late = client.get(rows_of(office)["late"].url).context["cl"].result_list
    assert len(late) == 1


def test_the_home_page_shows_it(client, waiting, admin_user, settings):
    client.force_login(admin_user)
    body = client.get(HOME).content.decode()
    assert f"What is waiting for {settings.OFFICE_NAME}".replace("&", "&amp;") in body
    assert 'id="waiting-coi"' in body and 'id="waiting-late"' in body
    assert 'aria-label="5: COI reviews"' in body
    assert "2\xa0days" in body  # the oldest ticket's age


def test_the_home_costs_the_same_queries_for_more_work(
    client, waiting, series, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(40) as few:
        client.get(HOME)
    for day in range(3, 28):
        needs_review(series, day)
        Ticket.objects.create(kind=TicketKind.OTHER, subject="More", parent=series)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(HOME)


def test_people_outside_the_office_get_no_panel(client, waiting, coordinator):
    client.force_login(coordinator)
    response = client.get(HOME)
    assert response.status_code == 302  # the admin's sign-in: not staff
