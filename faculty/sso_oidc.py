"""OpenID Connect sign-in (mozilla-django-oidc): the provider's endpoints from its discovery
document, and the backend that checks the ID token fully and turns it into a person through
faculty/services_sso.py.

mozilla-django-oidc checks the state (in the callback view), the signature (with the
provider's published keys), the expiry and the nonce. It does not check who issued the token
or for whom: this backend refuses a token whose `iss` is not OIDC_ISSUER or whose `aud` does
not name our client, and a discovery document that names another issuer.

Django builds every backend in AUTHENTICATION_BACKENDS for each password sign-in and permission
check, so this module stays light: the token checks (mozilla-django-oidc with PyJWT and
cryptography, ~16 MB) are in faculty/sso_oidc_tokens.py, imported when a provider's callback
arrives, and requests is imported by the discovery."""

import threading
import time

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from .models import Person

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
    import requests  # see the module's docstring

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
    from mozilla_django_oidc.utils import import_from_settings

    return import_from_settings(attr, *args)


class OidcBackend(ModelBackend):
    """The backend Django knows (AUTHENTICATION_BACKENDS, the session's sign-in method): it hands
    a provider's callback to faculty/sso_oidc_tokens.py and answers every other call itself."""

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; every other authenticate() call is not ours.
        if request is None or "nonce" not in kwargs or not settings.OIDC_ENABLED:
            return None
        from .sso_oidc_tokens import OidcTokens  # see the module's docstring

        return OidcTokens(oidc_setting).authenticate(request, **kwargs)

    def get_user(self, user_id):
        person = Person.objects.filter(pk=user_id).first()
        return person if person is not None and self.user_can_authenticate(person) else None
