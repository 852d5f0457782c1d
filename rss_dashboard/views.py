import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def _checks() -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        log.warning("healthz: database: %r", exc)
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
            ).ping()
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            log.warning("healthz: broker: %r", exc)
            checks["broker"] = "error"
    else:
        checks["broker"] = "inline (no broker configured)"
    return checks


@require_GET
@never_cache
def healthz(request):
    """Can this process serve? 200 while the database answers, whatever the broker: with Redis
    down pages work and email waits in the outbox, so a load balancer must keep this server.
    A broker outage is reported in the body as "degraded"."""
    checks = _checks()
    if checks["database"] == "error":
        status = "error"
    elif checks["broker"] == "error":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse({"status": status, **checks}, status=503 if status == "error" else 200)


@require_GET
@never_cache
def healthz_ready(request):
    """The strict check (monitoring, deploys): 200 only when the database and the broker answer."""
    checks = _checks()
    healthy = all(v != "error" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@require_GET
def home(request):
    """Where each person lands: coordinators and owners on the dashboard, reviewers in the admin."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.is_reviewer and not user.is_administrator:
        return redirect("admin:index")
    from activities.access import has_a_series

    target = "dashboard" if has_a_series(user) else "transcript"
    try:
        return redirect(target)
    except NoReverseMatch:  # a page not installed in this deployment
        return redirect("admin:index" if user.is_staff else "password_change")
