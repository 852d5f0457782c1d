"""The RSS Dashboard page and the single row it refreshes in place (activities/dashboard/)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from activities.access import get_child_for_user
from activities.dashboard.listing import dashboard_html
from rss_dashboard import cache_header

from .common import row_html


@login_required
@require_GET
def dashboard(request):
    with cache_header.watch() as watched:
        response = HttpResponse(dashboard_html(request))
    cache_header.mark(response, watched)  # X-Dashboard-Cache when DEBUG_CACHE_HEADER is on
    return response


@login_required
@require_GET
def child_row(request, child_id: int):
    get_child_for_user(request.user, child_id)
    html = row_html(request, child_id)
    if not html:
        raise Http404("No such session.")
    return HttpResponse(html)
