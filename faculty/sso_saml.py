"""SAML 2.0 sign-in (djangosaml2 on pysaml2): the service provider's configuration, built from
the SAML_* settings (rss_dashboard/sso_config.py), and the backend that turns a verified
assertion into a person through faculty/services_sso.py.

pysaml2 checks the signature (with the IdP's certificate from its metadata), the audience (our
entity ID), the destination, the validity window and that the answer is to a request we sent;
the backend only reads the verified attributes.

Django builds every backend in AUTHENTICATION_BACKENDS for each password sign-in and permission
check, so this module stays light: pysaml2 (with its XML schemas, ~30 MB) and requests are
imported inside the functions that use them, with the first SAML sign-in."""

from __future__ import annotations

import shutil
import threading
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from djangosaml2.backends import Saml2Backend

from .models import Person, SignInMethod
from .services_sso import sso_sign_in

if TYPE_CHECKING:
    from saml2.config import SPConfig

_lock = threading.Lock()
_cached: dict = {}


def _settings_key() -> tuple:
    return (
        settings.SAML_IDP_METADATA_URL,
        settings.SAML_IDP_METADATA_FILE,
        settings.SAML_SP_ENTITY_ID,
        settings.SAML_SP_KEY_FILE,
        settings.SAML_SP_CERT_FILE,
        settings.SITE_URL,
    )


def _metadata() -> dict:
    if settings.SAML_IDP_METADATA_FILE:
        return {"local": [settings.SAML_IDP_METADATA_FILE]}
    import requests  # see the module's docstring

    response = requests.get(settings.SAML_IDP_METADATA_URL, timeout=10)
    response.raise_for_status()
    return {"inline": [response.text]}


def config_dict() -> dict:
    import saml2  # see the module's docstring

    acs = settings.SITE_URL + reverse("saml_acs")
    sp = {
        "name": settings.SITE_NAME,
        "endpoints": {"assertion_consumer_service": [(acs, saml2.BINDING_HTTP_POST)]},
        "allow_unsolicited": False,
        "want_assertions_signed": True,
        "want_response_signed": False,
        "authn_requests_signed": bool(settings.SAML_SP_KEY_FILE),
        "only_use_keys_in_metadata": True,
        "name_id_format_allow_create": True,
    }
    config = {
        "entityid": settings.SAML_SP_ENTITY_ID,
        "allow_unknown_attributes": True,
        "service": {"sp": sp},
        "metadata": _metadata(),
        "accepted_time_diff": 60,
    }
    xmlsec = shutil.which("xmlsec1")
    if xmlsec:
        config["xmlsec_binary"] = xmlsec
    if settings.SAML_SP_KEY_FILE:
        config["key_file"] = settings.SAML_SP_KEY_FILE
        config["cert_file"] = settings.SAML_SP_CERT_FILE
        config["encryption_keypairs"] = [
            {"key_file": settings.SAML_SP_KEY_FILE, "cert_file": settings.SAML_SP_CERT_FILE}
        ]
    return config


def sp_config(request=None) -> SPConfig:
    """djangosaml2's config loader (SAML_CONFIG_LOADER): built once per process and refreshed
    every SAML_METADATA_REFRESH seconds, so the IdP's metadata is not fetched per request."""
    key = _settings_key()
    with _lock:
        cached = _cached.get("config")
        if cached and cached[0] == key and time.monotonic() < cached[1]:
            return cached[2]
        from saml2.config import SPConfig  # see the module's docstring

        conf = SPConfig()
        conf.load(config_dict())
        _cached["config"] = (key, time.monotonic() + settings.SAML_METADATA_REFRESH, conf)
        return conf


def forget_config() -> None:
    with _lock:
        _cached.clear()


def _first(ava: dict, name: str) -> str:
    values = ava.get(name)
    if values is None:  # attribute names are compared without case as a fallback
        values = next((v for k, v in ava.items() if k.lower() == name.lower()), None)
    if isinstance(values, list | tuple):
        values = values[0] if values else ""
    return str(values or "").strip()


class SamlBackend(Saml2Backend):
    def authenticate(self, request, session_info=None, **kwargs):
        if request is None or not session_info or "ava" not in session_info:
            return None
        from saml2.saml import NAMEID_FORMAT_TRANSIENT  # see the module's docstring

        names = settings.SAML_ATTRIBUTES
        ava = session_info["ava"]
        email = _first(ava, names["email"])
        name_id = session_info.get("name_id")
        subject = getattr(name_id, "text", "") or ""
        if getattr(name_id, "format", None) == NAMEID_FORMAT_TRANSIENT:
            subject = email  # a transient name changes at every sign-in
        outcome = sso_sign_in(
            method=SignInMethod.SAML,
            issuer=session_info.get("issuer", ""),
            subject=subject,
            email=email,
            first_name=_first(ava, names["first_name"]),
            last_name=_first(ava, names["last_name"]),
        )
        request.sso_outcome = outcome
        return outcome.person if outcome.code in ("signed_in", "created") else None

    def get_user(self, user_id):
        person = Person.objects.filter(pk=user_id).first()
        return person if person is not None and self.user_can_authenticate(person) else None
