"""Issue 14 item 9: a Help page linked from every page (who to contact for what, the office's
email and phone from settings, how to claim credit, the manual's tips) and "Contact the office",
which files a ticket and emails the office."""

import pytest
from django.core import mail
from django.urls import reverse

from activities.models import Ticket, TicketKind
from tests import factories as f
from tests.personas import make_learner

pytestmark = pytest.mark.django_db


def test_the_help_page_says_whom_to_contact_and_how_to_claim(client, settings):
    settings.OFFICE_EMAIL = "cme@umich.edu"
    settings.OFFICE_PHONE = "+17345550123"
    settings.TWILIO_NUMBER = "+17345550000"
    body = client.get(reverse("help")).content.decode()
    assert (
        "cme@umich.edu" in body and "(734) 555-0123" in body and 'href="tel:+17345550123"' in body
    )
    assert "text the session&#x27;s Child ID" in body or "text the session's Child ID" in body
    assert "(734) 555-0000" in body and "+17345550000" not in body
    assert "3 by 5" in body and "Name says the topic" in body
    assert reverse("help_contact") in body


@pytest.mark.parametrize("url_name", ["login", "portal", "help"])
def test_every_page_links_to_help(client, url_name):
    assert f'href="{reverse("help")}"' in client.get(reverse(url_name)).content.decode()


def test_the_admin_links_to_help_too(client):
    client.force_login(f.reviewer())
    assert f'href="{reverse("help")}"' in client.get(reverse("admin:index")).content.decode()


def test_contact_the_office_files_a_ticket_and_emails_the_office(
    client, settings, django_capture_on_commit_callbacks
):
    settings.OFFICE_EMAIL = "cme@umich.edu"
    learner = make_learner()
    series = f.parent(name="Medicine Grand Rounds")
    child = f.child(series)
    client.force_login(learner)
    form = client.get(reverse("help_contact"), {"child_id": child.pk}).content.decode()
    assert 'value="learner@umich.edu"' in form and f'value="{child.pk}"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("help_contact"),
            {
                "topic": "credit",
                "name": "Lee Learner",
                "email": "learner@umich.edu",
                "child_id": child.pk,
                "message": "My text claim was not recorded.",
            },
            follow=True,
        )
    ticket = Ticket.objects.get()
    assert ticket.kind == TicketKind.CONTACT and ticket.opened_by == learner
    assert ticket.child == child and "My text claim was not recorded." in ticket.body
    assert f"request #{ticket.pk}" in response.content.decode()
    (email,) = mail.outbox
    assert email.to == ["cme@umich.edu"] and email.reply_to == ["learner@umich.edu"]
    assert f"/admin/activities/ticket/{ticket.pk}/change/" in email.body


def test_a_bad_message_changes_nothing_and_says_why(client):
    response = client.post(reverse("help_contact"), {"topic": "credit", "email": "nope"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_learner_sees_no_empty_dashboard_link(client):
    """Issue 14 item 10: learners saw an "RSS Dashboard" link to an empty dashboard."""
    learner = f.person(last_name="Learner")
    client.force_login(learner)
    page = client.get(reverse("transcript")).content.decode()
    assert f'href="{reverse("dashboard")}"' not in page
    coordinator = f.person(last_name="Coordinator")
    f.parent(coordinators=[coordinator])
    client.force_login(coordinator)
    assert f'href="{reverse("dashboard")}"' in client.get(reverse("transcript")).content.decode()
