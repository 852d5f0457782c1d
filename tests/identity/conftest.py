"""Real identity providers on 127.0.0.1 for the sign-in tests: pysaml2's IdP (saml_idp.py) and
the npm `oidc-provider` on Node (oidc_op.mjs). Locally a missing tool skips; in CI it fails."""

import json
import socket
import subprocess
from pathlib import Path

import pytest
from saml2.metadata import create_metadata_string

from faculty.sso_oidc import forget_discovery
from faculty.sso_saml import forget_config, sp_config
from tests.identity.saml_idp import Idp, User
from tests.tools import require_all, require_tool

ROOT = Path(__file__).resolve().parents[2]
OP_SCRIPT = Path(__file__).with_name("oidc_op.mjs")
OIDC_PROVIDER = ROOT / "node_modules" / "oidc-provider"
CLIENT_ID, CLIENT_SECRET = "rss-dashboard", "a-test-secret-of-the-client-0123456789"

USERS = {
    "jdoe": {"email": "jdoe@med.umich.edu", "first_name": "Jane", "last_name": "Doe"},
    "newbie": {"email": "newbie@umich.edu", "first_name": "Nora", "last_name": "Newman"},
    "twin": {"email": "jsmith@gmail.com", "first_name": "John", "last_name": "Smith"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def configure_saml(settings, idp: Idp) -> None:
    settings.SAML_ENABLED = True
    settings.SAML_IDP_METADATA_FILE = str(idp.metadata_path)
    settings.SAML_IDP_METADATA_URL = ""
    settings.SAML_SP_ENTITY_ID = f"{settings.SITE_URL}/accounts/sso/saml/metadata/"
    settings.SAML_SP_KEY_FILE = settings.SAML_SP_CERT_FILE = ""
    settings.SSO_INSTITUTION_NAME = "Test University"
    forget_config()
    idp.trust_sp(create_metadata_string(None, config=sp_config()).decode())


@pytest.fixture
def saml_idp(settings, tmp_path):
    """pysaml2's IdP, trusted by the site (SITE_URL as set when the fixture runs)."""
    require_tool("xmlsec1")
    idp = Idp(tmp_path)
    idp.users = {name: User(password="idp-pass", **u) for name, u in USERS.items()}
    idp.start()
    configure_saml(settings, idp)
    yield idp
    idp.stop()
    forget_config()


class OpenIdProvider:
    def __init__(self, issuer: str, redirect_uri: str, port: int):
        node = require_tool("node")
        if not OIDC_PROVIDER.exists():
            message = "node_modules/oidc-provider (run `npm ci` at the repository root)"
            if require_all():
                pytest.fail(f"required in CI but missing: {message}")
            pytest.skip(f"missing: {message}")
        options = {
            "port": port,
            "issuer": issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": redirect_uri,
            "users": USERS,
        }
        self.issuer, self.port = issuer, port
        self.process = subprocess.Popen(
            [node, str(OP_SCRIPT), json.dumps(options)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("ready"):
            self.stop()
            raise RuntimeError(f"the OpenID Provider did not start: {self.process.stderr.read()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def configure_oidc(settings, issuer: str) -> None:
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.SSO_INSTITUTION_NAME = "Test University"
    forget_discovery()


def start_op(settings, *, issuer_host: str = "127.0.0.1") -> OpenIdProvider:
    port = free_port()
    issuer = f"http://{issuer_host}:{port}"
    op = OpenIdProvider(issuer, f"{settings.SITE_URL}/accounts/sso/oidc/callback/", port)
    configure_oidc(settings, f"http://127.0.0.1:{port}")
    return op


@pytest.fixture
def oidc_op(settings):
    """oidc-provider on Node, with the site registered as its client (SITE_URL as set when the
    fixture runs)."""
    op = start_op(settings)
    yield op
    op.stop()
    forget_discovery()
