"""Redis going away must not stop coordinators from working: the cache degrades to misses."""

import time

import pytest
from django.core.cache import cache

from activities.selectors_calendar import business_calendar
from activities.services.children import child_update
from rss_dashboard import cache as resilient
from tests import factories as f
from tests.tools import require_redis

pytestmark = pytest.mark.django_db


def redis_cache(settings, location: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "rss_dashboard.cache.ResilientRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    resilient._down_until.clear()


def test_saves_go_through_while_redis_is_down(settings):
    redis_cache(settings, "redis://127.0.0.1:1/0")
    child = f.child()
    began = time.monotonic()
    changed = child_update(child, name="Anticoagulation after TAVR")  # recomputes: calendar, cache
    assert changed.name == "Anticoagulation after TAVR" and not changed.name_needs_update
    assert cache.get("anything", "missed") == "missed"
    assert cache.add("k", 1) is False and cache.incr("k") == 1  # rate limits fail open
    assert business_calendar().is_business_day(f.local(2026, 1, 19).date()) is False
    assert time.monotonic() - began < 2


def test_it_is_a_plain_redis_cache_when_redis_answers(settings):
    redis_cache(settings, require_redis())
    cache.set("rss-test-key", [1, 2], 30)
    assert cache.get("rss-test-key") == [1, 2]
    assert cache.add("rss-test-count", 0, 30) and cache.incr("rss-test-count") == 1
    cache.delete_many(["rss-test-key", "rss-test-count"])
    assert cache.get("rss-test-key") is None


def test_one_redis_client_serves_every_call_of_a_process(settings):
    """Django makes a client per call; ours keeps one per connection pool (cache.ReusedClient)."""
    redis_cache(settings, require_redis())
    cache.get("rss-test-key")
    client = cache._cache.get_client("rss-test-key")
    cache.set("rss-test-key", 1, 30)
    assert cache._cache.get_client("rss-test-key", write=True) is client
    cache.delete("rss-test-key")


def test_a_rate_limit_counts_in_one_round_trip_and_expires(settings):
    """ratelimit.hit on Redis: SET NX and INCR in one MULTI (cache.count_in_window)."""
    from rss_dashboard import ratelimit

    redis_cache(settings, require_redis())
    settings.CREDIT_RATE_LIMITS = {"sms_phone": (3, 60)}
    phone = f"+1734555{time.time_ns() % 10_000:04d}"
    assert [ratelimit.hit("sms_phone", phone) for _ in range(4)] == [1, 2, 3, 4]
    assert ratelimit.count("sms_phone", phone) == 4 and ratelimit.exhausted("sms_phone", phone)
    key = ratelimit._key("sms_phone", phone, 60)
    client = cache._cache.get_client(key)
    assert 0 < client.ttl(cache.make_key(key)) <= 65


def test_a_rate_limit_fails_open_while_redis_is_down(settings):
    from rss_dashboard import ratelimit

    redis_cache(settings, "redis://127.0.0.1:1/0")
    assert ratelimit.hit("sms_phone", "+17345550000") == 1
    assert ratelimit.over("sms_phone", "+17345550000") is False
