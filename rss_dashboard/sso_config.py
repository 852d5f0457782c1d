"""Sign-in through the institution (SAML 2.0, OpenID Connect), configured from the environment.

Each method is optional and on when its first variable is set (SAML: the IdP's metadata URL or
file; OpenID Connect: the issuer). A bad or incomplete value stops the start with a message that
names it, like every other setting (docs/identity.md)."""

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured


def _get(env: Mapping[str, str], name: str, default: str = "") -> str:
    return (env.get(name) or default).strip()


def _url(env, name: str, *, debug: bool) -> str:
    raw = _get(env, name)
    if not raw:
        return ""
    parsed = urlparse(raw)
    local = parsed.hostname in ("127.0.0.1", "localhost", "::1")
    allowed = ("https",) if not (debug or local) else ("http", "https")
    if parsed.scheme not in allowed or not parsed.netloc:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a valid URL; expected {' or '.join(allowed)}://host/..."
        )
    return raw


def _file(env, name: str) -> str:
    raw = _get(env, name)
    if raw and not Path(raw).is_file():
        raise ImproperlyConfigured(f"{name}={raw!r}: no such file.")
    if raw and not os.access(raw, os.R_OK):
        raise ImproperlyConfigured(f"{name}={raw!r}: the file cannot be read.")
    return raw


def _seconds(env, name: str, default: int) -> int:
    raw = _get(env, name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number of seconds.") from None
    if value < 60:
        raise ImproperlyConfigured(f"{name}={value} must be at least 60 seconds.")
    return value


def saml_settings(env: Mapping[str, str], *, site_url: str, debug: bool) -> dict:
    """SAML_* settings; SAML_ENABLED is False when no IdP metadata is given."""
    metadata_url = _url(env, "SAML_IDP_METADATA_URL", debug=debug)
    metadata_file = _file(env, "SAML_IDP_METADATA_FILE")
    if metadata_url and metadata_file:
        raise ImproperlyConfigured("Set SAML_IDP_METADATA_URL or SAML_IDP_METADATA_FILE, not both.")
    key_file, cert_file = _file(env, "SAML_SP_KEY_FILE"), _file(env, "SAML_SP_CERT_FILE")
    if bool(key_file) != bool(cert_file):
        raise ImproperlyConfigured("SAML_SP_KEY_FILE and SAML_SP_CERT_FILE go together.")
    enabled = bool(metadata_url or metadata_file)
    entity_id = _get(env, "SAML_SP_ENTITY_ID", f"{site_url}/accounts/sso/saml/metadata/")
    attributes = {
        "email": _get(env, "SAML_ATTR_EMAIL", "mail"),
        "first_name": _get(env, "SAML_ATTR_FIRST_NAME", "givenName"),
        "last_name": _get(env, "SAML_ATTR_LAST_NAME", "sn"),
    }
    if enabled and not all(attributes.values()):
        raise ImproperlyConfigured("SAML_ATTR_EMAIL, _FIRST_NAME and _LAST_NAME cannot be empty.")
    return {
        "SAML_ENABLED": enabled,
        "SAML_IDP_METADATA_URL": metadata_url,
        "SAML_IDP_METADATA_FILE": metadata_file,
        "SAML_SP_ENTITY_ID": entity_id,
        "SAML_SP_KEY_FILE": key_file,
        "SAML_SP_CERT_FILE": cert_file,
        "SAML_ATTRIBUTES": attributes,
        "SAML_METADATA_REFRESH": _seconds(env, "SAML_METADATA_REFRESH", 3600),
        "SAML_LABEL": _get(env, "SAML_LABEL"),
    }


def oidc_settings(env: Mapping[str, str], *, debug: bool) -> dict:
    """OIDC_* settings (and mozilla-django-oidc's); OIDC_ENABLED is False without an issuer."""
    issuer = _url(env, "OIDC_ISSUER", debug=debug).rstrip("/")
    client_id, secret = _get(env, "OIDC_CLIENT_ID"), _get(env, "OIDC_CLIENT_SECRET")
    if issuer and not (client_id and secret):
        raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
    scopes = _get(env, "OIDC_SCOPES", "openid email profile")
    if issuer and "openid" not in scopes.split():
        raise ImproperlyConfigured(f"OIDC_SCOPES={scopes!r} must include openid.")
    algorithm = _get(env, "OIDC_SIGN_ALGO", "RS256")
    if algorithm not in ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"):
        raise ImproperlyConfigured(f"OIDC_SIGN_ALGO={algorithm!r} is not a public-key algorithm.")
    claims = {
        "email": _get(env, "OIDC_CLAIM_EMAIL", "email"),
        "first_name": _get(env, "OIDC_CLAIM_FIRST_NAME", "given_name"),
        "last_name": _get(env, "OIDC_CLAIM_LAST_NAME", "family_name"),
    }
    return {
        "OIDC_ENABLED": bool(issuer),
        "OIDC_ISSUER": issuer,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_SCOPES": scopes,
        "OIDC_RP_SIGN_ALGO": algorithm,
        "OIDC_CLAIMS": claims,
        "OIDC_LABEL": _get(env, "OIDC_LABEL"),
        # mozilla-django-oidc: PKCE on, our callback's name, a bounded wait for the provider.
        "OIDC_USE_PKCE": True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_callback",
        "OIDC_TIMEOUT": 10,
        "OIDC_DISCOVERY_REFRESH": _seconds(env, "OIDC_DISCOVERY_REFRESH", 3600),
    }
