"""A real SAML 2.0 identity provider for the tests: pysaml2's own IdP (`saml2.server.Server`)
behind a small WSGI app on 127.0.0.1, with its own key and certificate.

- GET  /sso/redirect  (HTTP-Redirect binding): parses and checks the AuthnRequest, shows a
  sign-in form (no script).
- POST /login: checks the user's password, answers with a signed assertion in a form that the
  browser posts to the site's ACS (HTTP-POST binding), with a "Continue" button.

`Idp.answer(...)` builds the same signed answer without the browser, for the negative tests
(tampered, wrong audience, expired)."""

from __future__ import annotations

import base64
import datetime
import html
import secrets
import shutil
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


def make_key_pair(folder: Path, name: str) -> tuple[str, str]:
    """A 2048-bit RSA key and a self-signed certificate for it, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


@dataclass
class User:
    password: str
    email: str
    first_name: str
    last_name: str


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


class _ThreadedServer(WSGIServer):
    daemon_threads = True


@dataclass
class Idp:
    folder: Path
    users: dict[str, User] = field(default_factory=dict)
    port: int = 0
    server: Server | None = None
    _pending: dict = field(default_factory=dict)
    _httpd: object = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def entity_id(self) -> str:
        return f"{self.base}/metadata"

    def start(self) -> Idp:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        key, cert = make_key_pair(self.folder, "idp")
        self.config = {
            "entityid": self.entity_id,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "key_file": key,
            "cert_file": cert,
            "service": {
                "idp": {
                    "name": "Test University IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base}/sso/redirect", BINDING_HTTP_REDIRECT)
                        ]
                    },
                    "want_authn_requests_signed": False,
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {"default": {"lifetime": {"minutes": 5}}},
                }
            },
            "metadata": {},
        }
        conf = IdPConfig()
        conf.load(dict(self.config))
        self.metadata_path = self.folder / "idp-metadata.xml"
        self.metadata_path.write_text(create_metadata_string(None, config=conf).decode())
        self._httpd = make_server(
            "127.0.0.1", self.port, self._app, server_class=_ThreadedServer, handler_class=_Quiet
        )
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def trust_sp(self, sp_metadata_xml: str) -> None:
        """Load the site's SP metadata (its entity ID and ACS), as an IdP administrator does."""
        sp_file = self.folder / "sp-metadata.xml"
        sp_file.write_text(sp_metadata_xml)
        conf = IdPConfig()
        conf.load({**self.config, "metadata": {"local": [str(sp_file)]}})
        self.server = Server(config=conf)

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    # --- the answer ------------------------------------------------------------------------

    def parse_request(self, query: str):
        """The AuthnRequest of a redirect URL's query string, checked by pysaml2."""
        params = {k: v[0] for k, v in parse_qs(query).items()}
        parsed = self.server.parse_authn_request(params["SAMLRequest"], BINDING_HTTP_REDIRECT)
        return parsed.message, params.get("RelayState", "")

    def answer(self, request, username: str, *, audience: str | None = None) -> str:
        """A signed SAML Response (XML) for `username`, in answer to `request`. `audience`
        names another service provider in the assertion's audience (signed all the same)."""
        user = self.users[username]
        identity = {
            "mail": [user.email],
            "givenName": [user.first_name],
            "sn": [user.last_name],
        }
        name_id = NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"{username}-persistent-id")
        policy = self.server.config.getattr("policy", "idp")
        original = policy.conditions
        if audience:
            policy.conditions = lambda _sp: original(audience)
        try:
            response = self.server.create_authn_response(
                identity,
                in_response_to=request.id,
                destination=request.assertion_consumer_service_url,
                sp_entity_id=request.issuer.text,
                name_id=name_id,
                authn={"class_ref": PASSWORD_CLASS, "authn_auth": self.entity_id},
                sign_assertion=True,
                sign_response=False,
                sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
            )
        finally:
            policy.conditions = original
        return str(response)

    # --- the web pages ---------------------------------------------------------------------

    def _app(self, environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        if path == "/sso/redirect" and method == "GET":
            request, relay = self.parse_request(environ.get("QUERY_STRING", ""))
            key = secrets.token_urlsafe(16)
            self._pending[key] = (request, relay)
            return self._page(start_response, self._login_form(key))
        if path == "/login" and method == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
            pending = self._pending.get(form.get("key", ""))
            user = self.users.get(form.get("username", ""))
            if pending is None or user is None or user.password != form.get("password"):
                return self._page(start_response, "<p>Wrong user name or password.</p>", "401")
            del self._pending[form["key"]]
            request, relay = pending
            xml = self.answer(request, form["username"])
            return self._page(
                start_response,
                self._post_form(request.assertion_consumer_service_url, xml, relay),
            )
        return self._page(start_response, "<p>Not found</p>", "404")

    @staticmethod
    def _page(start_response, body: str, status: str = "200"):
        text = {"200": "200 OK", "401": "401 Unauthorized", "404": "404 Not Found"}[status]
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Test University sign-in</title></head><body>{body}</body></html>"
        )
        start_response(text, [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    @staticmethod
    def _login_form(key: str) -> str:
        return (
            "<h1>Test University</h1><form method='post' action='/login'>"
            f"<input type='hidden' name='key' value='{key}'>"
            "<label>User name <input name='username' id='username'></label>"
            "<label>Password <input name='password' id='password' type='password'></label>"
            "<button type='submit'>Sign in at Test University</button></form>"
        )

    @staticmethod
    def _post_form(acs: str, xml: str, relay: str) -> str:
        encoded = base64.b64encode(xml.encode()).decode()
        return (
            f"<form method='post' action='{html.escape(acs)}'>"
            f"<input type='hidden' name='SAMLResponse' value='{encoded}'>"
            f"<input type='hidden' name='RelayState' value='{html.escape(relay)}'>"
            "<button type='submit'>Continue to the site</button></form>"
        )


BINDINGS = (BINDING_HTTP_POST, BINDING_HTTP_REDIRECT)
