"""SAML sign-in views (djangosaml2), reached through faculty/views/sso.py, which imports this
module with the first request: pysaml2 and its XML schemas weigh ~30 MB per web worker."""

import logging

import requests
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from djangosaml2.views import AssertionConsumerServiceView, LoginView, MetadataView
from saml2.s_utils import UnknownSystemEntity
from saml2.sigver import SigverError

from .sso_problem import sso_problem

log = logging.getLogger(__name__)
UNREACHABLE = (requests.RequestException, SigverError, UnknownSystemEntity)


class SamlLogin(LoginView):
    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except UNREACHABLE as exc:
            log.error("SAML sign-in could not start: %s", exc)
            return sso_problem(request, method="saml", status=503)


@method_decorator(csrf_exempt, name="dispatch")  # the IdP posts here from its own site
class SamlAcs(AssertionConsumerServiceView):
    def dispatch(self, request, *args, **kwargs):
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
    pass
