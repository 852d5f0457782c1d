"""Fixed-window rate limits in the Django cache (Redis in production, so shared by all web processes).

Limits are (count, seconds); `settings.CREDIT_RATE_LIMITS` may override any of them.
- sms_phone: texts per phone. Twilio's requests all come from a few Twilio addresses, so signed
  texts are never limited per address (that would drop real claims after a busy grand rounds);
- sms_forged_ip: requests with a bad or missing signature per address, counted to log an alert
  (each is refused with 403; a signed request is never refused for them);
- claim_user / claim_ip: claim and late-claim posts per signed-in learner and per address. The
  per-address figure is high on purpose: a full auditorium shares the hospital's one address;
- register_ip: account registrations per address;
- verify_ip / evaluation_ip: certificate verifications and evaluation-link requests per address,
  so nobody can try codes or tokens in bulk (both are unguessable anyway);
- reset_email / reset_ip: password-reset emails per address (one every five minutes) and per
  client, so the reset form cannot flood an inbox; the form answers the same either way;
- email_link_ip / email_link_address: "Email me a link" requests per address and per email.
- kiosk: check-ins per kiosk (a door where a hundred people arrive within minutes, and a
  tablet sending its queue after a network loss).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

DEFAULTS: dict[str, tuple[int, int]] = {
    "sms_phone": (10, 60),
    "sms_forged_ip": (60, 60),
    "claim_user": (10, 60),
    "claim_ip": (300, 60),
    "register_ip": (30, 60),
    "reset_email": (1, 300),
    "reset_ip": (10, 3600),
    "email_link_ip": (20, 3600),  # "Email me a link" on the sign-in page, per address
    "email_link_address": (3, 3600),  # and per email address (silently: no answer tells)
    "contact_ip": (10, 3600),  # "Contact the office" messages per address
    "verify_ip": (60, 60),
    "evaluation_ip": (300, 60),
    "kiosk": (240, 60),
}


def limit_for(name: str) -> tuple[int, int]:
    return {**DEFAULTS, **getattr(settings, "CREDIT_RATE_LIMITS", {})}[name]


def _key(name: str, ident: str, period: int) -> str:
    digest = hashlib.sha256(str(ident).encode("utf-8", "replace")).hexdigest()[:32]
    return f"rl:{name}:{digest}:{int(time.time() // period)}"


def hit(name: str, ident: str) -> int:
    """Count one more request in the current window; returns the count so far."""
    _limit, period = limit_for(name)
    key = _key(name, ident, period)
    in_one_step = getattr(cache, "count_in_window", None)  # Redis: one round trip
    if in_one_step is not None:
        return in_one_step(key, period + 5)
    cache.add(key, 0, timeout=period + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 5)
        return 1


def count(name: str, ident: str) -> int:
    _limit, period = limit_for(name)
    return int(cache.get(_key(name, ident, period)) or 0)


def over(name: str, ident: str) -> bool:
    """Count this request and say whether it goes past the limit."""
    return hit(name, ident) > limit_for(name)[0]


def exhausted(name: str, ident: str) -> bool:
    """Whether the limit is already used up, without counting this request."""
    return count(name, ident) >= limit_for(name)[0]


def client_ip(request) -> str:
    """The caller's address. Behind N trusted proxies (`TRUSTED_PROXY_COUNT`), the Nth entry from
    the right of X-Forwarded-For: entries further left are whatever the client wrote."""
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
