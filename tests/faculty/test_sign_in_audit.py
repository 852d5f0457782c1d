"""The audit of sign-ins: who, when, by which method, from where (SPEC §16)."""

import pytest

from faculty.models import SignInRecord
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_password_sign_in_is_recorded(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    jane = f.person(email="jdoe@umich.edu", last_name="Doe")
    response = client.post(
        "/accounts/login/",
        {"username": "jdoe@umich.edu", "password": f.PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_USER_AGENT="Test browser",
    )
    assert response.status_code == 302
    record = SignInRecord.objects.get()
    assert (record.person, record.method, record.ip_address, record.user_agent) == (
        jane,
        "password",
        "203.0.113.9",
        "Test browser",
    )


def test_a_failed_sign_in_records_nothing(client):
    f.person(email="jdoe@umich.edu", last_name="Doe")
    client.post("/accounts/login/", {"username": "jdoe@umich.edu", "password": "wrong"})
    assert not SignInRecord.objects.exists()


def test_registration_signs_in_and_says_so(client):
    client.post(
        "/accounts/register/",
        {
            "email": "nia@example.org",
            "first_name": "Nia",
            "last_name": "Newcomer",
            "profession": "nurse",
            "password1": "a-long-unusual-passphrase-42",
            "password2": "a-long-unusual-passphrase-42",
        },
    )
    assert SignInRecord.objects.get().method == "registration"
