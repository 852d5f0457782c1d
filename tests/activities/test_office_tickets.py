"""Tickets for the office (issue 15, item 5): a queue in the admin with people picked by
autocomplete, a request for a new session fulfilled in one step (the session as asked, the
ticket closed, the requester emailed), any ticket closed with a note; an administrator adds any
session from the dashboard directly."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from activities.models import ChildActivity, Ticket, TicketKind, TicketState
from activities.services.adding import ticket_new_child
from activities.services.children import ChildError
from activities.services.tickets import TicketError, ticket_close, ticket_fulfil_new_child
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.personas import INSIDE, login

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:activities_ticket_changelist")


def answer_url(ticket):
    return reverse("admin:activities_ticket_answer", args=[ticket.pk])


@pytest.fixture
def request_(series, coordinator):
    """A 90-minute session asked for three weeks ahead, at 3:00 PM local time."""
    day = timezone.localdate() + timedelta(days=21)
    start = f.local(day.year, day.month, day.day, 15)
    return ticket_new_child(
        parent=series,
        start=start,
        end=start + timedelta(minutes=90),
        name="Visiting professor: cardio-oncology",
        location="Kahn Auditorium",
        note="Visiting speaker from Mayo.",
        by=coordinator,
    )


def test_the_request_keeps_what_was_asked(request_, series):
    assert request_.requested_name == "Visiting professor: cardio-oncology"
    assert request_.requested_location == "Kahn Auditorium"
    assert request_.requested_end - request_.requested_start == timedelta(minutes=90)
    assert request_.parent == series and request_.state == TicketState.OPEN


def test_fulfilling_creates_the_session_closes_and_emails(request_, office, coordinator):
    child = ticket_fulfil_new_child(
        ticket_id=request_.pk,
        by=office,
        start=request_.requested_start,
        end=request_.requested_end,
        name=request_.requested_name,
        location=request_.requested_location,
    )
    assert child.duration_minutes == 90 and child.name == "Visiting professor: cardio-oncology"
    assert child.location == "Kahn Auditorium" and child.start == request_.requested_start
    ticket = Ticket.objects.get(pk=request_.pk)
    assert ticket.state == TicketState.CLOSED and ticket.child == child
    assert ticket.closed_by == office and ticket.closed_at is not None
    assert f"Added session {child.pk}" in ticket.resolution
    assert ticket.history.count() == 2
    email = OutboxEmail.objects.get(kind="ticket_closed")
    assert email.to == [coordinator.email]
    assert f"Child ID {child.pk}" in email.text_body and "Assign its faculty" in email.text_body


def test_fulfilling_twice_or_the_wrong_kind_is_refused(request_, office, series):
    def fulfil(ticket):
        return ticket_fulfil_new_child(
            ticket_id=ticket.pk,
            by=office,
            start=request_.requested_start,
            end=request_.requested_end,
            name="x",
            location="",
        )

    fulfil(request_)
    with pytest.raises(TicketError) as closed:
        fulfil(request_)
    assert closed.value.code == "closed"
    other = Ticket.objects.create(kind=TicketKind.OTHER, parent=series, subject="Question")
    with pytest.raises(TicketError) as wrong:
        fulfil(other)
    assert wrong.value.code == "not_new_child"
    assert ChildActivity.objects.count() == 1


def test_only_the_office_fulfils_and_the_year_rule_holds(request_, coordinator, office, series):
    with pytest.raises(TicketError):
        ticket_fulfil_new_child(
            ticket_id=request_.pk,
            by=coordinator,
            start=request_.requested_start,
            end=request_.requested_end,
            name="",
            location="",
        )
    next_year = f.local(series.year + 1, 2, 1, 12)
    with pytest.raises(ChildError):
        ticket_fulfil_new_child(
            ticket_id=request_.pk,
            by=office,
            start=next_year,
            end=next_year + timedelta(hours=1),
            name="",
            location="",
        )
    assert not ChildActivity.objects.exists()
    assert Ticket.objects.get(pk=request_.pk).state == TicketState.OPEN


def test_closing_needs_a_note_and_tells_the_requester(request_, office, coordinator):
    with pytest.raises(TicketError):
        ticket_close(ticket_id=request_.pk, by=office, note="  ")
    ticket_close(ticket_id=request_.pk, by=office, note="Please use the regular slot.")
    ticket = Ticket.objects.get(pk=request_.pk)
    assert (
        ticket.state == TicketState.CLOSED and ticket.resolution == "Please use the regular slot."
    )
    email = OutboxEmail.objects.get(kind="ticket_closed")
    assert "Please use the regular slot." in email.text_body


# --- the admin ----------------------------------------------------------------------------


def test_the_queue_lists_open_tickets_with_a_fulfil_button(client, office, request_, series):
    closed = Ticket.objects.create(
        kind=TicketKind.OTHER, subject="Old", state=TicketState.CLOSED, parent=series
    )
    client.force_login(office)
    response = client.get(QUEUE)
    listed = [t.pk for t in response.context["cl"].result_list]
    assert listed == [request_.pk]
    body = response.content.decode()
    assert f'href="{answer_url(request_)}">Fulfil</a>' in body
    everything = client.get(QUEUE + "?state=all").context["cl"].result_list
    assert {t.pk for t in everything} == {request_.pk, closed.pk}


def test_the_answer_page_is_prefilled_and_fulfils_in_one_step(client, office, request_):
    client.force_login(office)
    body = client.get(answer_url(request_)).content.decode()
    local = request_.requested_start.astimezone(request_.parent.zone)
    assert f'value="{local:%Y-%m-%d}"' in body and 'value="15:00"' in body
    assert 'value="16:30"' in body and 'value="Visiting professor: cardio-oncology"' in body
    form = {
        "answer": "fulfil",
        "date": f"{local:%Y-%m-%d}",
        "start_time": "15:00",
        "end_time": "16:30",
        "name": "Visiting professor: cardio-oncology",
        "location": "Kahn Auditorium",
    }
    response = client.post(answer_url(request_), form)
    assert response.status_code == 302 and response["Location"] == QUEUE
    child = ChildActivity.objects.get()
    assert child.start == request_.requested_start and child.duration_minutes == 90
    assert Ticket.objects.get(pk=request_.pk).state == TicketState.CLOSED
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"Added session {child.pk}" in m for m in shown)


def test_a_bad_answer_changes_nothing(client, office, request_):
    client.force_login(office)
    response = client.post(
        answer_url(request_),
        {"answer": "fulfil", "date": "2000-01-01", "start_time": "15:00", "end_time": "14:00"},
    )
    assert response.status_code == 200
    assert not ChildActivity.objects.exists()
    assert client.post(answer_url(request_), {"answer": "close", "note": ""}).status_code == 200
    assert Ticket.objects.get(pk=request_.pk).state == TicketState.OPEN


def test_the_answer_page_is_for_the_office(client, coordinator, request_):
    client.force_login(coordinator)
    response = client.post(answer_url(request_), {"answer": "close", "note": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Ticket.objects.get(pk=request_.pk).state == TicketState.OPEN


def test_the_ticket_form_picks_people_by_autocomplete(client, office, request_):
    for n in range(30):
        f.person(last_name=f"Many{n}")
    client.force_login(office)
    body = client.get(reverse("admin:activities_ticket_change", args=[request_.pk])).content
    body = body.decode()
    assert 'class="admin-autocomplete' in body and 'name="opened_by"' in body
    assert "Many29" not in body  # no drop-down of everybody


def test_the_queue_costs_the_same_queries_for_more_rows(
    client, office, series, django_assert_max_num_queries
):
    client.force_login(office)
    for n in range(3):
        Ticket.objects.create(kind=TicketKind.OTHER, subject=f"T{n}", parent=series)
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for n in range(20):
        Ticket.objects.create(
            kind=TicketKind.OTHER, subject=f"U{n}", parent=series, opened_by=f.person()
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(QUEUE)


# --- an administrator on the dashboard -------------------------------------------------------


def test_an_administrator_adds_a_longer_session_directly(client, admin, series):
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = login(client, admin).post(
        "/children/new/",
        {
            "series": series.pk,
            "date": day,
            "start_time": "12:00",
            "end_time": "13:30",
            "name": "Visiting professor",
            "location": "",
            "action": "add",
        },
        **INSIDE,
    )
    child = ChildActivity.objects.get()
    assert f"Session <strong>{child.pk}</strong> was added".encode() in response.content
    assert child.duration_minutes == 90 and not Ticket.objects.exists()
