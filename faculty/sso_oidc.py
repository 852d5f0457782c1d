"""OpenID Connect sign-in (mozilla-django-oidc): the provider's endpoints from its discovery
document, and the backend that checks the ID token fully and turns it into a person through
faculty/services_sso.py.

mozilla-django-oidc checks the state (in the callback view), the signature (with the
provider's published keys), the expiry and the nonce. It does not check who issued the token
or for whom: this backend refuses a token whose `iss` is not OIDC_ISSUER or whose `aud` does
not name our client, and a discovery document that names another issuer."""

import threading
import time

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from .models import Person, SignInMethod
from .services_sso import sso_sign_in

_lock = threading.Lock()
_discovered: dict = {}

ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class DiscoveryError(Exception):
    pass


def discovery() -> dict:
    """The provider's /.well-known/openid-configuration, kept OIDC_DISCOVERY_REFRESH seconds."""
    issuer = settings.OIDC_ISSUER
    with _lock:
        cached = _discovered.get(issuer)
        if cached and time.monotonic() < cached[0]:
            return cached[1]
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise DiscoveryError(
            f"the provider's discovery document could not be read: {exc}"
        ) from None
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise DiscoveryError(
            f"the discovery document names the issuer {document.get('issuer')!r}, not {issuer!r}"
        )
    missing = [key for key in ENDPOINTS.values() if not document.get(key)]
    if missing:
        raise DiscoveryError(f"the discovery document has no {', '.join(missing)}")
    with _lock:
        _discovered[issuer] = (time.monotonic() + settings.OIDC_DISCOVERY_REFRESH, document)
    return document


def forget_discovery() -> None:
    with _lock:
        _discovered.clear()


def oidc_setting(attr: str, *args):
    """mozilla-django-oidc's settings, with the endpoints taken from discovery."""
    if attr in ENDPOINTS:
        return discovery()[ENDPOINTS[attr]]
    return import_from_settings(attr, *args)


class OidcBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Nothing is read here: Django builds every backend for every password sign-in too, and
        # those must not wait for the provider. The endpoints are read when a callback arrives.
        self.UserModel = Person

    def get_settings(self, attr, *args):
        return oidc_setting(attr, *args)

    def _load(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; every other authenticate() call is not ours.
        if request is None or "nonce" not in kwargs or not settings.OIDC_ENABLED:
            return None
        self._load()
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if str(payload.get("iss", "")).rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation(f"The ID token was issued by {payload.get('iss')!r}.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not meant for this site.")
        if len(audiences) > 1 and payload.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was issued to another party.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        info = self.get_userinfo(access_token, id_token, payload)
        # userinfo and the ID token must describe the same subject (OpenID Connect Core 5.3.2).
        if info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The provider's userinfo is about someone else.")
        claims = {**info, **payload}
        names = settings.OIDC_CLAIMS
        if claims.get("email_verified") is False:
            email = ""  # an unverified address proves nothing about who this is
        else:
            email = str(claims.get(names["email"]) or "")
        outcome = sso_sign_in(
            method=SignInMethod.OIDC,
            issuer=settings.OIDC_ISSUER,
            subject=str(payload.get("sub") or ""),
            email=email,
            first_name=str(claims.get(names["first_name"]) or ""),
            last_name=str(claims.get(names["last_name"]) or ""),
        )
        self.request.sso_outcome = outcome
        return outcome.person if outcome.code in ("signed_in", "created") else None

    def get_user(self, user_id):
        person = Person.objects.filter(pk=user_id).first()
        return person if person is not None and self.user_can_authenticate(person) else None
