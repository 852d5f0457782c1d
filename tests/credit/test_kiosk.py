"""The check-in kiosk (issue 18): opened by a coordinator for one session; a check-in is a claim
through the claim service, recorded once per key the tablet made for it, even when sent twice or
at the same time; queued check-ins arrive late; the answer never tells whether an address has an
account."""

import json
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from credit.models import Claim, ClaimChannel
from credit.models_attendance import EntryOutcome, KioskCheckIn
from credit.services_kiosk import (
    CHECKED_IN,
    KioskError,
    check_in_code,
    kiosk_check_in,
    kiosk_check_in_confirm,
    kiosk_close,
    kiosk_for_token,
    kiosk_open,
)
from credit.uploads_attendance import AttendanceError
from tests import factories as f

pytestmark = pytest.mark.django_db

MORNING = f.local(2026, 1, 8, 11, 0)
ARRIVAL = f.local(2026, 1, 8, 11, 50)


@pytest.fixture
def kiosk(grand_rounds, coordinator):
    with time_machine.travel(MORNING, tick=False):
        kiosk, token = kiosk_open(child=grand_rounds, by=coordinator)
    kiosk.token = token
    return kiosk


def check_in(kiosk, value, key="key-00000001", **kw):
    kw.setdefault("now", ARRIVAL)
    return kiosk_check_in(kiosk=kiosk, key=key, value=value, **kw)


def test_a_kiosk_link_is_secret_and_expires(kiosk, grand_rounds):
    assert kiosk_for_token(kiosk.token) == kiosk
    assert kiosk_for_token(kiosk.token + "x") is None and kiosk_for_token("") is None
    assert kiosk.token_hash != kiosk.token and len(kiosk.token) >= 32
    assert kiosk.expires_at == grand_rounds.end + timedelta(hours=2)


def test_no_kiosk_for_a_session_that_is_over(grand_rounds, coordinator):
    with (
        time_machine.travel(f.local(2026, 1, 8, 15, 1), tick=False),
        pytest.raises(KioskError) as refused,
    ):
        kiosk_open(child=grand_rounds, by=coordinator)
    assert refused.value.code == "session_over"


def test_a_check_in_is_a_kiosk_claim(kiosk, learner, grand_rounds):
    result = check_in(kiosk, " Learner@UMich.edu ")
    assert (result.outcome, result.message, result.replay) == ("claimed", CHECKED_IN, False)
    claim = Claim.objects.get(learner=learner, child=grand_rounds)
    assert (claim.channel, claim.claimed_at, claim.awarded_at, claim.credit_hours) == (
        "kiosk",
        ARRIVAL,
        None,
        Decimal("1.00"),
    )
    row = KioskCheckIn.objects.get()
    assert (row.typed, row.person, row.claim, row.checked_in_at) == (
        "learner@umich.edu",
        learner,
        claim,
        ARRIVAL,
    )


def test_the_same_key_twice_is_recorded_once_and_answered_the_same(kiosk, learner):
    first = check_in(kiosk, "learner@umich.edu")
    again = check_in(kiosk, "learner@umich.edu", now=ARRIVAL + timedelta(minutes=3))
    assert (again.outcome, again.message, again.replay) == (first.outcome, first.message, True)
    assert KioskCheckIn.objects.count() == 1 and Claim.objects.count() == 1


def test_a_second_check_in_says_the_same_thanks_and_makes_no_second_claim(kiosk, learner):
    check_in(kiosk, "learner@umich.edu")
    second = check_in(kiosk, "learner@umich.edu", key="key-00000002")
    assert (second.outcome, second.message) == ("already_claimed", CHECKED_IN)
    assert Claim.objects.count() == 1


def test_an_address_nobody_has_is_kept_for_the_coordinator_and_answered_alike(
    kiosk, coordinator, grand_rounds
):
    result = check_in(kiosk, "walk.in@gmail.com")
    assert (result.outcome, result.message) == ("unmatched", CHECKED_IN)  # says nothing more
    row = KioskCheckIn.objects.get()
    assert (row.person, row.claim) == (None, None)
    with time_machine.travel(f.local(2026, 1, 8, 14, 0), tick=False):
        new = {
            "person_id": None,
            "new_person": {
                "email": "walk.in@gmail.com",
                "last_name": "Inn",
                "first_name": "Walker",
            },
        }
        confirmed = kiosk_check_in_confirm(check_in_id=row.pk, by=coordinator, choice=new)
    assert (confirmed.outcome, confirmed.claim.claimed_at, confirmed.confirmed_by) == (
        "claimed",
        ARRIVAL,
        coordinator,
    )
    assert confirmed.person.email == "walk.in@gmail.com"
    with pytest.raises(AttendanceError) as refused:
        kiosk_check_in_confirm(
            check_in_id=row.pk, by=coordinator, choice={"person_id": confirmed.person.pk}
        )
    assert refused.value.code == "not_to_confirm"


def test_the_claim_window_applies(kiosk, learner, grand_rounds):
    early = check_in(kiosk, "learner@umich.edu", now=MORNING + timedelta(minutes=5))
    assert early.outcome == "refused" and early.message.startswith("Claiming for Sepsis bundles")
    assert "opens" in early.message and not Claim.objects.exists()


def test_a_personal_check_in_code_works_and_a_forged_one_does_not(kiosk, learner):
    result = check_in(kiosk, check_in_code(learner))
    assert result.outcome == "claimed" and KioskCheckIn.objects.get().typed == "check-in code"
    with pytest.raises(KioskError) as refused:
        check_in(kiosk, "RSS-CHECK-IN:MQ:forged:signature", key="key-00000002")
    assert refused.value.code == "invalid"


@pytest.mark.parametrize("value", ["", "not an email", "x" * 300, "<script>@x"])
def test_what_is_neither_an_address_nor_a_code_is_refused_and_not_recorded(kiosk, value):
    with pytest.raises(KioskError) as refused:
        check_in(kiosk, value)
    assert refused.value.code == "invalid" and not KioskCheckIn.objects.exists()


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "has space!", None])
def test_a_check_in_needs_a_key(kiosk, key):
    with pytest.raises(KioskError) as refused:
        check_in(kiosk, "learner@umich.edu", key=key)
    assert refused.value.code == "bad_key"


def test_a_queued_check_in_arrives_after_the_kiosk_closed(
    kiosk, coordinator, learner, grand_rounds
):
    kiosk_close(kiosk=kiosk, by=coordinator, now=f.local(2026, 1, 8, 13, 0))
    late = check_in(
        kiosk, "learner@umich.edu", checked_in_at=ARRIVAL, now=f.local(2026, 1, 8, 18, 0)
    )
    assert late.outcome == "claimed"
    assert Claim.objects.get(learner=learner).claimed_at == ARRIVAL  # when the learner was there
    with pytest.raises(KioskError) as refused:  # made after closing: refused
        check_in(
            kiosk,
            "learner@umich.edu",
            key="key-00000002",
            checked_in_at=f.local(2026, 1, 8, 13, 5),
            now=f.local(2026, 1, 8, 13, 6),
        )
    assert refused.value.code == "closed"
    with pytest.raises(KioskError):  # a day later: too late
        check_in(
            kiosk,
            "learner@umich.edu",
            key="key-00000003",
            checked_in_at=ARRIVAL,
            now=f.local(2026, 1, 9, 13, 0),
        )


class TestEndpoint:
    def post(self, client, kiosk, **data):
        url = reverse("kiosk_check_in", args=[kiosk.token])
        with time_machine.travel(ARRIVAL, tick=False):
            return client.post(url, data)

    def test_it_answers_json_and_needs_no_session_or_csrf_cookie(self, kiosk, learner):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = self.post(
            strict,
            kiosk,
            key="k-12345678",
            value="learner@umich.edu",
            at=str(int(ARRIVAL.timestamp() * 1000)),
        )
        assert response.status_code == 200
        assert json.loads(response.content) == {
            "outcome": "claimed",
            "message": CHECKED_IN,
            "replay": False,
        }

    def test_refusals_are_4xx_with_the_reason(self, client, kiosk, coordinator):
        assert self.post(client, kiosk, key="k-12345678", value="nope").status_code == 400
        kiosk_close(kiosk=kiosk, by=coordinator, now=ARRIVAL - timedelta(minutes=1))
        closed = self.post(client, kiosk, key="k-12345679", value="learner@umich.edu")
        assert closed.status_code == 410 and json.loads(closed.content)["outcome"] == "closed"
        url = reverse("kiosk_check_in", args=["made-up"])
        assert client.post(url, {"key": "k-12345678", "value": "a@b.org"}).status_code == 404

    def test_the_page_is_public_by_its_link_and_never_sends_it_on(self, client, kiosk):
        with time_machine.travel(ARRIVAL, tick=False):
            page = client.get(reverse("kiosk", args=[kiosk.token]))
        assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
        assert b'id="kiosk-form"' in page.content and b"<script>" not in page.content
        assert client.get(reverse("kiosk", args=["made-up"])).status_code == 404

    def test_a_closed_kiosk_page_says_so(self, client, kiosk, coordinator):
        kiosk_close(kiosk=kiosk, by=coordinator, now=ARRIVAL - timedelta(minutes=1))
        with time_machine.travel(ARRIVAL, tick=False):
            page = client.get(reverse("kiosk", args=[kiosk.token]))
        assert b"a coordinator closed it" in page.content and b'id="kiosk-form"' not in page.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_of_one_check_in_record_it_once(grand_rounds, coordinator, learner):
    """The tablet retries while the first request is still in flight: one row, one claim."""
    with time_machine.travel(MORNING, tick=False):
        kiosk, _token = kiosk_open(child=grand_rounds, by=coordinator)
    results, barrier = [], threading.Barrier(8)

    def send():
        barrier.wait()
        try:
            results.append(
                kiosk_check_in(
                    kiosk=kiosk, key="same-key-123", value="learner@umich.edu", now=ARRIVAL
                ).outcome
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["claimed"] * 8
    assert KioskCheckIn.objects.count() == 1
    assert Claim.objects.filter(channel=ClaimChannel.KIOSK).count() == 1
    assert KioskCheckIn.objects.get().outcome == EntryOutcome.CLAIMED
