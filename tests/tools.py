"""External tools some tests need. Locally a missing tool skips; in CI (RSS_REQUIRE_ALL=1) it fails,
so nothing that CI should prove is silently skipped there."""

import os
import shutil

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
