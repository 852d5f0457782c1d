"""Sign-in through the institution is configured from the environment; a bad value stops the
start with a message naming it (rss_dashboard/sso_config.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from rss_dashboard.sso_config import oidc_settings, saml_settings

SITE = "https://rss.example.org"


def test_both_are_off_without_their_variables():
    assert saml_settings({}, site_url=SITE, debug=False)["SAML_ENABLED"] is False
    assert oidc_settings({}, debug=False)["OIDC_ENABLED"] is False


def test_saml_from_a_metadata_file(tmp_path):
    metadata = tmp_path / "idp.xml"
    metadata.write_text("<EntityDescriptor/>")
    env = {"SAML_IDP_METADATA_FILE": str(metadata), "SAML_ATTR_EMAIL": "urn:oid:0.9.2342"}
    values = saml_settings(env, site_url=SITE, debug=False)
    assert values["SAML_ENABLED"] is True
    assert values["SAML_SP_ENTITY_ID"] == f"{SITE}/accounts/sso/saml/metadata/"
    assert values["SAML_ATTRIBUTES"]["email"] == "urn:oid:0.9.2342"


@pytest.mark.parametrize(
    "env, named",
    [
        ({"SAML_IDP_METADATA_URL": "http://idp.example.org/metadata"}, "SAML_IDP_METADATA_URL"),
        ({"SAML_IDP_METADATA_URL": "not a url"}, "SAML_IDP_METADATA_URL"),
        ({"SAML_IDP_METADATA_FILE": "/nonexistent/idp.xml"}, "SAML_IDP_METADATA_FILE"),
        ({"SAML_SP_KEY_FILE": "/nonexistent/sp.key"}, "SAML_SP_KEY_FILE"),
        ({"SAML_METADATA_REFRESH": "soon"}, "SAML_METADATA_REFRESH"),
    ],
)
def test_saml_bad_values_stop_the_start(env, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        saml_settings(env, site_url=SITE, debug=False)


def test_saml_needs_one_metadata_and_a_whole_key_pair(tmp_path):
    f = tmp_path / "x.pem"
    f.write_text("x")
    both = {"SAML_IDP_METADATA_URL": "https://idp.example.org/m", "SAML_IDP_METADATA_FILE": str(f)}
    with pytest.raises(ImproperlyConfigured, match="not both"):
        saml_settings(both, site_url=SITE, debug=False)
    with pytest.raises(ImproperlyConfigured, match="go together"):
        saml_settings({"SAML_SP_KEY_FILE": str(f)}, site_url=SITE, debug=False)


def test_oidc():
    env = {
        "OIDC_ISSUER": "https://login.example.edu/",
        "OIDC_CLIENT_ID": "rss",
        "OIDC_CLIENT_SECRET": "s3cret",
    }
    values = oidc_settings(env, debug=False)
    assert values["OIDC_ENABLED"] and values["OIDC_ISSUER"] == "https://login.example.edu"
    assert values["OIDC_USE_PKCE"] is True
    with pytest.raises(ImproperlyConfigured, match="OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"):
        oidc_settings({"OIDC_ISSUER": "https://login.example.edu"}, debug=False)
    with pytest.raises(ImproperlyConfigured, match="OIDC_ISSUER"):
        oidc_settings({**env, "OIDC_ISSUER": "http://login.example.edu"}, debug=False)
    with pytest.raises(ImproperlyConfigured, match="OIDC_SCOPES"):
        oidc_settings({**env, "OIDC_SCOPES": "email"}, debug=False)
    with pytest.raises(ImproperlyConfigured, match="OIDC_SIGN_ALGO"):
        oidc_settings({**env, "OIDC_SIGN_ALGO": "HS256"}, debug=False)
    # A provider on this machine may use http (development and the tests).
    local = {**env, "OIDC_ISSUER": "http://127.0.0.1:9000"}
    assert oidc_settings(local, debug=False)["OIDC_ENABLED"]
