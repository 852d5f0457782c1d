"""The RSS Dashboard page and the single row it refreshes in place (activities/dashboard/)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from activities.access import get_child_for_user
from activities.dashboard.listing import dashboard_html

from .common import row_html


@login_required
@require_GET
def dashboard(request):
    return HttpResponse(dashboard_html(request))


@login_required
@require_GET
def child_row(request, child_id: int):
    get_child_for_user(request.user, child_id)
    html = row_html(request, child_id)
    if not html:
        raise Http404("No such session.")
    return HttpResponse(html)
