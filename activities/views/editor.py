"""The RSS Activity Editor window and the child's files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods

from activities.access import get_child_for_user
from activities.forms import TEXTING_WARNING, ChildEditForm
from activities.models import ChildFile, ChildFileKind
from activities.services.children import ChildError
from activities.services.editor import child_edit_save
from rss_dashboard.uploads import UploadError

from .common import dashboard_url_for, render_window, trigger, with_row


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request, child_id: int):
    child = get_child_for_user(request.user, child_id, edit=True)
    files = list(child.files.filter(removed_at__isnull=True).order_by("kind", "uploaded_at"))
    options = {
        "child": child,
        "files_on_record": files,
        "is_admin": request.user.is_administrator,
    }
    if request.method == "POST":
        form = ChildEditForm(request.POST, request.FILES, **options)
        if form.is_valid():
            try:
                saved = child_edit_save(
                    child,
                    expected_version=form.cleaned_data["version"],
                    fields=form.changes(),
                    specialties=form.cleaned_data["specialties"],
                    new_files=form.new_files(),
                    remove_file_ids=[int(i) for i in form.cleaned_data["remove_files"]],
                    by=request.user,
                )
            except (ChildError, UploadError) as exc:
                form.add_error(None, exc.message)
                stale = getattr(exc, "code", "") == "changed_by_someone_else"
                return render_window(
                    request, "activities/editor.html", _context(child, form, files, stale)
                )
            text = f"Saved session {saved.pk}."
            if not request.htmx:
                messages.success(request, text)
                return redirect(dashboard_url_for(saved.pk))
            response = HttpResponse("")
            return trigger(with_row(response, request, saved.pk), closeModal=True, showMessage=text)
    else:
        form = ChildEditForm(**options)
    return render_window(request, "activities/editor.html", _context(child, form, files))


def _context(child, form, files, stale: bool = False) -> dict:
    return {
        "child": child,
        "form": form,
        "supporting": [f for f in files if f.kind == ChildFileKind.SUPPORTING],
        "uploaded": [f for f in files if f.kind == ChildFileKind.UPLOADED],
        "texting_warning": TEXTING_WARNING,
        "stale": stale,
    }


@login_required
@require_GET
def child_file_download(request, file_id: int):
    stored = get_object_or_404(ChildFile, pk=file_id, removed_at__isnull=True)
    get_child_for_user(request.user, stored.child_id)  # 404 for people who may not see the child
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
