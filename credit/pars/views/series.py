"""A series' PARS fields: read by whoever sees the series, filled by its coordinators and the
office, locked by the office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from credit.pars.access import can_fill, get_parent_for_pars, is_office
from credit.pars.forms import (
    MocFormSet,
    OfficeReportForm,
    SeriesReportForm,
    SupporterFormSet,
    disable,
)
from credit.pars.rules import TOPICS, problems
from credit.pars.selectors_facts import Counts, Sessions, counts_of, facts_of, sessions_of
from credit.pars.services import report_for, report_lock, report_save


def _figures(parent):
    sessions = sessions_of([parent], timezone.now()).get(parent.pk, Sessions())
    counts = counts_of([parent.pk]).get(parent.pk, Counts())
    return sessions, counts


@login_required
@require_http_methods(["GET", "POST"])
def parent_pars(request, parent_id: int):
    parent = get_parent_for_pars(request.user, parent_id, edit=request.method == "POST")
    report = report_for(parent)
    # Checked as saved (before a form puts the values being typed on the instance).
    sessions, counts = _figures(parent)
    found = problems(facts_of(parent, sessions))
    office = is_office(request.user)
    locked = report.locked_at is not None
    editable = can_fill(request.user, parent) and (office or not locked)
    if request.method == "POST" and not editable:
        raise PermissionDenied("The office has locked this series' PARS fields.")
    data = request.POST if request.method == "POST" else None
    forms = [SeriesReportForm(data, instance=report, prefix="pars")]
    if office:
        forms.append(OfficeReportForm(data, instance=report, prefix="office"))
    formsets = [SupporterFormSet(data, instance=report, prefix="support")]
    moc = MocFormSet(data if office else None, instance=report, prefix="moc")
    if office:
        formsets.append(moc)
    if request.method == "POST":
        if all(f.is_valid() for f in forms) and all(fs.is_valid() for fs in formsets):
            report_save(
                report=report, forms=forms, formsets=formsets, by=request.user, office=office
            )
            messages.success(request, "PARS fields saved.")
            return redirect("parent_pars", parent.pk)
        messages.error(request, "Some fields need attention (marked below); nothing was saved.")
    if not editable:
        for f in [*forms, *[f for fs in formsets for f in fs.forms]]:
            disable(f)
    if not office:
        for f in moc.forms:
            disable(f)
    return render(
        request,
        "pars/series.html",
        {
            "parent": parent,
            "report": report,
            "form": forms[0],
            "office_form": forms[1] if office else None,
            "supporters": formsets[0],
            "moc": moc,
            "office": office,
            "editable": editable,
            "locked": locked,
            "problems": found,
            "topics": TOPICS,
            "sessions": sessions,
            "counts": counts,
        },
    )


@login_required
@require_POST
def parent_pars_lock(request, parent_id: int):
    parent = get_parent_for_pars(request.user, parent_id)
    if not is_office(request.user):
        raise PermissionDenied("Only the office locks a series' PARS fields.")
    lock = request.POST.get("lock", "1") == "1"
    report_lock(parent=parent, by=request.user, lock=lock)
    messages.success(
        request,
        "Locked: coordinators can no longer change the PARS fields."
        if lock
        else "Unlocked: the series' coordinators can change the PARS fields again.",
    )
    return redirect("parent_pars", parent.pk)
