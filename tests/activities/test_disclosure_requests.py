"""Asking for a missing disclosure (issue 14, items 1 and 4): planners get the same request flow
as faculty; "Resend disclosure request" with a fresh personal link on the faculty line and the
person page; the row and the approval column say who is missing; the monitoring reminds planners."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from activities.models import ChildActivity, ParentRole, ParentRoleKind
from activities.monitoring import send_planner_disclosure_reminders
from activities.services.disclosure_requests import DisclosureRequestError, disclosure_request_send
from activities.services.faculty import assignment_add
from disclosures.links import person_id_from_token
from disclosures.models import DisclosureRequest, DisclosureRequestKind
from tests import factories as f
from tests.personas import HTMX, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(series):
    person = f.person(email="pia@umich.edu", last_name="Planner", first_name="Pia")
    ParentRole.objects.create(parent=series, person=person, role=ParentRoleKind.PLANNER)
    return person


@pytest.fixture
def ready(child):
    """The session has a speaker with an active disclosure: only the planner is missing."""
    speaker = f.person(email="sam@umich.edu", last_name="Speaker", first_name="Sam")
    f.disclosure(speaker)
    f.assign(child, speaker)
    child.refresh_from_db()
    return child


def url(person):
    return reverse("disclosure_request", args=[person.pk])


def row_of(client, child) -> str:
    return client.get(reverse("child_row", args=[child.pk])).content.decode()


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """Call something and return (its result, the emails it sent after commit)."""

    def call(fn, *args, **kwargs):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        return result, mail.outbox[before:]

    return call


def link_in(message) -> str:
    return re.search(r"https://rss\.example\.org/disclosure/\?t=(\S+)", message.body).group(1)


def test_the_row_and_the_approval_column_say_which_planner_is_missing(
    client, coordinator, planner, ready
):
    assert ready.planners_without_disclosure == "Planner, Pia"
    row = row_of(login(client, coordinator), ready)
    assert "Planners with COI" in row and "no active disclosure for Planner, Pia" in row
    assert "Not ready for approval: a planner has no active disclosure" in row
    assert "Planner without an active disclosure: Planner, Pia." in row
    assert f'id="request-{ready.pk}-{planner.pk}"' in row


def test_a_coordinator_requests_a_planners_disclosure_from_the_row(
    client, coordinator, planner, ready, sending
):
    login(client, coordinator)
    response, sent = sending(client.post, url(planner), {"child": ready.pk}, **HTMX)
    assert response.status_code == 200
    assert "Disclosure request sent to Planner, Pia" in response["HX-Trigger"]
    assert f'<tr id="child-row-{ready.pk}"' in response.content.decode()
    today = timezone.localdate()
    assert f"Disclosure requested {today:%b} {today.day}, {today.year}" in response.content.decode()
    request = DisclosureRequest.objects.get(person=planner)
    assert request.kind == DisclosureRequestKind.PLANNER and request.parent_id == ready.parent_id
    assert request.requested_by == coordinator
    (message,) = sent
    assert message.to == ["pia@umich.edu"] and message.reply_to == ["cora@umich.edu"]
    assert "You are a planner of:" in message.body and "Medicine Grand Rounds" in message.body
    assert person_id_from_token(link_in(message))[0] == planner.pk  # a fresh personal link
    # A double click sends one request.
    again = client.post(url(planner), {"child": ready.pk}, **HTMX)
    assert again.status_code == 204 and "wait a few minutes" in again["HX-Trigger"]
    assert DisclosureRequest.objects.filter(person=planner).count() == 1


def test_the_office_may_request_owners_and_outsiders_may_not(
    client, office, owner, outsider, other_child, planner, ready
):
    before = DisclosureRequest.objects.count()
    assert login(client, owner).post(url(planner), {"child": ready.pk}).status_code == 403
    assert login(client, outsider).post(url(planner)).status_code == 404
    assert login(client, planner).post(url(planner)).status_code == 403  # not for oneself
    assert client.get(url(planner)).status_code == 405
    assert DisclosureRequest.objects.count() == before
    response = login(client, office).post(url(planner))
    assert response.status_code == 302  # to the person page, with the message
    assert DisclosureRequest.objects.get().requested_by == office


def test_resend_on_the_faculty_line_sends_a_fresh_link(client, coordinator, child, sending):
    speaker = f.person(email="nell@umich.edu", last_name="Nodisc", first_name="Nell")
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        assignment_add(child=child, person=speaker, by=coordinator)  # recorded as a request
    assert DisclosureRequest.objects.get(person=speaker).kind == DisclosureRequestKind.FACULTY
    row = row_of(login(client, coordinator), child)
    assert f'id="resend-{child.pk}-{speaker.pk}"' in row and "Disclosure requested" in row
    response, sent = sending(client.post, url(speaker), {"child": child.pk}, **HTMX)
    assert response.status_code == 200
    (message,) = sent
    assert "You are faculty for:" in message.body and "Sepsis bundles" in message.body
    assert person_id_from_token(link_in(message))[0] == speaker.pk
    assert DisclosureRequest.objects.filter(person=speaker).count() == 2


def test_nothing_to_request_when_the_disclosure_is_active(client, coordinator, child):
    speaker = f.person(last_name="Done", first_name="Dee")
    f.disclosure(speaker)
    f.assign(child, speaker)
    row = row_of(login(client, coordinator), child)
    assert f'id="resend-{child.pk}-{speaker.pk}"' not in row
    response = client.post(url(speaker), {"child": child.pk}, **HTMX)
    assert response.status_code == 204 and "nothing to request" in response["HX-Trigger"]
    with pytest.raises(DisclosureRequestError) as refused:
        disclosure_request_send(person=speaker, by=coordinator)
    assert refused.value.code == "not_needed"


def test_the_person_page_offers_resend_instead_of_a_link_that_needs_a_password(
    client, coordinator, child
):
    speaker = f.person(email="nell@umich.edu", last_name="Nodisc", first_name="Nell")
    f.assign(child, speaker)
    page = login(client, coordinator).get(reverse("person_detail", args=[speaker.pk]))
    body = page.content.decode()
    assert "Resend disclosure request" in body and url(speaker) in body
    assert "send this link" not in body
    DisclosureRequest.objects.all().delete()
    response = client.post(url(speaker), follow=True)
    assert "Disclosure request sent to Nodisc, Nell" in response.content.decode()


def test_the_monitoring_reminds_planners_weekly(planner, ready, series, sending):
    DisclosureRequest.objects.all().delete()
    count, sent = sending(send_planner_disclosure_reminders)
    assert count == 1
    (message,) = sent
    assert message.to == ["pia@umich.edu"] and "Reminder" in message.subject
    assert "You are a planner of:" in message.body
    assert DisclosureRequest.objects.get().kind == DisclosureRequestKind.REMINDER
    assert send_planner_disclosure_reminders() == 0  # again today: nothing
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert send_planner_disclosure_reminders() == 1  # a week later, still missing
    f.disclosure(planner)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert send_planner_disclosure_reminders() == 0  # disclosed: no more reminders


def test_no_reminder_for_a_planner_without_sessions_soon(planner, series):
    ChildActivity.objects.filter(parent=series).delete()
    f.child(series, start=timezone.now() + timedelta(days=60), name="Later")
    assert send_planner_disclosure_reminders() == 0


def test_the_offices_planners_report_has_the_request_action(client, office, planner, ready):
    report = reverse("admin:activities_plannerdisclosure_changelist")
    page = login(client, office).get(report).content.decode()
    assert "Planner, Pia" in page and f'action="{url(planner)}"' in page
    response = client.post(url(planner), {"next": report}, follow=True)
    assert response.redirect_chain[-1][0] == report
    assert "Disclosure request sent to Planner, Pia" in response.content.decode()
    assert DisclosureRequest.objects.get(person=planner).requested_by == office
