"""The audit of sign-ins: who, when, by which method, from where (SPEC §16).

Every `django.contrib.auth.login` sends `user_logged_in`; the method is the backend that
authenticated the person (password, SAML, OpenID Connect), or what the caller named in
`person.sign_in_method` (registration signs the new learner in)."""

import ipaddress

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from rss_dashboard import ratelimit

from .models import SignInMethod, SignInRecord

BACKEND_METHOD = {
    "faculty.sso_saml.SamlBackend": SignInMethod.SAML,
    "faculty.sso_oidc.OidcBackend": SignInMethod.OIDC,
    "faculty.auth.RoleBackend": SignInMethod.PASSWORD,
    "axes.backends.AxesStandaloneBackend": SignInMethod.PASSWORD,
}


def method_of(user) -> str:
    named = getattr(user, "sign_in_method", "")
    if named in SignInMethod.values:
        return named
    return BACKEND_METHOD.get(getattr(user, "backend", ""), SignInMethod.OTHER)


def _address(request) -> str | None:
    if request is None:
        return None
    raw = ratelimit.client_ip(request)
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


@receiver(user_logged_in, dispatch_uid="faculty.sign_in_record")
def record_sign_in(sender, request, user, **kwargs) -> None:
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    SignInRecord.objects.create(
        person=user, method=method_of(user), ip_address=_address(request), user_agent=agent[:300]
    )
