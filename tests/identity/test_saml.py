"""SAML sign-in against pysaml2's IdP (real XML signatures by xmlsec1), through the site's
endpoints: who signs in, what is refused. The browser flow is in test_sso_browser.py."""

import base64
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from faculty.models import (
    EmailDomainAlias,
    LikelyDuplicate,
    Person,
    SignInRecord,
    SsoIdentity,
)
from faculty.services_duplicates import hold_decide
from tests import factories as f
from tests.personas import make_admin, make_reviewer

pytestmark = pytest.mark.django_db


def start(client, idp):
    """The site's redirect to the IdP, and the AuthnRequest as the IdP reads it."""
    response = client.get(reverse("saml_login") + "?next=/transcript/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == idp.base
    return idp.parse_request(location.query)


@pytest.fixture
def client(client):
    """The IdP's post carries no CSRF token: check it is not asked for."""
    client.handler.enforce_csrf_checks = True
    return client


def finish(client, xml: str, relay: str = "/transcript/"):
    payload = base64.b64encode(xml.encode()).decode()
    return client.post(reverse("saml_acs"), {"SAMLResponse": payload, "RelayState": relay})


def sign_in(client, idp, username="jdoe", **answer):
    request, relay = start(client, idp)
    return finish(client, idp.answer(request, username, **answer), relay)


def signed_in(client):
    return client.session.get(SESSION_KEY)


@pytest.fixture
def jane():
    EmailDomainAlias.objects.create(alias_domain="med.umich.edu", canonical_domain="umich.edu")
    return f.person(email="jdoe@umich.edu", last_name="Doe", first_name="Jane")


def test_first_sign_in_links_to_the_existing_person_through_the_alias(client, saml_idp, jane):
    people = Person.objects.count()
    response = sign_in(client, saml_idp)
    assert response.status_code == 302 and response["Location"] == "/transcript/"
    assert signed_in(client) == str(jane.pk)
    assert Person.objects.count() == people  # never a second account
    link = SsoIdentity.objects.get()
    assert (link.person, link.method, link.subject) == (jane, "saml", "jdoe-persistent-id")
    assert link.issuer == saml_idp.entity_id
    record = SignInRecord.objects.get(person=jane)
    assert record.method == "saml"

    # Later: the link is found first, whatever address the institution sends.
    client.logout()
    jane.email = "jane.doe@umich.edu"
    jane.save()
    assert sign_in(client, saml_idp).status_code == 302
    assert signed_in(client) == str(jane.pk)


def test_a_new_person_gets_an_account(client, saml_idp):
    response = sign_in(client, saml_idp, "newbie")
    assert response.status_code == 302
    nora = Person.objects.get(email="newbie@umich.edu")
    assert (nora.first_name, nora.last_name, nora.has_usable_password()) == (
        "Nora",
        "Newman",
        False,
    )
    assert signed_in(client) == str(nora.pk)


def test_a_tampered_assertion_is_refused(client, saml_idp, jane, caplog):
    victim = f.person(email="dean@umich.edu", last_name="Dean")
    request, relay = start(client, saml_idp)
    xml = saml_idp.answer(request, "jdoe").replace("jdoe@med.umich.edu", "dean@umich.edu")
    response = finish(client, xml, relay)
    assert response.status_code == 403
    assert "could not be accepted" in response.content.decode()
    assert signed_in(client) is None
    assert not SsoIdentity.objects.exists() and not victim.sign_ins.exists()
    assert "Failed to verify signature" in caplog.text


def test_an_assertion_for_another_site_is_refused(client, saml_idp, jane, caplog):
    response = sign_in(client, saml_idp, audience="https://other-site.example.org/saml")
    assert response.status_code == 403
    assert signed_in(client) is None and not SsoIdentity.objects.exists()
    assert "AudienceRestrictions conditions not satisfied" in caplog.text


def test_an_expired_answer_is_refused(client, saml_idp, jane, caplog):
    request, relay = start(client, saml_idp)
    xml = saml_idp.answer(request, "jdoe")
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        response = finish(client, xml, relay)
    assert response.status_code == 403
    assert signed_in(client) is None
    assert "too old" in caplog.text


def test_an_answer_nobody_asked_for_is_refused(client, saml_idp, jane):
    """An answer replayed into another browser (no request outstanding there) is refused."""
    from django.test import Client

    request, relay = start(client, saml_idp)
    xml = saml_idp.answer(request, "jdoe")
    other = Client(enforce_csrf_checks=True)
    assert finish(other, xml, relay).status_code == 403
    assert other.session.get(SESSION_KEY) is None
    # and the same answer twice in the browser that asked: only the first counts
    assert finish(client, xml, relay).status_code == 302
    client.logout()
    assert finish(client, xml, relay).status_code == 403


def test_deactivated_and_merged_people_cannot_sign_in(client, saml_idp, jane):
    jane.is_active = False
    jane.save()
    response = sign_in(client, saml_idp)
    assert response.status_code == 403
    assert "no longer active" in response.content.decode()
    assert signed_in(client) is None

    # Merged: the duplicate's institution link moved to the kept account, which signs in.
    from faculty.services_merge import person_merge

    jane.is_active = True
    jane.save()
    assert sign_in(client, saml_idp).status_code == 302
    client.logout()
    kept = f.person(email="jane.doe@umich.edu", last_name="Doe", first_name="Jane")
    person_merge(keep=kept, duplicate=jane, by=make_admin())
    assert sign_in(client, saml_idp).status_code == 302
    assert signed_in(client) == str(kept.pk)


def test_a_likely_duplicate_is_held_for_the_office(client, saml_idp):
    """jsmith@gmail.com named John Smith, when John Smith is jsmith@umich.edu: held, nobody
    signed in; the office says "same person" and the next sign-in is John's account."""
    john = f.person(email="jsmith@umich.edu", last_name="Smith", first_name="John")
    response = sign_in(client, saml_idp, "twin")
    assert response.status_code == 200
    page = response.content.decode()
    assert "We are checking your account" in page and "jsmith@gmail.com" in page
    assert signed_in(client) is None
    assert not Person.objects.filter(email="jsmith@gmail.com").exists()
    hold = LikelyDuplicate.objects.get()
    assert (hold.candidate, hold.reasons, hold.source) == (john, ["name_email"], "saml")

    hold_decide(hold_id=hold.pk, same_person=True, by=make_reviewer())
    assert sign_in(client, saml_idp, "twin").status_code == 302
    assert signed_in(client) == str(john.pk)


def test_not_configured_answers_404(client, settings):
    settings.SAML_ENABLED = False
    for name in ("saml_login", "saml_acs", "saml_metadata"):
        assert client.get(reverse(name)).status_code == 404
    assert "sso-saml" not in client.get(reverse("login")).content.decode()


def test_the_service_provider_metadata(client, saml_idp):
    response = client.get(reverse("saml_metadata"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "https://rss.example.org/accounts/sso/saml/acs/" in body
    assert 'entityID="https://rss.example.org/accounts/sso/saml/metadata/"' in body
