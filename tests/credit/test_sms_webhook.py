"""The Twilio webhook: signatures, TwiML, rate limits, and no body ever crashes it."""

import pytest
import time_machine
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from credit.models import Claim, SmsMessage, SmsOptOut, SmsPendingClaim
from tests import factories as f
from tests.credit.helpers import PHONE, SMS_PATH, approved_child, reply_of, sign, sms, text

pytestmark = pytest.mark.django_db

NOW = f.local(2026, 3, 12, 12, 10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(series, office):
    return approved_child(series, office, start=f.local(2026, 3, 12, 12, 0))


def nothing_recorded():
    return (
        not SmsMessage.objects.exists()
        and not Claim.objects.exists()
        and not SmsPendingClaim.objects.exists()
        and not SmsOptOut.objects.exists()
    )


def test_it_answers_a_signed_text_in_twiml(client, learner, child):
    response = sms(client, str(child.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml")
    assert reply_of(response).startswith("Credit claimed:")
    assert Claim.objects.filter(learner=learner, child=child, channel="sms").count() == 1


def test_it_checks_the_signature_against_the_public_address_behind_a_proxy(
    client, learner, child, settings
):
    # The request reaches Django as http://testserver/..., Twilio signed https://rss.example.org/...
    params = {"From": PHONE, "Body": str(child.pk), "MessageSid": "SM1"}
    signature = sign(params)
    response = client.post(
        SMS_PATH, params, HTTP_X_TWILIO_SIGNATURE=signature, HTTP_X_FORWARDED_FOR="10.0.0.1"
    )
    assert response.status_code == 200
    settings.SITE_URL = "https://elsewhere.example.org"
    assert sms(client, str(child.pk), signature=signature, sid="SM1").status_code == 403


def test_it_refuses_a_forged_signature_and_records_nothing(client, learner, child):
    forged = sign({"From": PHONE, "Body": "1"}, token="not-the-token")
    response = sms(client, str(child.pk), signature=forged)
    assert response.status_code == 403
    assert nothing_recorded()


def test_it_refuses_a_missing_signature_and_records_nothing(client, learner, child):
    response = client.post(SMS_PATH, {"From": PHONE, "Body": str(child.pk)})
    assert response.status_code == 403
    assert nothing_recorded()


def test_it_refuses_a_signature_replayed_with_a_changed_body(client, learner, child):
    original = {"From": PHONE, "To": "+17345550000", "Body": "HELP", "MessageSid": "SM0001"}
    signature = sign(original)
    assert reply_of(sms(client, "HELP", signature=signature, sid="SM0001")).startswith(
        "RSS Dashboard"
    )
    SmsMessage.objects.all().delete()
    replay = sms(client, str(child.pk), signature=signature, sid="SM0001")
    assert replay.status_code == 403
    replay_other_phone = sms(
        client, "HELP", phone="+17345550199", signature=signature, sid="SM0001"
    )
    assert replay_other_phone.status_code == 403
    assert nothing_recorded()


def test_it_refuses_everything_when_no_auth_token_is_configured(client, learner, child, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    params = {"From": PHONE, "Body": str(child.pk)}
    from twilio.request_validator import RequestValidator

    empty_key_signature = RequestValidator("").compute_signature(
        f"{settings.SITE_URL}{SMS_PATH}", params
    )
    response = client.post(SMS_PATH, params, HTTP_X_TWILIO_SIGNATURE=empty_key_signature)
    assert response.status_code == 403
    assert nothing_recorded()


def test_it_allows_only_post(client):
    assert client.get(SMS_PATH).status_code == 405
    assert client.put(SMS_PATH).status_code == 405


def test_it_needs_no_csrf_token(learner, child):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert reply_of(sms(strict, str(child.pk))).startswith("Credit claimed:")


def test_it_limits_texts_per_phone(client, learner, child):
    replies = [text(client, "hello") for _ in range(12)]
    assert all(r.startswith("We couldn't find a Child ID") for r in replies[:10])
    assert replies[10] == "You are sending texts too fast. Please wait a minute, then try again."
    assert replies[11] == ""  # answered once per window, then silence
    assert SmsMessage.objects.filter(outcome="rate_limited").count() == 2
    assert text(client, "hello", phone="+17345550101").startswith("We couldn't")  # other phones
    with time_machine.travel(NOW.replace(minute=12), tick=False):
        assert text(client, str(child.pk)).startswith("Credit claimed:")


def test_forged_requests_never_lock_out_signed_texts_from_the_same_address(
    client, learner, child, caplog
):
    """Issue 13.2: after 57 forged posts a signed text from the same (shared Twilio) address got
    429. Forged ones are refused and counted; a signed one is always answered."""
    for _ in range(80):
        assert sms(client, "1", signature="forged").status_code == 403
    assert nothing_recorded()
    assert "bad signatures in a minute" in caplog.text  # the office can be alerted
    assert reply_of(sms(client, str(child.pk))).startswith("Credit claimed:")


def test_a_retried_text_is_answered_with_the_first_reply_and_done_once(client, learner, child):
    """Issue 13.3: Twilio retries with the same MessageSid; nothing may run twice."""
    first = reply_of(sms(client, str(child.pk), sid="SM" + "a" * 32))
    again = reply_of(sms(client, str(child.pk), sid="SM" + "a" * 32))
    assert first.startswith("Credit claimed:")
    assert again == first  # not "You already claimed"
    assert SmsMessage.objects.count() == 1
    assert Claim.objects.count() == 1


def test_a_retried_stop_or_start_runs_once(client, learner):
    stop_sid, start_sid = "SM" + "b" * 32, "SM" + "c" * 32
    assert reply_of(sms(client, "STOP", sid=stop_sid)).startswith("You will get no more texts")
    assert reply_of(sms(client, "START", sid=start_sid)).startswith("Replies from")
    # A late retry of the STOP must not opt the phone out again.
    assert reply_of(sms(client, "STOP", sid=stop_sid)).startswith("You will get no more texts")
    assert not SmsOptOut.objects.exists()
    assert SmsMessage.objects.count() == 2


def test_a_retried_linking_text_sends_one_email(client, child, settings):
    from rss_dashboard.models import OutboxEmail

    f.person(email="jane@umich.edu", last_name="Doe")
    sid = "SM" + "d" * 32
    first = reply_of(sms(client, "jane@umich.edu", phone="+17345550142", sid=sid))
    again = reply_of(sms(client, "jane@umich.edu", phone="+17345550142", sid=sid))
    assert again == first
    assert OutboxEmail.objects.filter(kind="phone_link").count() == 1


def test_two_texts_with_the_same_sid_at_once_leave_one_row(client, learner, child, monkeypatch):
    """The unique MessageSid decides between concurrent retries: the loser answers as the first."""
    from credit import services_sms as sms_module

    sid = "SM" + "e" * 32
    real = sms_module.first_reply
    calls = {"n": 0}

    def not_yet(found_sid):
        # The retry reads "new" as if the first had not written yet: the race, made certain.
        calls["n"] += 1
        return None if calls["n"] == 1 else real(found_sid)

    reply_of(sms(client, "HELP", sid=sid))
    monkeypatch.setattr(sms_module, "first_reply", not_yet)
    assert reply_of(sms(client, "HELP", sid=sid)).startswith("RSS Dashboard")
    assert SmsMessage.objects.filter(message_sid=sid).count() == 1


def test_it_answers_politely_when_something_breaks(client, learner, child, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("credit.views.sms.handle_inbound", broken)
    reply = text(client, str(child.pk))
    assert reply.startswith("Sorry, something went wrong on our side")


BODIES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400),
    st.text(alphabet="0123456789 @.abcSTOPHELPstophelp", max_size=40),
    st.sampled_from(
        ["", " ", "STOP", "START", "HELP", "🙂" * 400, "x" * 10_000, "١٢٣", "ID１２３"]
    ),
)


@hsettings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=BODIES, phone=st.sampled_from([PHONE, "+17345550142", "12345", "", "whatsapp:+1734"]))
def test_it_never_fails_on_any_body(client, learner, child, body, phone):
    from django.core.cache import cache

    cache.clear()  # the property is about bodies, not the per-phone rate limit
    response = sms(client, body, phone=phone)
    assert response.status_code == 200
    assert len(reply_of(response)) <= 320


def test_it_honours_stop_from_a_phone_over_its_limit(client, learner, child):
    for _ in range(12):
        text(client, "hello")
    assert text(client, "STOP").startswith("You will get no more texts")
    assert SmsOptOut.objects.filter(phone=PHONE).exists()


def test_it_reads_the_client_address_through_trusted_proxies_only(rf, settings):
    from rss_dashboard.ratelimit import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: the header is the client's word
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # what our nginx saw, not what the client wrote
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer entries than proxies: do not guess
