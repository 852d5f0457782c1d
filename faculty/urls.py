from django.urls import path

from .views import sso

urlpatterns = [
    # Sign-in through the institution (404 while a method is not configured).
    path("accounts/sso/saml/login/", sso.saml_login, name="saml_login"),
    path("accounts/sso/saml/acs/", sso.saml_acs, name="saml_acs"),
    path("accounts/sso/saml/metadata/", sso.saml_metadata, name="saml_metadata"),
    path("accounts/sso/oidc/login/", sso.oidc_login, name="oidc_login"),
    path("accounts/sso/oidc/callback/", sso.oidc_callback, name="oidc_callback"),
]
