"""Sign in through the institution: the SAML and OpenID Connect endpoints (docs/identity.md).

Each method answers 404 while it is not configured. Failures end on our own page, in plain
words, with the password form one click away: a refused answer from the institution (bad
signature, wrong audience, expired, wrong state, nonce or issuer), a deactivated or merged
account, or a new account held for the office as a likely duplicate.

The URLconf imports only this module: the views themselves (faculty/views/saml.py and
faculty/views/oidc.py) are imported with the first request to a configured method, so a web
worker that never signs anyone in through the institution does not carry pysaml2, its XML
schemas, requests and the token libraries (~32 MB)."""

from django.conf import settings
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def _require(enabled: bool) -> None:
    if not enabled:
        raise Http404("Sign-in through the institution is not configured.")


def saml_login(request):
    _require(settings.SAML_ENABLED)
    from .saml import SamlLogin

    return SamlLogin.as_view()(request)


@csrf_exempt  # the IdP posts here from its own site
def saml_acs(request):
    _require(settings.SAML_ENABLED)
    from .saml import SamlAcs

    return SamlAcs.as_view()(request)


def saml_metadata(request):
    _require(settings.SAML_ENABLED)
    from .saml import SamlMetadata

    return SamlMetadata.as_view()(request)


@require_safe  # GET only, whether or not OpenID Connect is configured
def oidc_login(request):
    _require(settings.OIDC_ENABLED)
    from .oidc import OidcLogin

    return OidcLogin.as_view()(request)


@require_safe
def oidc_callback(request):
    _require(settings.OIDC_ENABLED)
    from .oidc import OidcCallback

    return OidcCallback.as_view()(request)
