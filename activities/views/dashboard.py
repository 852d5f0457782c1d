"""The RSS Dashboard page and the single row it refreshes in place."""

from html import escape
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from activities.access import get_child_for_user
from activities.dashboard import dashboard_listing, empty_result_message, viewer
from activities.forms import DashboardFilterForm
from activities.freshness import dashboard_generation, remember
from activities.selectors_series import dashboard_series_options
from rss_dashboard import cache_header

from .common import row_html


@login_required
@require_GET
def dashboard(request):
    today = timezone.localdate()
    user = request.user
    # Read before anything it covers (activities/freshness.py): a cached part is never older.
    generation = dashboard_generation()
    options = remember("series", viewer(user), generation, lambda: dashboard_series_options(user))
    form = DashboardFilterForm(request.GET or None, series_options=options, today=today)
    filters = form.filters()
    if user.is_administrator:
        editable_ids = report_ids = None
    else:
        editable_ids = {p.pk for p in options if p.can_edit}
        report_ids = {p.pk for p in options if p.sees_reports}
    with cache_header.watch() as watched:
        listing = dashboard_listing(
            user,
            filters,
            editable_ids=editable_ids,
            report_ids=report_ids,
            page_number=request.GET.get("page") or 1,
            per_page=form.rows_per_page(),
            generation=generation,
        )
    page = listing.page()
    query = request.GET.copy()
    query.pop("page", None)
    whole_year = {
        "date_from": today.replace(month=1, day=1).isoformat(),
        "date_to": today.replace(month=12, day=31).isoformat(),
    }
    response = render(
        request,
        "activities/dashboard.html",
        {
            "form": form,
            "search": search_values(form, filters),
            "listing": listing,
            "rows_html": listing.rows_html,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "filters": filters,
            "page_query": query.urlencode(),
            "can_add": editable_ids is None or bool(editable_ids),
            "empty_message": empty_result_message(filters, bool(options)),
            "whole_year_url": "?" + urlencode(whole_year),
            "SHOWS_DASHBOARD": True,  # known here: no query for the navigation's link
        },
    )
    cache_header.mark(response, watched)  # X-Dashboard-Cache when DEBUG_CACHE_HEADER is on
    return response


def _options(choices, selected) -> str:
    """<option>s built as plain strings: hundreds of series, rendered in well under a millisecond
    (Django's select widget renders a template per option)."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(
        "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) == chosen else ''}>{escape(str(label))}</option>"
            for value, label in choices
        )
    )


def search_values(form: DashboardFilterForm, filters) -> dict:
    """What the search form shows: what was typed, or the range actually searched."""
    raw = form.data if form.is_bound else {}

    def typed(name, default=""):
        value = raw.get(name)
        return value if value not in (None, "") else default

    statuses = set(raw.getlist("status")) if form.is_bound else set()
    flags = set(raw.getlist("flag")) if form.is_bound else set()
    return {
        "date_from": typed("date_from", filters.date_from.isoformat()),
        "date_to": typed("date_to", filters.date_to.isoformat()),
        "series": _options(form.series_choices, typed("series")),
        "department": _options(form.department_choices, typed("department")),
        "per_page": _options(form.fields["per_page"].choices, typed("per_page", "25")),
        "faculty": typed("faculty"),
        "child_id": typed("child_id"),
        "q": typed("q"),
        "inactive": bool(typed("inactive")),
        "statuses": [
            (value, label, value in statuses) for value, label in form.fields["status"].choices
        ],
        "flags": [(value, label, value in flags) for value, label in form.fields["flag"].choices],
    }


@login_required
@require_GET
def child_row(request, child_id: int):
    get_child_for_user(request.user, child_id)
    html = row_html(request, child_id)
    if not html:
        raise Http404("No such session.")
    return HttpResponse(html)
