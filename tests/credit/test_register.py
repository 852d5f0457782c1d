"""Learner registration, with the duplicate-account check of SPEC §1."""

import re
from datetime import timedelta

import pytest
import time_machine

from credit.models import Claim, SmsPendingClaim
from faculty.models import EmailDomainAlias, Person
from tests import factories as f
from tests.credit.helpers import approved_child, text

pytestmark = pytest.mark.django_db

URL = "/accounts/register/"
START = f.local(2026, 3, 12, 12, 0)


def form(**overrides):
    data = {
        "email": "new.learner@example.org",
        "first_name": "Nia",
        "last_name": "Newcomer",
        "credentials": "RN",
        "profession": "nurse",
        "password1": "a-long-unusual-passphrase-42",
        "password2": "a-long-unusual-passphrase-42",
    }
    return {**data, **overrides}


def test_it_creates_the_account_signs_in_and_returns_to_the_claim(client):
    response = client.post(URL, form(next="/claim/12/"))
    assert response.status_code == 302
    assert response["Location"] == "/claim/12/"
    person = Person.objects.get(email="new.learner@example.org")
    assert (person.last_name, person.profession, person.credentials) == ("Newcomer", "nurse", "RN")
    assert person.check_password("a-long-unusual-passphrase-42")
    assert client.get("/transcript/").status_code == 200


def test_it_refuses_an_off_site_next(client):
    response = client.post(URL, form(next="https://evil.example.com/"))
    assert response["Location"] == "/transcript/"


def test_it_proposes_signing_in_for_an_existing_account(client):
    f.person(email="jane@example.org", last_name="Doe")
    response = client.post(URL, form(email="JANE@example.org", next="/claim/5/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="exists"' in page
    assert "/accounts/login/?next=%2Fclaim%2F5%2F" in page
    assert "/accounts/password_reset/" in page
    assert Person.objects.filter(email__icontains="jane").count() == 1


def test_it_proposes_the_canonical_account_for_an_alias_address(client):
    EmailDomainAlias.objects.create(alias_domain="med.umich.edu", canonical_domain="umich.edu")
    f.person(email="jdoe@umich.edu", last_name="Doe")
    page = client.post(URL, form(email="jdoe@med.umich.edu")).content.decode()
    assert "You already have an account: <strong>jdoe@umich.edu</strong>" in page
    assert "jdoe@med.umich.edu is the same account" in page
    assert Person.objects.count() == 1


def test_it_creates_an_alias_address_on_the_canonical_domain_and_says_so(client):
    EmailDomainAlias.objects.create(alias_domain="med.umich.edu", canonical_domain="umich.edu")
    response = client.post(URL, form(email="newbie@med.umich.edu"), follow=True)
    assert Person.objects.get().email == "newbie@umich.edu"
    assert "your one account is newbie@umich.edu" in response.content.decode()


def texted_register_token(client, body: str, phone: str) -> str:
    reply = text(client, body, phone=phone)
    return re.search(r"/accounts/register/\?t=([\w-]+)", reply).group(1)


def test_it_names_the_phone_the_texted_link_proves(client, series, office):
    with time_machine.travel(START, tick=False):
        child = approved_child(series, office, start=START)
        token = texted_register_token(client, f"{child.pk} nobody@example.org", "+17345550142")
        page = client.get(f"{URL}?t={token}").content.decode()
    assert "ending in <strong>0142</strong>" in page
    assert f'name="phone_token" value="{token}"' in page


def test_it_completes_the_claim_waiting_for_a_new_phone(client, series, office):
    phone = "+17345550142"
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        child = approved_child(series, office, start=START)
        token = texted_register_token(client, f"{child.pk} nobody@example.org", phone)
    assert SmsPendingClaim.objects.filter(phone=phone).exists()
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        response = client.post(URL, form(phone_token=token), follow=True)
    person = Person.objects.get(email="new.learner@example.org")
    assert person.mobile_phone == phone
    claim = Claim.objects.get()
    assert (claim.learner, claim.child, claim.claimed_at) == (
        person,
        child,
        START + timedelta(minutes=5),
    )
    assert "Credit claimed" in response.content.decode()


def test_a_texted_link_for_a_phone_now_on_another_account_links_nothing(
    client, series, office, learner
):
    with time_machine.travel(START, tick=False):
        child = approved_child(series, office, start=START)
        token = texted_register_token(client, f"{child.pk} nobody@example.org", "+17345550142")
        Person.objects.filter(pk=learner.pk).update(mobile_phone="+17345550142")
        client.post(URL, form(phone_token=token))
    assert Person.objects.get(email="new.learner@example.org").mobile_phone is None
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"password2": "something-else-entirely"}, "The two passwords differ."),
        ({"password1": "password", "password2": "password"}, "too common"),
        ({"profession": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
    ],
)
def test_it_explains_what_to_fix(client, overrides, field_error):
    page = client.post(URL, form(**overrides)).content.decode()
    assert field_error in page
    assert not Person.objects.exists()


def test_it_sends_a_signed_in_person_on(client, learner):
    client.force_login(learner)
    assert client.get(URL + "?next=/claim/3/")["Location"] == "/claim/3/"


def test_it_limits_registrations_per_address(client, settings, one_rate_window):
    settings.CREDIT_RATE_LIMITS = {"register_ip": (2, 60)}
    statuses = [
        client.post(URL, form(email=f"x{i}@example.org", password2="nope")).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
