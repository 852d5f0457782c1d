"""The web claim page where the QR code lands: same rules and words as the text messages."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from activities.services.children import child_set_active
from credit import messages as msg
from credit.models import Claim, LateClaimRequest
from tests import factories as f
from tests.credit.helpers import approved_child, pending_child

pytestmark = pytest.mark.django_db

START = f.local(2026, 3, 12, 12, 0)
NOW = START + timedelta(minutes=10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(series, office):
    return approved_child(series, office, start=START)


def url(child_id, suffix=""):
    return f"/claim/{child_id}/{suffix}"


def test_the_url_names_follow_the_contract(child):
    assert reverse("claim", args=[child.pk]) == url(child.pk)
    assert reverse("register") == "/accounts/register/"
    assert reverse("sms_inbound") == "/sms/inbound/"


def test_it_shows_the_session_and_asks_an_anonymous_learner_to_sign_in(client, child):
    page = client.get(url(child.pk)).content.decode()
    assert "Sepsis bundles in the first hour" in page
    assert "Thursday, March 12, 2026, 12:00 PM" in page
    assert f"/accounts/login/?next=/claim/{child.pk}/" in page
    assert f"/accounts/register/?next=/claim/{child.pk}/" in page
    assert 'name="viewport"' in page


def test_it_sends_an_anonymous_post_to_sign_in(client, child):
    response = client.post(url(child.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next=/claim/{child.pk}/")
    assert not Claim.objects.exists()


def test_it_claims_for_a_signed_in_learner(client, learner, child):
    client.force_login(learner)
    page = client.get(url(child.pk)).content.decode()
    assert "Claim my credit" in page
    response = client.post(url(child.pk))
    assert response.status_code == 302
    assert response["Location"] == url(child.pk, "done/")
    claim = Claim.objects.get()
    assert (claim.learner, claim.channel, claim.awarded_at) == (learner, "web", NOW)
    result = client.get(response["Location"]).content.decode()
    assert msg.claimed(claim).split(",")[0] in result
    assert "Credit claimed" in result
    assert "Credit awarded" in result


def test_it_records_the_qr_channel(client, learner, child):
    client.force_login(learner)
    assert 'name="src" value="qr"' in client.get(url(child.pk) + "?src=qr").content.decode()
    client.post(url(child.pk), {"src": "qr"})
    assert Claim.objects.get().channel == "qr"


def test_it_records_a_scan_of_the_flyers_qr_code_as_qr(client, learner, child, settings):
    from urllib.parse import urlsplit

    from flyers.qr import qr_claim_url

    settings.SITE_URL = "https://rss.example.org"
    scanned = urlsplit(qr_claim_url(child.pk))
    assert (scanned.path, scanned.query) == (url(child.pk), "src=qr")
    client.force_login(learner)
    page = client.get(f"{scanned.path}?{scanned.query}").content.decode()
    assert 'name="src" value="qr"' in page
    client.post(scanned.path, {"src": "qr"})
    assert Claim.objects.get().channel == "qr"


@pytest.mark.parametrize("src", ["QR", "sms", "late", "web", "qr ", '"><script>'])
def test_it_records_any_other_source_as_web(client, learner, child, src):
    client.force_login(learner)
    page = client.get(url(child.pk), {"src": src}).content.decode()
    assert 'name="src"' not in page and "<script>" not in page.split("<main", 1)[-1]
    client.post(url(child.pk), {"src": src})
    assert Claim.objects.get().channel == "web"


def test_it_says_already_claimed_on_a_second_post(client, learner, child):
    client.force_login(learner)
    client.post(url(child.pk))
    page = client.post(url(child.pk)).content.decode()
    assert "You already claimed Sepsis bundles in the first hour" in page
    assert Claim.objects.count() == 1


def test_it_says_pending_approval(client, learner, series):
    child = pending_child(series, start=START)
    client.force_login(learner)
    result = client.get(client.post(url(child.pk))["Location"]).content.decode()
    assert "pending approval" in result
    assert 'data-state="pending"' in result


def test_it_says_when_claiming_opens(client, learner, series, office):
    later = approved_child(series, office, start=START + timedelta(days=7))
    client.force_login(learner)
    page = client.get(url(later.pk)).content.decode()
    assert "opens Thu Mar 19, 2026, 11:30 AM EDT" in page
    assert "Claim my credit" not in page
    response = client.post(url(later.pk))
    assert response.status_code == 200
    assert 'data-code="not_open"' in response.content.decode()
    assert not Claim.objects.exists()


def test_it_404s_unknown_and_deactivated_sessions(client, learner, child):
    response = client.get(url(999999))
    assert response.status_code == 404
    assert "We found no session with Child ID 999999" in response.content.decode()
    child_set_active(child, active=False)
    client.force_login(learner)
    assert client.get(url(child.pk)).status_code == 404
    assert client.post(url(child.pk)).status_code == 404
    assert not Claim.objects.exists()


def test_it_allows_only_get_and_post(client, child):
    assert client.put(url(child.pk)).status_code == 405
    assert client.delete(url(child.pk)).status_code == 405


def test_it_limits_claims_per_learner(client, learner, series, office):
    children = [approved_child(series, office, start=START, name=f"Topic {i}") for i in range(11)]
    client.force_login(learner)
    statuses = [client.post(url(c.pk)).status_code for c in children]
    assert statuses == [302] * 10 + [429]
    assert Claim.objects.count() == 10


def test_it_limits_claims_per_address(client, child, settings, one_rate_window):
    settings.CREDIT_RATE_LIMITS = {"claim_ip": (3, 60)}
    for i in range(4):
        client.force_login(f.person(email=f"l{i}@example.org"))
        status = client.post(url(child.pk)).status_code
    assert status == 429
    assert Claim.objects.count() == 3


def test_it_offers_a_late_claim_after_the_window(
    client, learner, coordinator, series, office, django_capture_on_commit_callbacks
):
    old = approved_child(series, office, start=START - timedelta(days=10))
    client.force_login(learner)
    page = client.get(url(old.pk)).content.decode()
    assert "closed Mon Mar 9, 2026, 12:40 PM EDT" in page
    assert "Missed the window?" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(old.pk, "late/"), {"reason": "My phone had no signal."})
    assert response.status_code == 302
    request = LateClaimRequest.objects.get()
    assert (request.learner, request.child, request.reason) == (
        learner,
        old,
        "My phone had no signal.",
    )
    page = client.get(url(old.pk)).content.decode()
    assert "Waiting for the coordinators" in page
    from django.core import mail

    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert f"/parents/{series.pk}/late-claims/" in mail.outbox[0].body


def test_it_refuses_a_late_claim_while_claiming_is_open(client, learner, child):
    client.force_login(learner)
    client.post(url(child.pk, "late/"), {"reason": "Just because"})
    assert not LateClaimRequest.objects.exists()


def test_the_late_request_needs_sign_in_and_post(client, series, office):
    old = approved_child(series, office, start=START - timedelta(days=10))
    assert client.post(url(old.pk, "late/"), {"reason": "x"}).status_code == 302
    assert not LateClaimRequest.objects.exists()
    client.force_login(f.person())
    assert client.get(url(old.pk, "late/")).status_code == 405
