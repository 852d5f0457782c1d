"""The compose nginx (deploy/nginx.conf) run for real in front of a recording upstream (issue 13.8).

The app trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER), so nginx must set it from its own
scheme: a client's "X-Forwarded-Proto: https" over plain HTTP must never reach the app.
"""

import http.server
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.tools import require_tool

pytestmark = pytest.mark.slow  # runs nginx

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, list[str]]] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        Recorder.seen.append(headers)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def nginx(tmp_path):
    nginx_bin = require_tool("nginx")
    openssl = require_tool("openssl")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-keyout", str(tmp_path / "privkey.pem")]
        + ["-out", str(tmp_path / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    Recorder.seen = []
    plain, tls = free_port(), free_port()
    site = CONF.read_text()
    site = site.replace(
        "    server web1:8000 max_fails=3 fail_timeout=10s;\n"
        "    server web2:8000 max_fails=3 fail_timeout=10s;\n",
        f"    server 127.0.0.1:{upstream.server_address[1]};\n",
    )
    site = site.replace("listen 80;", f"listen 127.0.0.1:{plain};")
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{tls} ssl")
    site = site.replace("/etc/nginx/certs/", f"{tmp_path}/")
    assert str(upstream.server_address[1]) in site and str(tls) in site, "nginx.conf changed shape"
    (tmp_path / "site.conf").write_text(site)
    temp = "".join(
        f"{name}_temp_path {tmp_path}/{name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\naccess_log off;\n{temp}include {tmp_path}/site.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [nginx_bin, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(tls)
        yield plain, tls
    finally:
        process.terminate()
        process.wait(timeout=10)
        upstream.shutdown()


def fetch(url: str, headers: dict[str, str]) -> int:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_client_cannot_claim_https_over_plain_http(nginx):
    plain, _tls = nginx
    status = fetch(f"http://127.0.0.1:{plain}/dashboard/", {"X-Forwarded-Proto": "https"})
    assert status == 301  # sent to HTTPS, never passed to the app as "secure"
    assert Recorder.seen == []


def test_the_app_hears_nginxs_own_scheme_and_only_that(nginx):
    _plain, tls = nginx
    assert fetch(f"https://127.0.0.1:{tls}/dashboard/", {"X-Forwarded-Proto": "http"}) == 200
    assert Recorder.seen[-1]["x-forwarded-proto"] == ["https"]
    assert fetch(f"https://127.0.0.1:{tls}/", {}) == 200
    assert Recorder.seen[-1]["x-forwarded-proto"] == ["https"]


def test_the_health_endpoint_answers_on_plain_http_for_the_container_check(nginx):
    plain, _tls = nginx
    assert fetch(f"http://127.0.0.1:{plain}/nginx-health", {}) == 200
