"""External tools some tests need. Locally a missing tool skips; in CI (RSS_REQUIRE_ALL=1) it fails,
so nothing that CI should prove is silently skipped there."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest


def require_all() -> bool:
    return os.environ.get("RSS_REQUIRE_ALL") == "1"


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if require_all():
        pytest.fail(f"{name} is required in CI but not installed")
    pytest.skip(f"{name} not installed")


def redis_test_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require_redis() -> str:
    """The URL of a Redis that answers (TEST_REDIS_URL); skips locally, fails in CI without one."""
    import redis

    url = redis_test_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as exc:
        if require_all():
            pytest.fail(f"Redis at {url} is required in CI but does not answer: {exc}")
        pytest.skip(f"Redis at {url} does not answer (set TEST_REDIS_URL)")
    return url


def screenshots_dir() -> Path:
    """Where the browser tests save their screenshots: docs/screenshots when retaking the docs'
    pictures (`make screenshots` sets RSS_SCREENSHOTS=1), else a temporary folder."""
    if os.environ.get("RSS_SCREENSHOTS") == "1":
        return Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    return Path(tempfile.gettempdir()) / "rss-dashboard-screenshots"
