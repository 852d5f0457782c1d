"""Presentations: upload, download and delete on the dashboard row, and the public upload page
faculty reach from the presentation-request email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities.access import get_assignment_for_user
from activities.services.presentations import (
    PresentationError,
    presentation_attach,
    presentation_remove,
)
from activities.views.common import (
    dashboard_url_for,
    render_window,
    row_html,
    trigger,
    with_row,
)
from faculty.forms import PresentationForm
from faculty.models import Assignment
from rss_dashboard.uploads import UploadError


def _attach(request, assignment, form: PresentationForm, by) -> bool:
    if not form.is_valid():
        return False
    try:
        presentation_attach(assignment=assignment, upload=form.cleaned_data["file"], by=by)
    except (UploadError, PresentationError) as exc:
        form.add_error("file", exc.message)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def presentation_form(request, assignment_id: int):
    assignment = get_assignment_for_user(request.user, assignment_id, edit=True)
    form = PresentationForm()
    if request.method == "POST":
        form = PresentationForm(request.POST, request.FILES)
        if _attach(request, assignment, form, request.user):
            text = f"Presentation of {assignment.person.name} uploaded."
            if not request.htmx:
                messages.success(request, text)
                return redirect(dashboard_url_for(assignment.child_id))
            response = with_row(HttpResponse(""), request, assignment.child_id)
            return trigger(response, closeModal=True, showMessage=text)
    return render_window(
        request, "faculty/presentation.html", {"assignment": assignment, "form": form}
    )


@login_required
@require_GET
def presentation_download(request, assignment_id: int):
    assignment = get_assignment_for_user(request.user, assignment_id)
    if not assignment.presentation:
        raise Http404("No presentation uploaded.")
    try:
        handle = assignment.presentation.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=assignment.presentation_name or "presentation",
        content_type=assignment.presentation_content_type or "application/octet-stream",
    )


@login_required
@require_POST
def presentation_delete(request, assignment_id: int):
    assignment = get_assignment_for_user(request.user, assignment_id, edit=True)
    try:
        presentation_remove(assignment=assignment, by=request.user)
        text = f"Presentation of {assignment.person.name} deleted."
    except PresentationError as exc:
        text = exc.message
    if not request.htmx:
        messages.info(request, text)
        return redirect(dashboard_url_for(assignment.child_id))
    return trigger(HttpResponse(row_html(request, assignment.child_id)), showMessage=text)


@require_http_methods(["GET", "POST"])
def presentation_upload(request, token: str):
    """Public: the faculty member's page from the email. The unguessable token is the key."""
    assignment = (
        Assignment.objects.current()
        .select_related("person", "child", "child__parent")
        .filter(presentation_token=token, child__is_active=True)
        .first()
    )
    if assignment is None or len(token) < 20:
        raise Http404("This upload link is not valid any more.")
    form = PresentationForm()
    done = False
    if request.method == "POST":
        form = PresentationForm(request.POST, request.FILES)
        done = _attach(request, assignment, form, by=None)
        if done:
            assignment.refresh_from_db()
            form = PresentationForm()
    response = render(
        request,
        "faculty/presentation_upload.html",
        {"assignment": assignment, "child": assignment.child, "form": form, "done": done},
    )
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to other sites
    response["Cache-Control"] = "no-store"
    return response
