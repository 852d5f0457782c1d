"""The sign-in page's choices: the institution's sign-in methods that are configured."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def sso_choices() -> list[dict]:
    institution = settings.SSO_INSTITUTION_NAME
    choices = []
    if settings.SAML_ENABLED:
        label = settings.SAML_LABEL or f"Sign in with {institution}"
        choices.append({"id": "sso-saml", "label": label, "url": reverse("saml_login")})
    if settings.OIDC_ENABLED:
        label = settings.OIDC_LABEL or f"Sign in with {institution}"
        choices.append({"id": "sso-oidc", "label": label, "url": reverse("oidc_login")})
    return choices
