"""Sign in through the institution: the SAML and OpenID Connect endpoints (docs/identity.md).

Each method answers 404 while it is not configured. Failures end on our own page, in plain
words, with the password form one click away: a refused answer from the institution (bad
signature, wrong audience, expired, wrong state, nonce or issuer), a deactivated or merged
account, or a new account held for the office as a likely duplicate."""

import logging

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from djangosaml2.views import AssertionConsumerServiceView, LoginView, MetadataView
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)
from saml2.s_utils import UnknownSystemEntity
from saml2.sigver import SigverError

from faculty.sso_oidc import DiscoveryError, oidc_setting

log = logging.getLogger(__name__)
UNREACHABLE = (requests.RequestException, DiscoveryError, SigverError, UnknownSystemEntity)


def sso_problem(request, *, method: str, outcome=None, status: int = 403):
    """The page after an institution's sign-in that did not sign anyone in."""
    if outcome is not None and outcome.code == "held":
        return render(request, "registration/held.html", {"hold": outcome.hold}, status=200)
    message = outcome.message if outcome is not None and outcome.message else ""
    return render(
        request,
        "registration/sso_problem.html",
        {"method": method, "message": message, "unreachable": status == 503},
        status=status,
    )


def _require(enabled: bool) -> None:
    if not enabled:
        raise Http404("Sign-in through the institution is not configured.")


class SamlLogin(LoginView):
    def dispatch(self, request, *args, **kwargs):
        _require(settings.SAML_ENABLED)
        try:
            return super().dispatch(request, *args, **kwargs)
        except UNREACHABLE as exc:
            log.error("SAML sign-in could not start: %s", exc)
            return sso_problem(request, method="saml", status=503)


@method_decorator(csrf_exempt, name="dispatch")  # the IdP posts here from its own site
class SamlAcs(AssertionConsumerServiceView):
    def dispatch(self, request, *args, **kwargs):
        _require(settings.SAML_ENABLED)
        try:
            return super().dispatch(request, *args, **kwargs)
        except UNREACHABLE as exc:
            log.error("SAML answer could not be checked: %s", exc)
            return sso_problem(request, method="saml", status=503)

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        log.warning("SAML sign-in refused: %s", exception)
        outcome = getattr(request, "sso_outcome", None)
        return sso_problem(request, method="saml", outcome=outcome, status=status)


class SamlMetadata(MetadataView):
    def dispatch(self, request, *args, **kwargs):
        _require(settings.SAML_ENABLED)
        return super().dispatch(request, *args, **kwargs)


class OidcLogin(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get_settings(self, attr, *args):
        return oidc_setting(attr, *args)

    def get(self, request):
        _require(settings.OIDC_ENABLED)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except UNREACHABLE as exc:
            log.error("OpenID Connect sign-in could not start: %s", exc)
            return sso_problem(request, method="oidc", status=503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class OidcCallback(OIDCAuthenticationCallbackView):
    def get_settings(self, attr, *args):
        return oidc_setting(attr, *args)

    def get(self, request):
        _require(settings.OIDC_ENABLED)
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            log.warning("OpenID Connect sign-in refused: %s", exc)
            return sso_problem(request, method="oidc", status=400)
        except UNREACHABLE as exc:
            log.error("OpenID Connect answer could not be checked: %s", exc)
            return sso_problem(request, method="oidc", status=503)

    def login_failure(self):
        outcome = getattr(self.request, "sso_outcome", None)
        return sso_problem(self.request, method="oidc", outcome=outcome, status=403)
