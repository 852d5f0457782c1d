"""Small HTTP helpers every app's views share (infrastructure: imports no domain app)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def file_response(rendered: tuple[str, str, bytes], *, inline: bool = False) -> HttpResponse:
    """Wrap a renderer's (filename, content_type, bytes)."""
    filename, content_type, content = rendered
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def too_many(request, what: str = "requests") -> HttpResponse:
    """429 with a page that says what to wait for (rate limits: rss_dashboard/ratelimit.py)."""
    response = render(request, "too_many.html", {"what": what}, status=429)
    response["Retry-After"] = "60"
    return response


def safe_next(request, value: str | None) -> str:
    """A local path to return to after signing in or registering, or ""."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""
