"""Error pages are plain and helpful; no stack trace or secret reaches a response; production cookies
are secure, HTTP-only and SameSite; sessions expire; the worker's log lines carry the task id."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse

from rss_dashboard.request_log import request_id
from tests import factories as f
from tests.rss_dashboard.test_settings_and_health import PROD_ENV, run_manage

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="tests.security.boom_urls", DEBUG=False)
def test_a_crash_answers_the_plain_500_page_without_the_traceback(server_errors):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    for leak in ("Traceback", "RuntimeError", "kaboom", "hunter2", django_settings.SECRET_KEY):
        assert leak not in html
    assert server_errors.errors == ["/boom/"]
    server_errors.errors.clear()  # raised on purpose


def test_an_unknown_page_is_a_styled_404_that_says_where_to_go(client):
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in html and "bootstrap" in html
    assert 'href="/accounts/login/"' in html


def test_a_refusal_is_a_styled_403_that_says_nothing_changed(client):
    owner = f.person(email="owner@example.org")
    child = f.child(f.parent(owners=[owner]))
    client.force_login(owner)
    response = client.post(reverse("child_deactivate", args=[child.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Nothing was changed" in html and "coordinators" in html


def test_a_bad_host_is_a_plain_400(client):
    response = client.get("/accounts/login/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()


def test_production_cookies_are_secure_http_only_and_same_site():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k) "
        "for k in ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_SAMESITE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
        "'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'SESSION_COOKIE_AGE', 'DEBUG']}))"
    )
    result = run_manage("shell", "-c", code, env=PROD_ENV)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_COOKIE_AGE": 43200,
        "DEBUG": False,
    }


def test_the_session_cookie_is_http_only_and_ends_with_the_browser(client):
    person = f.person(email="jane@example.org")
    response = client.post(reverse("login"), {"username": person.email, "password": f.PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie


def test_a_session_expires_after_its_age(client):
    person = f.person(email="jane@example.org")
    coordinator_of = f.parent(coordinators=[person])
    assert coordinator_of
    with time_machine.travel("2026-03-02 09:00 -05:00", tick=False) as clock:
        client.force_login(person)
        assert client.get(reverse("dashboard")).status_code == 200
        clock.shift(timedelta(seconds=django_settings.SESSION_COOKIE_AGE + 60))
        from django.core.cache import cache

        cache.clear()  # Redis drops the cached copy by its own clock; the database row decides
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_workers_log_lines_carry_the_task_id():
    from rss_dashboard.celery import app

    @app.task(name="tests.probe_request_id")
    def probe():
        return request_id.get()

    result = probe.apply(task_id="abc123")
    assert result.get() == "task-abc123"
    assert request_id.get() == "-"
