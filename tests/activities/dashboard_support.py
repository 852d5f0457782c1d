"""What the dashboard's cache tests share (test_dashboard_freshness.py and
test_dashboard_series_generations.py)."""

import re

from django.db import connection

from activities.dashboard import triggers

URL = "/dashboard/?per_page=50"
_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|csrf-token" content=")[^"]+')


def committed_generation() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n FROM {triggers.TABLE}")
        return cursor.fetchone()[0]


def same_but_tokens(a: str, b: str) -> bool:
    """The page carries a per-request CSRF token; everything else is the same."""
    return _TOKEN.sub("", a) == _TOKEN.sub("", b)
