import json
import logging

import pytest

from rss_dashboard.request_log import JsonFormatter, RequestIdFilter, request_id
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert html.count("<script") == html.count("<script src=")


def test_a_request_id_is_returned_and_a_sane_incoming_one_kept(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    assert kept["X-Request-ID"] == "lb-0123456789abcdef"
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert "<" not in hostile["X-Request-ID"]


def test_log_lines_are_json_with_the_request_id():
    token = request_id.set("req-12345678")
    try:
        record = logging.LogRecord("rss", logging.INFO, __file__, 1, "claimed %s", ("42",), None)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "req-12345678"
    assert line["message"] == "claimed 42"


def test_sign_in_is_throttled_after_repeated_failures(client, settings):
    settings.AXES_ENABLED = True
    person = f.person(email="jane@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": person.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": person.email, "password": "wrong"})
    assert response.status_code == 429  # the limit-th failure locks
    locked = client.post("/accounts/login/", {"username": person.email, "password": f.PASSWORD})
    assert locked.status_code == 429
    assert b"Too many sign-in attempts" in locked.content
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_and_the_session_cookie_is_http_only(client, settings):
    settings.AXES_ENABLED = True
    person = f.person(email="sam@example.org")
    response = client.post(
        "/accounts/login/", {"username": "  SAM@example.org ", "password": f.PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"
