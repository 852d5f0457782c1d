"""The evaluation of a series for its coordinators and the office (issue 17): the form, the
site-wide template, the summary with its charts and CSV exports, and who responded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from credit import charts
from credit.access_evaluation import (
    check_template_editor,
    get_parent_for_evaluation_form,
    get_parent_for_evaluations,
    get_parent_for_respondents,
    is_office,
)
from credit.forms_evaluation import EvaluationEditForm
from credit.reports_evaluation import comments_csv, figures_csv, respondents_csv
from credit.rules_evaluation import MIN_GROUP
from credit.selectors_evaluation import evaluation_summary, summary_signature
from credit.services_evaluation import (
    EvaluationError,
    active_questions,
    evaluation_form_save,
    series_form,
    template_form,
)

from .common import file_response

SUMMARY_CACHE_SECONDS = 24 * 3600


def _save(request, form, *, parent):
    try:
        evaluation_form_save(
            parent=parent,
            questions=form.questions(),
            required=form.cleaned_data.get("required", False),
            by=request.user,
        )
    except EvaluationError as exc:
        form.add_error(None, exc.message)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_form_edit(request, parent_id: int):
    parent = get_parent_for_evaluation_form(request.user, parent_id)
    existing = series_form(parent.pk)
    if request.method == "POST":
        form = EvaluationEditForm(request.POST)
        if form.is_valid() and _save(request, form, parent=parent):
            messages.success(request, "The evaluation of the series is saved.")
            return redirect("evaluation_form_edit", parent.pk)
    else:
        # A series without its own form starts from the site-wide template.
        questions = active_questions(existing) if existing else active_questions(template_form())
        form = EvaluationEditForm(
            initial=EvaluationEditForm.initial_for(
                questions, existing.required if existing else False
            )
        )
    return render(
        request,
        "credit/evaluation_edit.html",
        {"parent": parent, "form": form, "existing": existing, "template": False},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_template_edit(request):
    check_template_editor(request.user)
    if request.method == "POST":
        form = EvaluationEditForm(request.POST, template=True)
        if form.is_valid() and _save(request, form, parent=None):
            messages.success(request, "The site-wide evaluation template is saved.")
            return redirect("evaluation_template_edit")
    else:
        form = EvaluationEditForm(
            template=True, initial=EvaluationEditForm.initial_for(active_questions(template_form()))
        )
    return render(
        request,
        "credit/evaluation_edit.html",
        {"form": form, "template": True},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def evaluation_summary_view(request, parent_id: int):
    parent = get_parent_for_evaluations(request.user, parent_id)
    return render(
        request,
        "credit/evaluation_summary.html",
        {
            "parent": parent,
            "body": summary_body(parent),
            "office": is_office(request.user),
            "can_edit": is_office(request.user) or _coordinates(request.user, parent),
        },
    )


def summary_body(parent) -> str:
    """The summary's figures, charts and comments: the same for everyone who may see them, so
    cached under the signature of what they are computed from (one query) and rebuilt only when
    a claim, a response, a session or the form changed."""
    key = f"evaluation-summary:{parent.pk}:{summary_signature(parent)}"
    body = cache.get(key)
    if body is None:
        body = _render_body(parent)
        cache.set(key, body, timeout=SUMMARY_CACHE_SECONDS)
    return mark_safe(body)  # noqa: S308 - rendered by the template engine (escaped) below


def _render_body(parent) -> str:
    summary = evaluation_summary(parent)
    # Each session's local start, once (a time zone conversion, asked for by every chart).
    starts = [s.child.local_start for s in summary.sessions]
    labels = [f"{start:%b} {start.day}" for start in starts]
    figures = []
    for i, q in enumerate(summary.questions):
        means = [m for _s, m in q.trend]
        figures.append(
            {
                "q": q,
                "distribution": charts.distribution_svg(
                    q.year, title=f"Ratings of: {q.question.text}", ident=f"dist-{i}"
                )
                if q.shown
                else "",
                "trend": charts.line_svg(
                    list(zip(labels, means, strict=True)),
                    title=f"Mean rating per session: {q.question.text}",
                    ident=f"trend-{i}",
                    low=1,
                    high=5,
                ),
            }
        )
    rate_chart = charts.line_svg(
        list(zip(labels, [s.rate for s in summary.sessions], strict=True)),
        title="Response rate per session (%)",
        ident="rate",
        low=0,
        high=100,
        unit="%",
    )
    return render_to_string(
        "credit/_evaluation_summary_body.html",
        {
            "summary": summary,
            "figures": figures,
            "rate_chart": rate_chart,
            "sessions_html": sessions_html(summary, starts),
            "comments_html": comments_html(summary),
            "min_group": MIN_GROUP,
        },
    )


def _figure(value, suffix: str = "") -> str:
    return "–" if value is None else f"{value}{suffix}"


def sessions_html(summary, starts) -> str:
    """The sessions' table rows (52 x up to nine cells): joined here, escaped, rather than looped
    in the template (about ten times faster for a year of sessions)."""
    rows = []
    for i, (s, start) in enumerate(zip(summary.sessions, starts, strict=True)):
        means = "".join(
            f'<td class="text-end">{_figure(q.trend[i][1])}</td>' for q in summary.questions
        )
        rows.append(
            f'<tr data-child="{s.child.pk}"><td class="text-nowrap">'
            f"{start:%b} {start.day}, {start.year}</td>"
            f"<td>{escape(s.child.name or '(no name)')}</td>"
            f'<td class="text-end">{s.claims}</td><td class="text-end">{s.responses}</td>'
            f'<td class="text-end">{_figure(s.rate, "%")}</td>{means}</tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 - the only text, the session's name, is escaped


def comments_html(summary) -> str:
    """Up to thousands of answers: joined here, escaped, rather than looped in the template."""
    if not summary.comments:
        return mark_safe("<p>No comments yet.</p>")
    parts = []
    for group in summary.comments:
        if group.child is not None:
            local = group.child.local_start
            title = f"{local:%b} {local.day}, {local.year} · {group.child.name or '(no name)'}"
        else:
            title = f"Sessions with fewer than {summary.min_group} responses"
        items = "".join(f"<li>{escape(text)}</li>" for text in group.texts)
        parts.append(f'<h3 class="h6">{escape(title)}</h3><ul class="comments">{items}</ul>')
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _coordinates(user, parent) -> bool:
    from activities.access import can_edit_parent

    return can_edit_parent(user, parent.pk)


@login_required
@require_GET
def evaluation_figures_csv(request, parent_id: int):
    parent = get_parent_for_evaluations(request.user, parent_id)
    return file_response(figures_csv(evaluation_summary(parent)))


@login_required
@require_GET
def evaluation_comments_csv(request, parent_id: int):
    parent = get_parent_for_evaluations(request.user, parent_id)
    return file_response(comments_csv(evaluation_summary(parent)))


@login_required
@require_GET
def evaluation_respondents_csv(request, parent_id: int):
    return file_response(respondents_csv(get_parent_for_respondents(request.user, parent_id)))
