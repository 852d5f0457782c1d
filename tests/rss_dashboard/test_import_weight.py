"""Issue 21: a web worker loads the heavy libraries of a feature when the feature is first used,
not when Django starts or resolves its first URL (each costs megabytes in every worker)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a fresh interpreter sets Django up

ROOT = Path(__file__).resolve().parents[2]

HEAVY = [
    "openpyxl",  # PARS exports and answer files
    "docx",  # Word flyers
    "reportlab",  # certificates
    "qrcode",  # certificates and flyers
    "icalendar",  # the portal's calendar
    "saml2",  # SAML sign-in
    "djangosaml2.views",
    "mozilla_django_oidc.auth",  # OpenID Connect sign-in
    "jwt",
    "xmlschema",
    "twilio",  # the SMS webhook
    "holidays",  # business-day deadlines
]

# What a worker does before and while it answers its first page: the WSGI handler (settings,
# apps, middleware), the URLconf, the template engine (it imports every installed app's tag
# libraries) and the authentication backends (every permission check and every password
# sign-in builds all of them).
BOOT = f"""
import sys
from django.contrib.auth import get_backends
from django.core.wsgi import get_wsgi_application
from django.template import engines
from django.urls import get_resolver

get_wsgi_application()
get_resolver().url_patterns
engines.all()
get_backends()
print(" ".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def test_a_worker_loads_no_feature_library_before_the_feature_is_used():
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "rss_dashboard.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-real-secret-" + "x9Q2" * 12,
        "ALLOWED_HOSTS": "rss.example.org",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", BOOT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
