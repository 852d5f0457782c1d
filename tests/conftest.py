import os

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the same examples every time (a red build is reproducible) and never fails on timing.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# The personas (coordinator, owner, office, learner, series, ...) for every test: tests/personas.py.
# An app's conftest overrides only what differs there (e.g. `series_year`).
pytest_plugins = ["tests.personas"]

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


@pytest.fixture
def one_rate_window():
    """Start a rate-limit test at the beginning of an hour: the limits count in fixed windows
    (time // period, periods of a minute or an hour), so requests that straddled a window's end
    would see the count restart and flake. The clock keeps running (a frozen clock would make
    repeated requests identical, e.g. one outbox email for two)."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    now = timezone.now()
    next_hour = now + timedelta(seconds=3600 - now.timestamp() % 3600 + 1)
    with time_machine.travel(next_hour, tick=True):
        yield


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


def pytest_addoption(parser):
    parser.addoption(
        "--fast",
        action="store_true",
        help="only the tests of rules, services and reads (`make test-fast`): no page requests, "
        "no browser, no live server, no transactional tests, nothing marked slow",
    )


# A test that asks for one of these renders pages, serves HTTP or drives a browser: not "fast".
NOT_FAST_FIXTURES = {"client", "admin_client", "live_server", "page", "browser", "context"}


def _is_fast(item) -> bool:
    if item.get_closest_marker("e2e") or item.get_closest_marker("slow"):
        return False
    db = item.get_closest_marker("django_db")
    if db and (db.kwargs.get("transaction") or db.kwargs.get("serialized_rollback")):
        return False
    return not NOT_FAST_FIXTURES.intersection(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config, items):
    if config.getoption("--fast"):
        keep = [item for item in items if _is_fast(item)]
        config.hook.pytest_deselected(items=[item for item in items if not _is_fast(item)])
        items[:] = keep
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    from tests.tools import require_all

    if require_all() and not on_postgres:
        raise pytest.UsageError("CI must run on PostgreSQL: set DATABASE_URL")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "[chromium" in item.nodeid and not item.get_closest_marker("e2e"):
            # A fixture or parameter named `page` makes pytest-playwright run the test once per
            # browser: a database test would open Chromium for nothing and hide among the e2e ones.
            raise pytest.UsageError(
                f"{item.nodeid} is parametrized by Playwright but not marked e2e: rename its "
                "`page` fixture or parameter, or mark it e2e if it drives a browser"
            )
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


def pytest_collection_finish(session):
    """Browser tests check pages with the Nu Html Checker: start its JVM now, in the background,
    so the first check does not wait for it (tests/browser_checks.py)."""
    if any(item.get_closest_marker("e2e") for item in session.items):
        from tests.browser_checks import prestart

        prestart()
