"""OpenID Connect sign-in views (mozilla-django-oidc), reached through faculty/views/sso.py,
which imports this module with the first request to a configured provider."""

import logging

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from faculty.sso_oidc import DiscoveryError, oidc_setting

from .sso_problem import sso_problem

log = logging.getLogger(__name__)
UNREACHABLE = (requests.RequestException, DiscoveryError)


class OidcLogin(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get_settings(self, attr, *args):
        return oidc_setting(attr, *args)

    def get(self, request):
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
