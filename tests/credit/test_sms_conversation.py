"""Every reply of the text conversation (SPEC §11), through the signed webhook."""

from datetime import timedelta

import pytest
import time_machine

from activities.services.children import child_set_active
from credit.models import Claim, SmsMessage, SmsOptOut, SmsPendingClaim
from tests import factories as f
from tests.credit.helpers import PHONE, approved_child, pending_child, text

pytestmark = pytest.mark.django_db

START = f.local(2026, 3, 12, 12, 0)  # Thursday, EDT
NOW = START + timedelta(minutes=10)
NEW_PHONE = "+17345550142"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(series, office):
    return approved_child(series, office, start=START)


def test_it_claims_with_name_local_time_and_credit(client, learner, child):
    reply = text(client, f"  {child.pk} ")
    assert reply == (
        f"Credit claimed: Sepsis bundles in the first hour (Child ID {child.pk}), "
        "Thu Mar 12, 2026, 12:00 PM EDT, 1.00 AMA PRA Category 1 Credit(TM). "
        "Thank you for attending."
    )
    claim = Claim.objects.get()
    assert (claim.learner, claim.child, claim.channel) == (learner, child, "sms")
    assert claim.awarded_at is not None
    logged = SmsMessage.objects.get()
    assert (logged.phone, logged.body, logged.reply, logged.outcome) == (
        PHONE,
        f"  {child.pk} ",
        reply,
        "claimed",
    )


def test_it_shows_times_in_the_sessions_own_time_zone(client, learner, series, office):
    child = approved_child(series, office, start=START)
    child.time_zone = "America/Los_Angeles"
    child.save(update_fields=["time_zone"])
    assert "Thu Mar 12, 2026, 9:00 AM PDT" in text(client, str(child.pk))


def test_it_says_pending_approval_before_the_session_is_approved(client, learner, series):
    child = pending_child(series, start=START)
    reply = text(client, str(child.pk))
    assert reply.startswith(
        f"Claim recorded: Sepsis bundles in the first hour (Child ID {child.pk})"
    )
    assert "pending approval" in reply
    assert Claim.objects.get().awarded_at is None


def test_it_says_already_claimed_and_keeps_one_record(client, learner, child):
    text(client, str(child.pk))
    reply = text(client, f"claim {child.pk} again")
    assert reply.startswith(
        f"You already claimed Sepsis bundles in the first hour (Child ID {child.pk})"
    )
    assert "Thu Mar 12, 2026, 12:10 PM EDT" in reply
    assert Claim.objects.count() == 1
    assert list(SmsMessage.objects.order_by("id").values_list("outcome", flat=True)) == [
        "claimed",
        "already_claimed",
    ]


def test_it_says_the_child_id_is_unknown(client, learner, child):
    assert text(client, "987654") == (
        "We found no session with Child ID 987654. Check the number on the slide or flyer and "
        "try again."
    )


def test_it_treats_a_deactivated_session_as_unknown(client, learner, child):
    child_set_active(child, active=False)
    assert text(client, str(child.pk)).startswith(f"We found no session with Child ID {child.pk}.")
    assert not Claim.objects.exists()


def test_it_says_when_the_window_opens(client, learner, series, office):
    later = approved_child(series, office, start=START + timedelta(days=7))
    assert text(client, str(later.pk)) == (
        f"Claiming for Sepsis bundles in the first hour (Child ID {later.pk}) opens "
        "Thu Mar 19, 2026, 11:30 AM EDT (30 minutes before it starts). Please claim again then."
    )


def test_it_says_when_the_window_closed_and_offers_a_late_claim(client, learner, series, office):
    old = approved_child(series, office, start=START - timedelta(days=10))
    reply = text(client, str(old.pk))
    # The end (Mar 2, 1:00 PM EST) plus 10,000 minutes (6 days 22:40) is Mar 9, 11:40 AM EST,
    # shown as 12:40 PM EDT: daylight saving time began on Mar 8.
    assert reply.startswith(
        f"Claiming for Sepsis bundles in the first hour (Child ID {old.pk}) closed "
        "Mon Mar 9, 2026, 12:40 PM EDT."
    )
    assert reply.endswith(f"go to https://rss.example.org/claim/{old.pk}/")


def test_it_says_already_claimed_rather_than_closed(client, learner, child):
    text(client, str(child.pk))
    with time_machine.travel(START + timedelta(days=30), tick=False):
        assert text(client, str(child.pk)).startswith("You already claimed")


def test_it_asks_an_unknown_phone_for_the_account_email(client, learner, child):
    reply = text(client, str(child.pk), phone=NEW_PHONE)
    assert reply == (
        "This phone is not on file yet. Reply with the email address of your account to claim "
        f"Sepsis bundles in the first hour (Child ID {child.pk})."
    )
    pending = SmsPendingClaim.objects.get()
    assert (pending.phone, pending.child_id, pending.completed_at) == (NEW_PHONE, child.pk, None)
    assert not Claim.objects.exists()
    # Asking again keeps one waiting claim, and a text without an email is reminded.
    text(client, str(child.pk), phone=NEW_PHONE)
    assert SmsPendingClaim.objects.count() == 1
    assert text(client, "what?", phone=NEW_PHONE).startswith("We still need your account email")


def test_it_does_not_keep_a_waiting_claim_outside_the_window(client, series, office):
    later = approved_child(series, office, start=START + timedelta(days=7))
    assert text(client, str(later.pk), phone=NEW_PHONE).startswith("Claiming for")
    assert text(client, "404040", phone=NEW_PHONE).startswith("We found no session")
    assert not SmsPendingClaim.objects.exists()


def test_it_answers_help(client):
    reply = text(client, "help")
    assert reply.startswith("RSS Dashboard CME credit: text the Child ID")
    assert "STOP" in reply
    assert len(reply) <= 320


def test_it_honours_stop_and_start(client, learner, child, series, office):
    assert text(client, "STOP") == (
        "You will get no more texts from RSS Dashboard. Reply START to receive replies again."
    )
    assert SmsOptOut.objects.filter(phone=PHONE).exists()
    # No reply after STOP, but the claim is still recorded.
    assert text(client, str(child.pk)) == ""
    assert text(client, "HELP") == ""
    assert Claim.objects.filter(learner=learner).count() == 1
    assert text(client, "stop") != ""  # STOP is confirmed each time
    assert text(client, "START").startswith("Replies from RSS Dashboard are on again.")
    assert not SmsOptOut.objects.exists()
    assert text(client, str(child.pk)).startswith("You already claimed")


def test_it_says_there_is_no_child_id(client, learner):
    for body in ["", "   ", "🙂🙂", "hello there", "１２３", "12345678901234"]:
        assert text(client, body).startswith("We couldn't find a Child ID in your text.")


def test_it_keeps_replies_within_two_segments(client, learner, series, office):
    long = approved_child(series, office, start=START, name="Cardiology " * 23)
    reply = text(client, str(long.pk))
    assert len(reply) <= 320
    assert reply.startswith("Credit claimed: Cardiology")
    assert "…" in reply
    for body in [str(long.pk), f"{long.pk} " + "x" * 300 + "@example.org"]:
        assert len(text(client, body, phone=NEW_PHONE)) <= 320


def test_it_answers_an_invalid_sender_number(client, child):
    assert text(client, str(child.pk), phone="12345").startswith("We can't match this number")
    assert SmsMessage.objects.get().outcome == "bad_phone"


def test_it_says_no_credit_for_a_rejected_session(client, learner, series, office):
    from activities.services.children import child_reject

    child = pending_child(series, start=START)
    child_reject(child, reviewer=office, reason="Name is the series name")
    reply = text(client, str(child.pk))
    assert reply.startswith("Attendance recorded:")
    assert "no credit is offered" in reply


def test_it_logs_every_text(client, learner, child):
    for body in [str(child.pk), "HELP", "STOP", "x", "START"]:
        text(client, body)
    assert SmsMessage.objects.count() == 5
    assert list(SmsMessage.objects.order_by("id").values_list("outcome", flat=True)) == [
        "claimed",
        "help",
        "stop",
        "no_id",
        "start",
    ]
    silent = SmsMessage.objects.get(outcome="no_id")
    assert silent.reply == ""  # opted out at the time


def test_it_stores_bodies_postgres_cannot_hold(client, learner, child):
    assert text(client, f"{child.pk}\x00").startswith("Credit claimed")
    assert SmsMessage.objects.get().body == str(child.pk)


def test_it_says_an_inactive_account_cannot_claim(client, learner, child):
    learner.is_active = False
    learner.save()
    assert text(client, str(child.pk)).startswith("Your account is not active")
    assert not Claim.objects.exists()


def test_the_sms_text_command_prints_the_reply(learner, child):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("sms_text", PHONE, str(child.pk), stdout=out)
    assert out.getvalue().startswith("Credit claimed:")
