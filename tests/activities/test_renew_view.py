"""Renew a series (SPEC §2): the `parent_renew` page, the calendar's button, and who may."""

import pytest
import time_machine
from django.urls import reverse

from activities.models import ParentActivity, ParentState
from rss_dashboard.outbox import OutboxEmail
from tests import factories as f
from tests.personas import INSIDE, WINDOW, login

pytestmark = pytest.mark.django_db
SEPT = f.local(2026, 9, 2, 10)  # after RENEWAL_REMINDER_START (09-01)
AUGUST = f.local(2026, 8, 31, 10)


@pytest.fixture
def series_2026(coordinator, owner):
    return f.parent(
        name="Medicine Grand Rounds", year=2026, coordinators=[coordinator], owners=[owner]
    )


def url(parent) -> str:
    return reverse("parent_renew", args=[parent.pk])


def test_it_asks_for_confirmation_then_creates_next_years_draft(client, coordinator, series_2026):
    login(client, coordinator)
    with time_machine.travel(SEPT, tick=False):
        page = client.get(url(series_2026), **WINDOW)
        assert page.status_code == 200
        assert "Renew for 2027" in page.content.decode()
        assert not ParentActivity.objects.filter(renewed_from=series_2026).exists()  # GET: nothing
        response = client.post(url(series_2026))
    assert response.status_code == 302 and response["Location"] == url(series_2026)
    renewal = ParentActivity.objects.get(renewed_from=series_2026)
    assert (renewal.year, renewal.state) == (2027, ParentState.DRAFT)
    assert set(renewal.roles.values_list("person_id", flat=True)) >= {coordinator.pk}
    assert OutboxEmail.objects.filter(kind="renewal_submitted").count() == 1
    done = client.get(url(series_2026)).content.decode()
    assert f"renewed for 2027 (Parent ID {renewal.pk}" in done and "renew-confirm" not in done


def test_it_renews_once_and_explains_a_second_try(client, admin, series_2026):
    login(client, admin)  # administrators may renew any series
    assert client.post(url(series_2026)).status_code == 302
    again = client.post(url(series_2026), **INSIDE)
    assert again.status_code == 409
    assert "was already renewed for 2027" in again.content.decode()
    assert ParentActivity.objects.filter(renewed_from=series_2026).count() == 1


def test_a_draft_is_refused_with_the_reason(client, coordinator):
    draft = f.parent(coordinators=[coordinator])
    ParentActivity.objects.filter(pk=draft.pk).update(state=ParentState.DRAFT)
    response = login(client, coordinator).post(url(draft))
    assert response.status_code == 409
    assert "is still a draft" in response.content.decode()
    assert not ParentActivity.objects.filter(renewed_from=draft).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_owners_and_reviewers_get_403_and_change_nothing(
    client, owner, office, series_2026, method
):
    for who in (owner, office):
        assert getattr(login(client, who), method)(url(series_2026)).status_code == 403
    assert not ParentActivity.objects.filter(renewed_from=series_2026).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_404_and_visitors_sign_in(
    client, outsider, other_series, series_2026, method
):
    assert getattr(login(client, outsider), method)(url(series_2026)).status_code == 404
    assert client.get(url(ParentActivity(pk=999999))).status_code == 404
    client.logout()
    response = getattr(client, method)(url(series_2026))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not ParentActivity.objects.filter(renewed_from=series_2026).exists()


def test_other_methods_get_405(client, coordinator, series_2026):
    assert login(client, coordinator).put(url(series_2026)).status_code == 405


def calendar(client, parent) -> str:
    return client.get(reverse("parent_calendar", args=[parent.pk]), **WINDOW).content.decode()


def test_the_calendar_offers_renew_to_coordinators_from_the_start_date(
    client, coordinator, owner, series_2026
):
    button = "Renew for 2027"
    login(client, coordinator)
    with time_machine.travel(AUGUST, tick=False):
        assert button not in calendar(client, series_2026)  # before September 1
    with time_machine.travel(SEPT, tick=False):
        assert button in calendar(client, series_2026)
        assert f'href="{url(series_2026)}"' in calendar(client, series_2026)
        login(client, owner)
        assert button not in calendar(client, series_2026)  # owners cannot renew
        login(client, coordinator)
        client.post(url(series_2026))
        assert button not in calendar(client, series_2026)  # renewed: no second offer


def test_the_renewal_reminder_links_to_the_renew_page(coordinator, series_2026):
    from activities.monitoring import send_renewal_reminders

    with time_machine.travel(SEPT, tick=False):
        assert send_renewal_reminders() == 1
    (email,) = OutboxEmail.objects.filter(kind="renewal_reminder")
    assert f"/parents/{series_2026.pk}/renew/" in email.text_body
