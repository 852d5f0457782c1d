"""The ID token's checks of OpenID Connect sign-in (faculty/sso_oidc.py): mozilla-django-oidc
checks the signature, expiry and nonce; OidcTokens adds the issuer and the audience, and turns the
token into a person through faculty/services_sso.py. Imported with a provider's first callback
only (PyJWT and cryptography weigh ~16 MB per web worker)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import Person, SignInMethod
from .services_sso import sso_sign_in


class OidcTokens(OIDCAuthenticationBackend):
    """Built by OidcBackend for one callback, with its settings reader (faculty.sso_oidc's
    oidc_setting: the endpoints from discovery); not itself in AUTHENTICATION_BACKENDS."""

    def __init__(self, setting: Callable[..., Any]) -> None:
        # The endpoints are read by authenticate() (_load), not by mozilla-django-oidc's
        # constructor: a provider that cannot be reached becomes the callback view's 503.
        self.UserModel = Person
        self._setting = setting

    def get_settings(self, attr, *args):
        return self._setting(attr, *args)

    def _load(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
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
