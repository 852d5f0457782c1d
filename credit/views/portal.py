"""The public attendee portal and the per-series iCalendar feed."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from credit.selectors_portal import public_parent, series_calendar, upcoming_by_series

from .common import file_response


@require_GET
def portal(request):
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "credit/portal.html",
        {"series": upcoming_by_series(timezone.now(), query), "q": query},
    )


@require_GET
def series_ics(request, parent_id: int):
    response = file_response(series_calendar(public_parent(parent_id), timezone.now()), inline=True)
    response["Cache-Control"] = "public, max-age=900"
    return response
