"""Learner completions: the pre-validation, the exports (each file kept and downloadable again),
the boards' answers and their worklist, and learners' identifiers (their own page and the
office's)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credit.pars.access import office_only
from credit.pars.answers import AnswerFileError, import_answers
from credit.pars.codes import STATE_TARGET, Board
from credit.pars.completions import ParsError, export_completions, preview
from credit.pars.exports import completions_file
from credit.pars.forms import AnswersForm, IdentifiersForm
from credit.pars.learner_rules import REJECTED, target_label
from credit.pars.models import AnswerImport, CompletionExport, CompletionRecord
from credit.pars.services import (
    identifiers_declined,
    identifiers_initial,
    identifiers_save,
    record_resolve,
)
from faculty.models import Person

from .common import stream

SHOWN = 500


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
@office_only
def pars_learners(request, year: int):
    if request.method == "POST":
        try:
            export = export_completions(year=year, by=request.user)
        except ParsError as exc:
            messages.info(request, exc.message)
        else:
            messages.success(
                request,
                f"Learner file #{export.pk}: {export.added} to add, {export.deleted} to delete. "
                "Download it and upload it to PARS.",
            )
        return redirect("pars_learners", year)
    waiting = preview(year)
    invalid = waiting.invalid
    return render(
        request,
        "pars/learners.html",
        {
            "year": year,
            "preview": waiting,
            "invalid": invalid[:SHOWN],
            "invalid_total": len(invalid),
            "exports": CompletionExport.objects.filter(year=year).select_related("by")[:20],
            "state_target": STATE_TARGET,
        },
    )


def _batch(request, export_id: int, file_format: str):
    export = get_object_or_404(CompletionExport, pk=export_id)
    return stream(completions_file(export, file_format=file_format))


@require_GET
@office_only
def pars_batch_xlsx(request, export_id: int):
    return _batch(request, export_id, "xlsx")


@require_GET
@office_only
def pars_batch_txt(request, export_id: int):
    return _batch(request, export_id, "txt")


@require_http_methods(["GET", "POST"])
@office_only
def pars_answers(request):
    form = AnswersForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["results"]
        if upload.size > settings.PARS_ANSWERS_MAX_BYTES:
            errors = [f"The file is larger than {settings.PARS_ANSWERS_MAX_BYTES // 1024:,} kB."]
        else:
            try:
                done = import_answers(file_name=upload.name, data=upload.read(), by=request.user)
            except AnswerFileError as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    f"{done.accepted} accepted and {done.rejected} rejected record(s) recorded.",
                )
                return redirect("pars_answers")
        messages.error(request, "The results file was refused; nothing was changed.")
    worklist = (
        CompletionRecord.objects.filter(status=REJECTED, resolved_at__isnull=True)
        .select_related("learner", "parent")
        .order_by("-answered_at", "-id")[:SHOWN]
    )
    return render(
        request,
        "pars/answers.html",
        {
            "form": form,
            "errors": errors,
            "worklist": [(r, target_label(r.target, r.license_state)) for r in worklist],
            "imports": AnswerImport.objects.select_related("by")[:10],
        },
    )


@require_POST
@office_only
def pars_answer_resolve(request, record_id: int):
    try:
        record_resolve(record_id=record_id, by=request.user)
    except ParsError as exc:
        raise Http404(exc.message) from None
    messages.success(request, "Taken off the worklist.")
    return redirect("pars_answers")


def _identifiers(request, person, *, template_next: str, asked=()):
    form = IdentifiersForm(request.POST or None, initial=identifiers_initial(person))
    if request.method == "POST":
        if request.POST.get("decline"):
            identifiers_declined(person=person, asked=asked)
            messages.info(request, "We won't ask again. You can add your IDs here at any time.")
            return redirect(_next(request, template_next))
        if form.is_valid():
            identifiers_save(person=person, data=form.cleaned_data, asked=asked)
            messages.success(request, "Saved.")
            return redirect(_next(request, template_next))
        messages.error(request, "Some fields need attention (marked below); nothing was saved.")
    return form


@login_required
@require_http_methods(["GET", "POST"])
def my_identifiers(request):
    raw = request.POST.get("ask") or request.GET.get("ask", "")
    asked = [a for a in raw.split(",") if a in Board.values or a == STATE_TARGET]
    result = _identifiers(request, request.user, template_next="my_identifiers", asked=asked)
    if not isinstance(result, IdentifiersForm):
        return result
    return render(
        request,
        "pars/identifiers.html",
        {
            "form": result,
            "person": request.user,
            "mine": True,
            "ask": ",".join(asked),
            "next": _next(request, ""),
        },
    )


@require_http_methods(["GET", "POST"])
@office_only
def pars_learner_identifiers(request, person_id: int):
    person = get_object_or_404(Person, pk=person_id)
    result = _identifiers(request, person, template_next="pars_answers")
    if not isinstance(result, IdentifiersForm):
        return result
    return render(
        request,
        "pars/identifiers.html",
        {"form": result, "person": person, "mine": False, "next": _next(request, "")},
    )
