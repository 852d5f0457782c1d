import os

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the same examples every time (a red build is reproducible) and never fails on timing.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_passwords_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://rss.example.org"
    # Login throttling has its own tests; elsewhere client.login() must not need a request.
    settings.AXES_ENABLED = False


class ServerErrorGuard:
    """Records every request that raised (a 500), in the test client and the live server alike."""

    def __init__(self):
        self.errors: list[str] = []

    def record(self, sender, request=None, **kwargs):
        self.errors.append(getattr(request, "path", "?"))

    def __enter__(self):
        from django.core.signals import got_request_exception

        got_request_exception.connect(self.record, weak=False)
        return self

    def __exit__(self, *exc):
        from django.core.signals import got_request_exception

        got_request_exception.disconnect(self.record)


@pytest.fixture(autouse=True)
def server_errors():
    """A 500 anywhere in the suite fails the test that caused it."""
    with ServerErrorGuard() as guard:
        yield guard
    if guard.errors:
        pytest.fail(f"server error (500) while handling: {', '.join(guard.errors)}")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium; Playwright's own browser download cannot work here."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    from tests.tools import require_all

    if require_all() and not on_postgres:
        raise pytest.UsageError("CI must run on PostgreSQL: set DATABASE_URL")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


def pytest_collection_finish(session):
    """Browser tests check pages with the Nu Html Checker: start its JVM now, in the background,
    so the first check does not wait for it (tests/browser_checks.py)."""
    if any(item.get_closest_marker("e2e") for item in session.items):
        from tests.browser_checks import prestart

        prestart()
