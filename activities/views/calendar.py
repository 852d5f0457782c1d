"""The series calendar (drag a session to another day) and the recurrence window."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import recurrence as rec
from activities.access import can_edit_parent, get_child_for_user, get_parent_for_user
from activities.forms_calendar import MoveForm, RecurrenceForm
from activities.models import ChildActivity, ParentActivity
from activities.services.children import ChildError, child_move
from activities.services.parents import renewal_offered
from activities.services.recurrence import parent_recurrence_update, preview

from .common import render_window, trigger, with_row


@dataclass
class CalendarItem:
    id: int
    name: str
    time: str
    version: int
    move_url: str
    date_iso: str


@dataclass
class Cell:
    day: date
    in_month: bool
    in_year: bool
    is_today: bool
    items: list[CalendarItem] = field(default_factory=list)


def _month_of(value: str | None, parent: ParentActivity, fallback: date) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in (value or "").split("-")[:2])
        date(year, month, 1)
    except ValueError:
        year, month = fallback.year, fallback.month
    if year != parent.year:  # the calendar covers the series' year
        year, month = parent.year, (1 if year < parent.year else 12)
    return year, month


def calendar_context(
    parent: ParentActivity, year: int, month: int, *, can_edit: bool, **extra
) -> dict:
    weeks = rec.week_grid(year, month)
    zone = parent.zone
    first = datetime.combine(weeks[0][0], time.min, tzinfo=zone)
    last = datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min, tzinfo=zone)
    by_day: dict[date, list[CalendarItem]] = defaultdict(list)
    for child in ChildActivity.objects.filter(
        parent=parent, is_active=True, start__gte=first, start__lt=last
    ).order_by("start", "id"):
        start = child.local_start
        by_day[start.date()].append(
            CalendarItem(
                id=child.pk,
                name=child.name or "(no name yet)",
                time=dateformat.format(start, "g:i A"),
                version=child.version,
                move_url=reverse("child_move", args=[child.pk]),
                date_iso=start.date().isoformat(),
            )
        )
    today = timezone.localdate()
    grid = [
        [
            Cell(
                day=d,
                in_month=d.month == month,
                in_year=d.year == parent.year,
                is_today=d == today,
                items=by_day.get(d, []),
            )
            for d in week
        ]
        for week in weeks
    ]
    label = dateformat.format(date(year, month, 1), "F Y")
    offer_renewal = can_edit and renewal_offered(parent, today=today)
    return {
        "parent": parent,
        "grid": grid,
        "month_label": label,
        "month_value": f"{year}-{month:02d}",
        "prev_month": f"{year}-{month - 1:02d}" if month > 1 else None,
        "next_month": f"{year}-{month + 1:02d}" if month < 12 else None,
        "can_edit": can_edit,
        "renew_year": parent.year + 1 if offer_renewal else None,
        "weekday_names": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        **extra,
    }


@login_required
@require_GET
def parent_calendar(request, parent_id: int):
    parent = get_parent_for_user(request.user, parent_id)
    fallback = timezone.localdate()
    focus = request.GET.get("focus")
    if focus and focus.isdigit():
        child = ChildActivity.objects.filter(parent=parent, pk=int(focus)).first()
        if child is not None:
            fallback = child.local_start.date()
    year, month = _month_of(request.GET.get("month"), parent, fallback)
    context = calendar_context(
        parent, year, month, can_edit=can_edit_parent(request.user, parent.pk)
    )
    return render_window(request, "activities/calendar.html", context)


def _when(dt: datetime) -> str:
    return dateformat.format(dt, "D, M j, g:i A")


STALE = (
    "This session was changed by someone else while you were editing. Reload to see their "
    "changes, then make yours again."
)


@login_required
@require_POST
def child_move_view(request, child_id: int):
    child = get_child_for_user(request.user, child_id, edit=True)
    form = MoveForm(request.POST)
    old = child.local_start
    error, message, undo, shown = "", "", None, old.date()
    if form.is_valid():
        new_time = form.cleaned_data["time"] or old.time()
        new_start = datetime.combine(form.cleaned_data["date"], new_time, tzinfo=child.zone)
        try:
            moved = child_move(
                child,
                new_start=new_start,
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except ChildError as exc:
            error = exc.message
            shown = _shown_month(request.POST.get("month"), old.date())
        else:
            undoing = request.POST.get("undo") == "1"
            message = (
                f"{'Undone: session' if undoing else 'Moved session'} {moved.pk} is now on "
                f"{_when(moved.local_start)} (was {_when(old)})."
            )
            shown = moved.local_start.date()
            if not undoing:
                undo = {
                    "url": reverse("child_move", args=[moved.pk]),
                    "date": old.date().isoformat(),
                    "time": old.strftime("%H:%M:%S"),
                    "version": moved.version,
                }
    elif "version" in form.errors:
        error = STALE
    else:
        error = "Choose the date to move the session to."
    parent = child.parent
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, message)
        url = reverse("parent_calendar", args=[parent.pk])
        return redirect(f"{url}?month={shown:%Y-%m}")
    year, month = _month_of(f"{shown:%Y-%m}", parent, old.date())
    context = calendar_context(
        parent, year, month, can_edit=True, error=error, message=message, undo=undo
    )
    response = render_window(request, "activities/calendar.html", context)
    if message:
        trigger(response, showMessage=message)
    return with_row(response, request, child.pk)


def _shown_month(value: str | None, fallback: date) -> date:
    try:
        year, month = (int(x) for x in (value or "").split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return fallback


def _plan_lines(plan: rec.Plan) -> dict[str, list[str]]:
    def name(s: rec.Session) -> str:
        return f"{s.id} {s.name or '(no name yet)'}"

    return {
        "moves": [f"{name(s)}: {_when(s.start)} to {_when(new)}" for s, new in plan.moves],
        "creates": [f"New session {_when(start)}" for start in plan.creates],
        "deactivations": [f"{name(s)} on {_when(s.start)}" for s in plan.deactivations],
        "untouched": [f"{name(s)} on {_when(s.start)}" for s in plan.untouched_extra],
    }


@login_required
@require_http_methods(["GET", "POST"])
def parent_recurrence(request, parent_id: int):
    parent = get_parent_for_user(request.user, parent_id, edit=request.method == "POST")
    can_edit = can_edit_parent(request.user, parent.pk)
    lines, applied, saved = None, None, False
    if request.method == "POST":
        form = RecurrenceForm(request.POST, parent=parent)
        if form.is_valid():
            args = {
                "rule": form.cleaned_data["rule"],
                "start_time": form.cleaned_data["start_time"],
                "exception_dates": form.cleaned_data["exception_dates"],
            }
            action = request.POST.get("action", "preview")
            if action == "preview":
                plan = preview(parent, **args)
                lines = _plan_lines(plan) | {"count": plan.changes}
            else:
                try:
                    plan = parent_recurrence_update(
                        parent, **args, apply_to_upcoming=action == "apply", by=request.user
                    )
                except ChildError as exc:
                    form.add_error(None, exc.message)
                else:
                    saved = True
                    parent.refresh_from_db()
                    applied = _plan_lines(plan) | {"count": plan.changes}
                    form = RecurrenceForm(parent=parent)
    else:
        form = RecurrenceForm(parent=parent) if can_edit else None
    context = {
        "parent": parent,
        "form": form,
        "can_edit": can_edit,
        "description": rec.describe(parent.recurrence),
        "exceptions": parent.exception_dates or [],
        "plan": lines,
        "applied": applied,
        "saved": saved,
    }
    response = render_window(request, "activities/recurrence.html", context)
    if saved:
        text = "Recurrence saved." + (
            f" {applied['count']} upcoming sessions changed." if applied["count"] else ""
        )
        trigger(response, showMessage=text, dashboardStale=bool(applied["count"]))
    return response
