"""Sign in through the institution in a real browser (headless Chromium) against real identity
providers on 127.0.0.1: pysaml2's IdP and the npm `oidc-provider` on Node. Redirect, sign in
at the provider, come back signed in; the OpenID Connect refusals (a bad state, a bad nonce, a
wrong issuer) through the same browser. Every page of ours is checked (Nu, axe)."""

import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from playwright.sync_api import expect

from faculty.models import EmailDomainAlias, LikelyDuplicate, SignInRecord, SsoIdentity
from faculty.sso_oidc import _discovered, discovery, forget_discovery
from tests import factories as f
from tests.browser_checks import ServedHtml, check_page
from tests.identity.conftest import start_op
from tests.tools import require_tool

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TIMEOUT = 15_000


@pytest.fixture
def live_site(settings, live_server, page):
    require_tool("chromium")
    settings.SITE_URL = live_server.url
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)
    # Nothing leaves this machine (the provider's development page asks for a web font).
    page.context.route(
        re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort()
    )
    return live_server


@pytest.fixture
def saml_live(live_site, saml_idp, settings):
    """As in production: the IdP (127.0.0.1) is another site than the app (localhost), so the
    SAML cookie must be SameSite=None and Secure (Chromium accepts Secure on localhost)."""
    settings.SAML_SESSION_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = True
    return saml_idp


@pytest.fixture
def oidc_live(live_site, oidc_op):
    return oidc_op


@pytest.fixture
def jane(db):
    EmailDomainAlias.objects.create(alias_domain="med.umich.edu", canonical_domain="umich.edu")
    return f.person(email="jdoe@umich.edu", last_name="Doe", first_name="Jane")


def signed_in_as(page, person) -> None:
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert SignInRecord.objects.filter(person=person).exists()


def test_saml_sign_in_in_the_browser(page, live_site, saml_live, jane):
    served = ServedHtml(page)
    page.goto(f"{live_site.url}/accounts/login/")
    check_page(page, page_name="sign-in with the institution first", served=served)
    choice = page.locator("#sso-choices a").first
    expect(choice).to_have_text("Sign in with Test University")
    choice.click()
    page.wait_for_url(re.compile(rf"^{re.escape(saml_live.base)}/sso/redirect"))
    page.locator("#username").fill("jdoe")
    page.locator("#password").fill("idp-pass")
    page.get_by_role("button", name="Sign in at Test University").click()
    page.get_by_role("button", name="Continue to the site").click()
    page.wait_for_url(re.compile(rf"^{re.escape(live_site.url)}/transcript/"))
    signed_in_as(page, jane)
    check_page(page, page_name="signed in through SAML", served=served)
    assert SignInRecord.objects.get(person=jane).method == "saml"
    assert SsoIdentity.objects.get().person == jane


def test_saml_first_sign_in_of_a_likely_duplicate_is_held(page, live_site, saml_live):
    f.person(email="jsmith@umich.edu", last_name="Smith", first_name="John")
    served = ServedHtml(page)
    page.goto(f"{live_site.url}/accounts/sso/saml/login/")
    page.locator("#username").fill("twin")
    page.locator("#password").fill("idp-pass")
    page.get_by_role("button", name="Sign in at Test University").click()
    page.get_by_role("button", name="Continue to the site").click()
    expect(page.locator("#held")).to_contain_text("jsmith@gmail.com")
    check_page(page, page_name="held for the office", served=served)
    assert LikelyDuplicate.objects.get().email == "jsmith@gmail.com"
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def oidc_sign_in_at_the_provider(page, live_site, login="jdoe"):
    page.goto(f"{live_site.url}/accounts/login/")
    page.locator("#sso-oidc").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()


def test_oidc_sign_in_in_the_browser(page, live_site, oidc_live, jane):
    served = ServedHtml(page)
    page.goto(f"{live_site.url}/accounts/login/")
    check_page(page, page_name="sign-in with OpenID Connect", served=served)
    oidc_sign_in_at_the_provider(page, live_site)
    page.wait_for_url(re.compile(rf"^{re.escape(live_site.url)}/transcript/"))
    signed_in_as(page, jane)
    check_page(page, page_name="signed in through OpenID Connect", served=served)
    assert SignInRecord.objects.get(person=jane).method == "oidc"
    link = SsoIdentity.objects.get()
    assert (link.person, link.issuer, link.subject) == (jane, oidc_live.issuer, "jdoe")


def _on_callback(page, provider, change):
    """The provider's redirect back to the site goes through `change(url) -> url` first.
    Playwright does not route the requests of a redirect chain, so the provider's redirects
    are followed here (with the browser's cookies) and only the last one, to the site, is
    handed to the browser, changed."""

    def handle(route):
        response = route.fetch(max_redirects=0)
        location = response.headers.get("location", "")
        while location.startswith("/") or location.startswith(provider.issuer):
            target = urljoin(provider.issuer + "/", location)
            response = page.context.request.get(target, max_redirects=0)
            location = response.headers.get("location", "")
        if "/accounts/sso/oidc/callback/" in location:
            route.fulfill(status=303, headers={"location": change(location)})
        else:
            route.fulfill(response=response)

    page.route(re.compile(rf"^{re.escape(provider.issuer)}/interaction/"), handle)


def _with(url: str, **params) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | params
    return urlunsplit(parts._replace(query=urlencode(query)))


def refused(page, served, name: str) -> None:
    expect(page.locator("#sso-problem")).to_be_visible()
    check_page(page, page_name=name, served=served)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert not SignInRecord.objects.exists()


def test_oidc_a_bad_state_is_refused(page, live_site, oidc_live, jane, caplog):
    served = ServedHtml(page)
    _on_callback(page, oidc_live, lambda url: _with(url, state="forged-state"))
    oidc_sign_in_at_the_provider(page, live_site)
    refused(page, served, "OpenID Connect refused: bad state")
    assert "state not found" in caplog.text


def test_oidc_a_bad_nonce_is_refused(page, live_site, oidc_live, jane, caplog):
    """The code is exchanged, but the ID token's nonce is not the one this browser's sign-in
    asked for (as when a code from another sign-in is injected): refused."""
    served = ServedHtml(page)

    def change(url):
        state = parse_qs(urlsplit(url).query)["state"][0]
        cookie = next(
            c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
        )
        session = SessionStore(session_key=cookie["value"])
        states = session["oidc_states"]
        states[state]["nonce"] = "another-sign-in-s-nonce"
        session["oidc_states"] = states
        session.save()
        return url

    _on_callback(page, oidc_live, change)
    oidc_sign_in_at_the_provider(page, live_site)
    refused(page, served, "OpenID Connect refused: bad nonce")
    assert "Nonce verification failed" in caplog.text


def test_oidc_a_wrong_issuer_is_refused(page, live_site, jane, settings, caplog):
    """A provider that calls itself by another name than the configured issuer: refused at
    discovery; and an ID token from another issuer, should discovery be misled: refused."""
    op = start_op(settings, issuer_host="localhost")  # says http://localhost:<port>
    try:
        served = ServedHtml(page)
        page.goto(f"{live_site.url}/accounts/login/")
        page.locator("#sso-oidc").click()
        expect(page.locator("#sso-problem")).to_be_visible()
        check_page(page, page_name="OpenID Connect refused: wrong issuer", served=served)
        assert "the discovery document names the issuer" in caplog.text

        # Misled discovery: the configured issuer's endpoints are this provider's.
        settings.OIDC_ISSUER = op.issuer
        document = discovery()
        forget_discovery()
        settings.OIDC_ISSUER = f"http://127.0.0.1:{op.port}"
        _discovered[settings.OIDC_ISSUER] = (float("inf"), document)
        oidc_sign_in_at_the_provider(page, live_site)
        refused(page, served, "OpenID Connect refused: ID token from another issuer")
        assert "The ID token was issued by" in caplog.text
    finally:
        op.stop()
        forget_discovery()
