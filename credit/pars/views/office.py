"""The office's year: every series with what it lacks, the activity files, the program summary
and the year-end checklist."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from credit.pars.access import office_only
from credit.pars.completions import preview
from credit.pars.exports import activities_file
from credit.pars.forms import ReportingYearForm
from credit.pars.learner_rules import ADD
from credit.pars.models import ActivityExport, ReportingYear
from credit.pars.rules import TOPICS, year_end_deadline
from credit.pars.selectors_facts import year_parents
from credit.pars.year import YearFilters, year_page, year_rows
from credit.pars.year_summary import checklist, year_totals

from .common import stream


def reporting_year_now(today) -> int:
    """Until the year-end deadline the office is closing last year; after it, this year."""
    return today.year - 1 if today <= year_end_deadline(today.year - 1) else today.year


@require_GET
@office_only
def pars_home(request):
    return redirect("pars_year", reporting_year_now(timezone.localdate()))


@require_GET
@office_only
def pars_year(request, year: int):
    filters = YearFilters.from_query(request.GET)
    raw = request.GET.get("page", "1")
    query = request.GET.copy()
    query.pop("page", None)
    query = query.urlencode()

    def table(page):
        return mark_safe(render_to_string("pars/_year_table.html", {"page": page, "query": query}))

    number = int(raw) if raw.isdigit() and len(raw) < 6 else 1
    page = year_page(year, filters, number, timezone.now(), render=table)
    return render(
        request,
        "pars/year.html",
        {
            "year": year,
            "page": page,
            "filters": filters,
            "topics": TOPICS,
            "deadline": year_end_deadline(year),
        },
    )


def _activities(request, year: int, file_format: str):
    now = timezone.now()
    draft = request.GET.get("draft") == "1"
    ready_only = request.GET.get("ready_only") == "1"
    one = request.GET.get("parent", "")
    rows = year_rows(year, now)
    if one:
        rows = [r for r in rows if str(r.parent.pk) == one]
        if not rows:
            return render(
                request, "pars/export_refused.html", {"year": year, "unknown": one}, status=404
            )
    if ready_only:
        rows = [r for r in rows if r.ready]
    unready = [r for r in rows if not r.ready]
    if (unready and not draft) or not rows:
        return render(
            request,
            "pars/export_refused.html",
            {
                "year": year,
                "unready": unready,
                "one": one,
                "file_format": file_format,
                "empty": not rows,
            },
            status=409,
        )
    parents = list(year_parents(year).filter(pk__in=[r.parent.pk for r in rows]))
    ActivityExport.objects.create(
        year=year,
        parent=parents[0] if one else None,
        file_format=file_format,
        draft=draft and bool(unready),
        series=len(parents),
        by=request.user,
        at=now,
    )
    label = f"-{one}" if one else ""
    label += "-draft" if draft and unready else ""
    return stream(
        activities_file(parents, year=year, file_format=file_format, now=now, label=label)
    )


@require_GET
@office_only
def pars_activities_xlsx(request, year: int):
    return _activities(request, year, "xlsx")


@require_GET
@office_only
def pars_activities_txt(request, year: int):
    return _activities(request, year, "txt")


@require_http_methods(["GET", "POST"])
@office_only
def pars_summary(request, year: int):
    summary = ReportingYear.objects.filter(year=year).first() or ReportingYear(year=year)
    form = ReportingYearForm(request.POST or None, instance=summary)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, f"Program summary of {year} saved.")
            return redirect("pars_summary", year)
        messages.error(request, "Some amounts need attention; nothing was saved.")
    return render(
        request,
        "pars/summary.html",
        {
            "year": year,
            "form": form,
            "totals": year_totals(year, timezone.now()),
            "deadline": year_end_deadline(year),
        },
    )


@require_GET
@office_only
def pars_checklist(request, year: int):
    now = timezone.now()
    waiting = preview(year)
    adds = [key for action, key, _ in waiting.todo if action == ADD]
    steps = checklist(
        year,
        now,
        learner_pending=len(waiting.todo),
        oldest_pending=min((key[3] for key in adds), default=None),
    )
    return render(
        request,
        "pars/checklist.html",
        {"year": year, "steps": steps, "deadline": year_end_deadline(year), "today": now.date()},
    )
