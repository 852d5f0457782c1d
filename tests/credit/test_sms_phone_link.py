"""Linking a phone by proof of the email (SPEC §11 as corrected; issue 13, item 1).

Every text goes through the signed webhook (Twilio's own RequestValidator signs each request).
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from credit.models import Claim, PhoneLinkRequest, SmsPendingClaim
from faculty.models import EmailDomainAlias, Person
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.credit.helpers import PHONE, approved_child, text

pytestmark = pytest.mark.django_db

START = f.local(2026, 3, 12, 12, 0)  # Thursday, EDT
NOW = START + timedelta(minutes=10)
NEW_PHONE = "+17345550142"
OTHER_PHONE = "+17345550199"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(series, office):
    return approved_child(series, office, start=START)


@pytest.fixture
def jane(db):
    return f.person(email="jane@umich.edu", last_name="Doe")


def link_email(to: str) -> tuple[str, str]:
    """The confirmation link's path and the code of the newest phone-link email to `to`."""
    email = OutboxEmail.objects.filter(kind="phone_link", to=[to]).latest("id")
    link = re.search(r"https://rss\.example\.org(/sms/link/[^/\s]+/)", email.text_body).group(1)
    code = re.search(r"this code: ([A-Z]{6})", email.text_body).group(1)
    return link, code


def uniform(reply: str) -> str:
    """The reply without its registration token (random per text)."""
    return re.sub(r"\?t=[\w-]+", "?t=…", reply)


def test_a_texted_email_never_links_the_phone_by_itself(client, child, coordinator):
    """The attack of issue 13: naming someone's email from any phone took over their claiming."""
    reply = text(client, coordinator.email, phone=NEW_PHONE)
    assert reply.startswith(f"If {coordinator.email} has an account, we emailed it a link")
    assert "linked to your account" not in reply
    coordinator.refresh_from_db()
    assert coordinator.mobile_phone is None
    # The next Child ID from that phone is kept waiting, never recorded as their credit.
    reply = text(client, str(child.pk), phone=NEW_PHONE)
    assert reply.startswith(
        f"Your claim for Sepsis bundles in the first hour (Child ID {child.pk})"
    )
    assert "confirm this phone" in reply
    assert not Claim.objects.exists()
    # The one-text form "<ID> <email>" links nothing either.
    text(client, f"{child.pk} {coordinator.email}", phone=OTHER_PHONE)
    assert not Claim.objects.exists()
    assert not Person.objects.filter(mobile_phone__in=[NEW_PHONE, OTHER_PHONE]).exists()


def test_the_reply_does_not_say_whether_the_email_has_an_account(
    client, child, jane, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = text(client, f"{child.pk} jane@umich.edu", phone=NEW_PHONE)
        unknown = text(client, f"{child.pk} nobody@umich.edu", phone=OTHER_PHONE)
    assert uniform(known) == uniform(unknown).replace("nobody@", "jane@")
    # Both offer registration through a link that proves the phone.
    assert "https://rss.example.org/accounts/register/?t=" in unknown
    # Only the account's owner is emailed; nothing is sent to an address without an account.
    assert [m.to for m in mail.outbox] == [["jane@umich.edu"]]
    assert "ending in 0142" in mail.outbox[0].body
    assert len(known) <= 320 and len(unknown) <= 320


def test_the_owner_confirms_by_link_and_waiting_claims_count_at_their_text_time(
    client, series, office, jane
):
    other = approved_child(series, office, start=START + timedelta(minutes=5), name="Stroke care")
    text(client, str(child_pk := other.pk), phone=NEW_PHONE)
    first = approved_child(series, office, start=START, name="Heart failure update")
    text(client, str(first.pk), phone=NEW_PHONE)
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        text(client, "jane@umich.edu", phone=NEW_PHONE)
    link, _code = link_email("jane@umich.edu")
    # Opening the link (as a mail scanner does) changes nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert b"ending in <strong>0142</strong>" in page.content
    jane.refresh_from_db()
    assert jane.mobile_phone is None
    # Confirmed a day later, long after both windows closed: both claims count as texted.
    later = NOW + timedelta(hours=20)
    with time_machine.travel(later, tick=False):
        done = client.post(link)
    assert done.status_code == 200
    assert b'data-state="linked"' in done.content
    jane.refresh_from_db()
    assert jane.mobile_phone == NEW_PHONE
    claims = {c.child_id: c for c in Claim.objects.all()}
    assert set(claims) == {child_pk, first.pk}
    assert all(c.learner == jane and c.channel == "sms" for c in claims.values())
    assert claims[child_pk].claimed_at == NOW
    assert not SmsPendingClaim.objects.filter(completed_at__isnull=True).exists()
    request = PhoneLinkRequest.objects.get()
    assert (request.confirmed_at, request.confirmed_via, request.person) == (later, "link", jane)
    # From now on the phone claims at once.
    assert text(client, str(first.pk), phone=NEW_PHONE).startswith("You already claimed")


def test_the_owner_confirms_by_texting_the_code_back(client, child, jane):
    text(client, f"{child.pk} jane@umich.edu", phone=NEW_PHONE)
    _link, code = link_email("jane@umich.edu")
    reply = text(client, f"code: {code.lower()}", phone=NEW_PHONE)
    assert reply.startswith("This phone is now linked to your account jane@umich.edu. Credit")
    assert Claim.objects.get().learner == jane
    assert PhoneLinkRequest.objects.get().confirmed_via == "sms"


def test_a_code_works_only_from_the_phone_it_was_sent_for(client, child, jane):
    text(client, f"{child.pk} jane@umich.edu", phone=NEW_PHONE)
    _link, code = link_email("jane@umich.edu")
    assert text(client, code, phone=OTHER_PHONE).startswith("No confirmation is waiting")
    assert not Claim.objects.exists()
    assert Person.objects.get(pk=jane.pk).mobile_phone is None


def test_wrong_codes_are_refused_and_five_end_the_request(client, child, jane):
    text(client, f"{child.pk} jane@umich.edu", phone=NEW_PHONE)
    link, code = link_email("jane@umich.edu")
    wrong = "BBBBBB" if code != "BBBBBB" else "CCCCCC"
    for _ in range(4):
        assert text(client, wrong, phone=NEW_PHONE).startswith("That code does not match")
    assert text(client, wrong, phone=NEW_PHONE).startswith("Too many wrong codes")
    # Now even the right code and the link are dead; nothing was linked.
    assert text(client, code, phone=NEW_PHONE).startswith("No confirmation is waiting")
    assert client.post(link).status_code == 410
    assert Person.objects.get(pk=jane.pk).mobile_phone is None
    assert not Claim.objects.exists()
    # The waiting claim is still kept for a new request.
    assert SmsPendingClaim.objects.filter(phone=NEW_PHONE, completed_at__isnull=True).exists()


def test_an_expired_link_and_a_reused_link_change_nothing(client, child, jane):
    text(client, f"{child.pk} jane@umich.edu", phone=NEW_PHONE)
    link, code = link_email("jane@umich.edu")
    with time_machine.travel(NOW + timedelta(hours=24, seconds=1), tick=False):
        expired = client.post(link)
        assert expired.status_code == 410
        assert b'data-state="expired"' in expired.content
        assert text(client, code, phone=NEW_PHONE).startswith("No confirmation is waiting")
    assert Person.objects.get(pk=jane.pk).mobile_phone is None
    # A new request works; its link works once.
    with time_machine.travel(NOW + timedelta(hours=25), tick=False):
        text(client, "jane@umich.edu", phone=NEW_PHONE)
        fresh, _ = link_email("jane@umich.edu")
        assert fresh != link
        assert client.post(fresh).status_code == 200
        reused = client.post(fresh)
    assert reused.status_code == 410
    assert b'data-state="used"' in reused.content
    assert Claim.objects.count() == 1  # the waiting claim, recorded once
    assert client.get("/sms/link/not-a-token/").status_code == 404


def test_a_phone_on_file_changes_only_by_proof_from_the_new_phone(client, learner, child):
    reply = text(client, learner.email, phone=NEW_PHONE)
    assert reply.startswith(f"If {learner.email} has an account")
    learner.refresh_from_db()
    assert learner.mobile_phone == PHONE  # unchanged until the owner proves it
    _link, code = link_email(learner.email)
    text(client, code, phone=NEW_PHONE)
    learner.refresh_from_db()
    assert learner.mobile_phone == NEW_PHONE
    # The old number no longer claims for them.
    assert text(client, str(child.pk), phone=PHONE).startswith("This phone is not on file yet")
    assert not Claim.objects.filter(learner=learner).exists()


def test_it_links_through_a_domain_alias(client, child):
    EmailDomainAlias.objects.create(alias_domain="med.umich.edu", canonical_domain="umich.edu")
    jdoe = f.person(email="jdoe@umich.edu", last_name="Doe")
    text(client, f"{child.pk} jdoe@med.umich.edu", phone=NEW_PHONE)
    _link, code = link_email("jdoe@umich.edu")
    assert text(client, code, phone=NEW_PHONE).startswith(
        "This phone is now linked to your account jdoe@umich.edu."
    )
    assert Claim.objects.get().learner == jdoe
    assert Person.objects.filter(email__icontains="jdoe").count() == 1


def test_linking_texts_are_rate_limited_per_phone_and_per_email(client, child, jane):
    for _ in range(3):
        assert text(client, "jane@umich.edu", phone=NEW_PHONE).startswith("If jane@umich.edu")
    assert text(client, "jane@umich.edu", phone=NEW_PHONE).startswith("We sent confirmation")
    assert text(client, "other@umich.edu", phone=NEW_PHONE).startswith("We sent confirmation")
    # Another phone cannot mail-bomb the same inbox either.
    assert text(client, "jane@umich.edu", phone=OTHER_PHONE).startswith("We sent confirmation")
    assert OutboxEmail.objects.filter(kind="phone_link").count() == 3
    # An hour later the phone may ask again.
    with time_machine.travel(NOW + timedelta(hours=1, minutes=1), tick=False):
        assert text(client, "jane@umich.edu", phone=NEW_PHONE).startswith("If jane@umich.edu")


def test_an_inactive_account_gets_no_email_and_the_same_reply(client, child):
    f.person(email="gone@umich.edu", last_name="Gone", is_active=False)
    reply = text(client, "gone@umich.edu", phone=NEW_PHONE)
    assert reply.startswith("If gone@umich.edu has an account, we emailed it a link")
    assert not OutboxEmail.objects.filter(kind="phone_link").exists()


def test_a_phone_already_on_file_is_told_so(client, learner):
    assert text(client, "someone@umich.edu").startswith(
        "This phone is already linked to your account learner@umich.edu."
    )
    assert not PhoneLinkRequest.objects.exists()


def test_registering_through_the_texted_link_links_that_phone(client, child):
    reply = text(client, f"{child.pk} new.person@example.org", phone=NEW_PHONE)
    register = re.search(r"https://rss\.example\.org(/accounts/register/\?t=[\w-]+)", reply)
    page = client.get(register.group(1))
    assert b"ending in <strong>0142</strong>" in page.content
    token = register.group(1).split("?t=")[1]
    response = client.post(
        "/accounts/register/",
        {
            "email": "new.person@example.org",
            "first_name": "New",
            "last_name": "Person",
            "profession": "nurse",
            "phone_token": token,
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(email="new.person@example.org")
    assert person.mobile_phone == NEW_PHONE
    assert Claim.objects.get().learner == person
    assert PhoneLinkRequest.objects.get().confirmed_via == "register"


def test_a_phone_typed_on_the_register_page_is_not_linked(client, child):
    """Only the texted link proves a phone; a typed (or URL) number would let anyone claim with
    someone else's phone."""
    text(client, str(child.pk), phone=NEW_PHONE)
    page = client.get("/accounts/register/?phone=%2B17345550142")
    assert b"0142" not in page.content
    client.post(
        "/accounts/register/",
        {
            "email": "squatter@example.org",
            "first_name": "S",
            "last_name": "Quatter",
            "profession": "nurse",
            "mobile_phone": NEW_PHONE,
            "phone_token": "made-up",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert Person.objects.get(email="squatter@example.org").mobile_phone is None
    assert not Claim.objects.exists()
