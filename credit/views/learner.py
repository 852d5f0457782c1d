"""My transcript (SPEC §11): per year with totals, as a page, a CSV and a printable page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from credit.selectors_transcripts import (
    late_requests,
    transcript,
    transcript_csv,
    transcript_page,
    transcript_years,
)
from credit.transcript_html import rows_html

from .common import file_response

# The transcript page shows the newest year's latest sessions with the year's totals (issue 21:
# a busy learner's 140 rows a year took the page to 30x /healthz); ?year=Y lists them all.
NEWEST = 25


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


@login_required
@require_GET
def transcript_view(request):
    """One year's sessions: the one asked for, or the newest year's latest NEWEST with its totals
    and the totals of the earlier years below (each opens as its own page; the CSV and printable
    page hold every year)."""
    year = _year(request)
    earlier = []
    if year is None:
        summaries = transcript_years(request.user)
        years = []
        if summaries:
            years = transcript_page(request.user, summaries[0].year, newest=NEWEST)
            years[0].summary = summaries[0]
        earlier = summaries[1:]
    else:
        years = transcript_page(request.user, year)
    for y in years:
        y.rows_html = rows_html(y.rows)
    return render(
        request,
        "credit/transcript.html",
        {
            "years": years,
            "earlier": earlier,
            "year": year,
            "late_requests": late_requests(request.user),
        },
    )


@login_required
@require_GET
def transcript_csv_view(request):
    return file_response(transcript_csv(request.user, transcript(request.user, _year(request))))


@login_required
@require_GET
def transcript_print(request):
    return render(
        request,
        "credit/transcript_print.html",
        {
            "years": transcript(request.user, _year(request)),
            "learner": request.user,
            "printed": timezone.localtime(),
            "provider": settings.PROVIDER_NAME,
        },
    )
