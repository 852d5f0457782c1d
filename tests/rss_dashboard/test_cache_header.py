"""X-Dashboard-Cache (settings.DEBUG_CACHE_HEADER), which benchmarks/multi_process.py counts: a
miss when the dashboard's listing was built, a hit when it came from the cache, absent when off."""

import pytest
from django.urls import reverse

from rss_dashboard.cache_header import HEADER
from tests import factories as f
from tests.personas import login

pytestmark = pytest.mark.django_db


@pytest.mark.postgres  # the cache works on PostgreSQL's generation (activities/freshness.py)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # committed, as on a server
def test_the_header_says_miss_then_hit_then_miss_after_a_change(
    client, coordinator, series, settings
):
    settings.DEBUG_CACHE_HEADER = True
    login(client, coordinator)
    url = reverse("dashboard")
    assert client.get(url)[HEADER] == "miss"
    assert client.get(url)[HEADER] == "hit"
    f.child(series, name="A new session")  # a change the dashboard shows
    response = client.get(url)
    assert response[HEADER] == "miss"
    assert b"A new session" in response.content
    assert client.get(url)[HEADER] == "hit"


def test_no_header_unless_asked(client, coordinator, series):
    login(client, coordinator)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200 and HEADER not in response
