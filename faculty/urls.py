from django.urls import path

from .views import sso

urlpatterns = [
    # Sign-in through the institution (404 while a method is not configured).
    path("accounts/sso/saml/login/", sso.SamlLogin.as_view(), name="saml_login"),
    path("accounts/sso/saml/acs/", sso.SamlAcs.as_view(), name="saml_acs"),
    path("accounts/sso/saml/metadata/", sso.SamlMetadata.as_view(), name="saml_metadata"),
    path("accounts/sso/oidc/login/", sso.OidcLogin.as_view(), name="oidc_login"),
    path("accounts/sso/oidc/callback/", sso.OidcCallback.as_view(), name="oidc_callback"),
]
