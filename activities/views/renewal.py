"""Renew a series for next year (SPEC §2): a confirmation, then the service.

Coordinators of the series and administrators renew; owners get 403, people outside the series
404 (activities.access). The renewal reminder email links here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from activities.access import get_parent_for_user
from activities.models import ParentActivity
from activities.services.parents import ParentError, parent_renew

from .common import render_window


@login_required
@require_http_methods(["GET", "POST"])
def parent_renew_view(request, parent_id: int):
    parent = get_parent_for_user(request.user, parent_id, edit=True)
    error = None
    if request.method == "POST":
        try:
            renewal = parent_renew(parent, by=request.user)
        except ParentError as exc:
            error = exc
        else:
            messages.success(
                request,
                f"{renewal.name} ({renewal.year}) was created as a draft (Parent ID {renewal.pk}) "
                "for the office to approve.",
            )
            return redirect("parent_renew", parent.pk)
    context = {
        "parent": parent,
        "next_year": parent.year + 1,
        "renewal": ParentActivity.objects.filter(renewed_from=parent).first(),
        "error": error,
    }
    return render_window(request, "activities/renew.html", context, status=409 if error else 200)
