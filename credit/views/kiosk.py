"""The kiosk at the room's door (public, by its unguessable link) and a learner's own check-in
code. The kiosk's script (static/app/kiosk.js) queues check-ins on the tablet while the network
is away and sends each with its key; the server records one check-in per key."""

from datetime import UTC, datetime

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from credit import messages as msg
from credit.services_kiosk import (
    KioskError,
    check_in_code,
    kiosk_check_in,
    kiosk_for_token,
    kiosk_is_open,
)
from rss_dashboard import ratelimit

from .common import qr_svg


def _no_referrer(response):
    # The kiosk's address is its secret: never sent on to another page or site.
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def kiosk_page(request, token: str):
    kiosk = kiosk_for_token(token)
    if kiosk is None:
        return _no_referrer(render(request, "credit/kiosk_gone.html", status=404))
    now = timezone.now()
    child = kiosk.child
    return _no_referrer(
        render(
            request,
            "credit/kiosk.html",
            {
                "kiosk": kiosk,
                "child": child,
                "parent": child.parent,
                "is_open": kiosk_is_open(kiosk, now),
                "until": msg.when(kiosk.open_until, child.zone),
                "token": token,
            },
        )
    )


def _reported_time(raw: str | None) -> datetime | None:
    """The tablet's clock in milliseconds since 1970, when the learner checked in."""
    if not raw or not raw.isdigit() or len(raw) > 15:
        return None
    try:
        return datetime.fromtimestamp(int(raw) / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


# The kiosk's link is its credential (not a cookie a forged cross-site request could ride on),
# and a tablet left on for hours must not fail on an expired CSRF cookie: no CSRF check here.
@csrf_exempt
@require_POST
def kiosk_check_in_view(request, token: str):
    kiosk = kiosk_for_token(token)
    if kiosk is None:
        return JsonResponse(
            {"outcome": "gone", "message": "This kiosk link is not valid."}, status=404
        )
    if ratelimit.over("kiosk", str(kiosk.pk)):
        response = JsonResponse(
            {"outcome": "busy", "message": "Too many check-ins; wait a moment."}, status=429
        )
        response["Retry-After"] = "10"
        return response
    try:
        result = kiosk_check_in(
            kiosk=kiosk,
            key=request.POST.get("key", ""),
            value=request.POST.get("value", ""),
            checked_in_at=_reported_time(request.POST.get("at")),
        )
    except KioskError as exc:
        status = 410 if exc.code == "closed" else 400
        return JsonResponse({"outcome": exc.code, "message": exc.message}, status=status)
    return JsonResponse(
        {"outcome": result.outcome, "message": result.message, "replay": result.replay}
    )


@login_required
@require_GET
def check_in_code_view(request):
    """The learner's own code for the kiosk: shown on their phone, scanned at the door."""
    return render(
        request,
        "credit/check_in_code.html",
        {"qr_svg": qr_svg(check_in_code(request.user), box_size=10)},
    )
