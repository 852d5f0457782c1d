"""Flyer preview and download, QR images and the printable QR page (SPEC §9-10).

Access: owners and coordinators of the series, reviewers and administrators (through
activities.access.get_child_for_user); everyone else signed in gets 404, anonymous visitors are
sent to sign in. Only GET and HEAD are allowed.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from activities.access import get_child_for_user

from . import rules
from .content import FlyerError, build_flyer, display_phone
from .qr import claim_url
from .renderers import render_flyer_docx, render_qr_png, render_qr_svg

MODAL_TARGET = "modal-host"
DOCUMENT_TARGET = "flyer-document"


def _file_response(rendered, *, attachment: bool) -> HttpResponse:
    filename, content_type, data = rendered
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response


def _wants_qr(request, default: bool) -> bool:
    """?qr=1 includes the QR code. The preview's form always sends a hidden qr=0 and, when the
    box is ticked, the checkbox's qr=1, so an unticked box is told apart from a first visit."""
    values = request.GET.getlist("qr")
    return default if not values else "1" in values


@login_required
@require_safe
@never_cache
def flyer_preview(request, child_id: int):
    child = get_child_for_user(request.user, child_id)
    include_qr = _wants_qr(request, default=True)
    try:
        flyer, refusal = build_flyer(child), ""
    except FlyerError as exc:
        flyer, refusal = None, exc.message
    context = {"child": child, "flyer": flyer, "refusal": refusal, "include_qr": include_qr}
    target = request.htmx.target if request.htmx else None
    if target == MODAL_TARGET:
        template = "flyers/_flyer_modal.html"
    elif target == DOCUMENT_TARGET:
        template = "flyers/_flyer_document.html"
    else:
        template = "flyers/flyer_preview.html"
    return render(request, template, context)


@login_required
@require_safe
@never_cache
def flyer_docx(request, child_id: int):
    """409 Conflict with the reason when the session has no flyer (no faculty, deactivated):
    the session exists and may be seen, but its state does not allow the document."""
    child = get_child_for_user(request.user, child_id)
    try:
        rendered = render_flyer_docx(child, include_qr=_wants_qr(request, default=False))
    except FlyerError as exc:
        return render(
            request,
            "flyers/flyer_refused.html",
            {"child": child, "refusal": exc.message, "code": exc.code},
            status=409,
        )
    return _file_response(rendered, attachment=True)


def _qr_response(rendered, request) -> HttpResponse:
    response = _file_response(rendered, attachment=request.GET.get("download") == "1")
    patch_cache_control(response, private=True, max_age=3600)
    return response


@login_required
@require_safe
def qr_png(request, child_id: int):
    return _qr_response(render_qr_png(get_child_for_user(request.user, child_id)), request)


@login_required
@require_safe
def qr_svg(request, child_id: int):
    return _qr_response(render_qr_svg(get_child_for_user(request.user, child_id)), request)


@login_required
@require_safe
def qr_page(request, child_id: int):
    child = get_child_for_user(request.user, child_id)
    context = {
        "child": child,
        "claim_url": claim_url(child.pk),
        "when": rules.format_session_time(child.local_start, child.local_end),
        "sms_number": display_phone(settings.TWILIO_NUMBER),
    }
    modal = bool(request.htmx) and request.htmx.target == MODAL_TARGET
    context["in_window"] = modal
    return render(request, "flyers/_qr_modal.html" if modal else "flyers/qr_page.html", context)
