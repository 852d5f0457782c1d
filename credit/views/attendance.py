"""A session's attendance from other sources: imports (preview, import, undo, confirm), the
series' minimum, and the kiosk's controls. Read by the series' coordinators, owners and
administrators (credit/access.py); changed by coordinators and administrators (owners: 403)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from activities.access import can_edit_parent
from credit.access import get_child_for_reports, get_parent_for_reports
from credit.forms_attendance import (
    ConfirmPersonForm,
    ImportForm,
    MinimumForm,
    ReportUploadForm,
    RosterUploadForm,
)
from credit.models_attendance import (
    TO_CONFIRM,
    AttendanceEntry,
    AttendanceImport,
    EntryOutcome,
    Kiosk,
    KioskCheckIn,
)
from credit.rules_attendance import attendance_changes_until, minimum_minutes
from credit.selectors_attendance import (
    check_ins_for_page,
    entries_for_page,
    imports_for_page,
    kiosks_for_page,
    minimum_percent,
    people_by_id,
)
from credit.services_attendance import attendance_import, attendance_import_undo, attendance_preview
from credit.services_attendance_confirm import attendance_entry_confirm, attendance_minimum_set
from credit.services_kiosk import KioskError, kiosk_check_in_confirm, kiosk_close, kiosk_open
from credit.uploads_attendance import AttendanceError

from .common import qr_svg

ENTRY_ORDER = [
    EntryOutcome.UNMATCHED,
    EntryOutcome.AMBIGUOUS,
    EntryOutcome.CLAIMED,
    EntryOutcome.ALREADY,
    EntryOutcome.BELOW,
    EntryOutcome.REFUSED,
    EntryOutcome.UNREADABLE,
]


def _child_to_change(request, child_id: int):
    child = get_child_for_reports(request.user, child_id)
    if not can_edit_parent(request.user, child.parent_id):
        raise PermissionDenied("Only the series' coordinators take attendance.")
    return child


def _import_for(request, import_id: int, *, change: bool = False) -> AttendanceImport:
    record = (
        AttendanceImport.objects.select_related("imported_by", "undone_by")
        .filter(pk=import_id)
        .first()
    )
    if record is None:
        raise Http404("No such import.")
    record.child = (
        _child_to_change(request, record.child_id)
        if change
        else get_child_for_reports(request.user, record.child_id)
    )
    return record


@require_GET
def child_attendance(request, child_id: int):
    child = get_child_for_reports(request.user, child_id)
    percent = minimum_percent(child.parent_id)
    check_ins = list(check_ins_for_page(child.pk))
    return render(
        request,
        "credit/attendance.html",
        {
            "child": child,
            "parent": child.parent,
            "can_edit": can_edit_parent(request.user, child.parent_id),
            "percent": percent,
            "minimum": minimum_minutes(session_minutes=child.duration_minutes, percent=percent),
            "changes_until": attendance_changes_until(
                year=child.parent.year,
                month_day=settings.ATTENDANCE_CHANGES_UNTIL,
                zone=child.zone,
            ),
            "imports": list(imports_for_page(child.pk)),
            "kiosks": list(kiosks_for_page(child.pk)),
            "check_ins": check_ins,
            "to_confirm": [c for c in check_ins if c.outcome == EntryOutcome.UNMATCHED],
            "report_form": ReportUploadForm(),
            "roster_form": RosterUploadForm(),
            "minimum_form": MinimumForm(initial={"minimum_percent": percent}),
            "now": timezone.now(),
        },
    )


@require_POST
def attendance_preview_view(request, child_id: int):
    child = _child_to_change(request, child_id)
    form_class = RosterUploadForm if request.POST.get("kind") == "roster" else ReportUploadForm
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose the file to import.")
        return redirect("child_attendance", child.pk)
    try:
        preview = attendance_preview(
            child=child,
            by=request.user,
            upload=form.cleaned_data["file"],
            kind=form.kind,
            platform=form.cleaned_data.get("platform") or "",
        )
    except AttendanceError as exc:
        messages.error(request, f"Nothing was imported: {exc.message}")
        return redirect("child_attendance", child.pk)
    grouped = {outcome: [] for outcome in ENTRY_ORDER}
    for entry in preview.entries:
        entry.person = preview.people.get(entry.person_id)
        entry.candidate_people = [
            preview.people[i] for i in entry.candidates if i in preview.people
        ]
        grouped[entry.outcome].append(entry)
    return render(
        request,
        "credit/attendance_preview.html",
        {
            "child": child,
            "parent": child.parent,
            "preview": preview,
            "groups": [(EntryOutcome(o).label, o, grouped[o]) for o in ENTRY_ORDER if grouped[o]],
            "people": preview.people,
        },
    )


@require_POST
def attendance_import_view(request, child_id: int):
    child = _child_to_change(request, child_id)
    form = ImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was imported: upload the file again.")
        return redirect("child_attendance", child.pk)
    try:
        record = attendance_import(child=child, by=request.user, token=form.cleaned_data["token"])
    except AttendanceError as exc:
        messages.error(request, f"Nothing was imported: {exc.message}")
        return redirect("child_attendance", child.pk)
    messages.success(
        request,
        f"Imported {record.original_name}: {record.claims_created} claim(s) created, "
        f"{record.already_claimed} already claimed, {record.below_minimum} below the minimum, "
        f"{record.unmatched} to confirm.",
    )
    return redirect("attendance_import_detail", record.pk)


@require_GET
def attendance_import_detail(request, import_id: int):
    record = _import_for(request, import_id)
    entries = list(entries_for_page(record.pk))
    people = people_by_id(i for e in entries for i in e.candidates)
    grouped = {outcome: [] for outcome in ENTRY_ORDER}
    for entry in entries:
        entry.candidate_people = [people[i] for i in entry.candidates if i in people]
        grouped.setdefault(entry.outcome, []).append(entry)
    return render(
        request,
        "credit/attendance_import.html",
        {
            "record": record,
            "child": record.child,
            "parent": record.child.parent,
            "can_edit": can_edit_parent(request.user, record.child.parent_id)
            and record.undone_at is None,
            "groups": [(EntryOutcome(o).label, o, grouped[o]) for o in ENTRY_ORDER if grouped[o]],
            "to_confirm": TO_CONFIRM,
        },
    )


@require_POST
def attendance_import_undo_view(request, import_id: int):
    record = _import_for(request, import_id, change=True)
    try:
        voided = attendance_import_undo(import_id=record.pk, by=request.user)
    except AttendanceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Import {record.pk} undone: {voided} claim(s) voided (kept, marked as undone; they "
            "no longer count).",
        )
    return redirect("attendance_import_detail", record.pk)


@require_POST
def attendance_entry_confirm_view(request, entry_id: int):
    entry = AttendanceEntry.objects.filter(pk=entry_id).only("pk", "import_run_id").first()
    if entry is None:
        raise Http404("No such row.")
    record = _import_for(request, entry.import_run_id, change=True)
    form = ConfirmPersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Check the person's details.")
        return redirect("attendance_import_detail", record.pk)
    try:
        confirmed = attendance_entry_confirm(
            entry_id=entry.pk, by=request.user, choice=form.choice()
        )
    except AttendanceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{confirmed.person.name}: {confirmed.get_outcome_display().lower()}."
        )
    return redirect("attendance_import_detail", record.pk)


@require_POST
def attendance_minimum(request, parent_id: int):
    parent = get_parent_for_reports(request.user, parent_id)
    if not can_edit_parent(request.user, parent.pk):
        raise PermissionDenied("Only the series' coordinators set its minimum attendance.")
    form = MinimumForm(request.POST)
    back = request.POST.get("child")
    target = (
        reverse("child_attendance", args=[int(back)])
        if back and back.isdigit() and len(back) < 10
        else reverse("parent_reports", args=[parent.pk])
    )
    if not form.is_valid():
        messages.error(request, "The minimum is a whole percentage between 1 and 100.")
        return redirect(target)
    attendance_minimum_set(
        parent=parent, percent=form.cleaned_data["minimum_percent"], by=request.user
    )
    messages.success(
        request,
        f"Minimum attendance for {parent.name}: {form.cleaned_data['minimum_percent']}% of "
        "each session's length, for the imports from now on.",
    )
    return redirect(target)


# --- the kiosk's controls -------------------------------------------------------------------------


@require_POST
def kiosk_open_view(request, child_id: int):
    child = _child_to_change(request, child_id)
    try:
        kiosk, token = kiosk_open(child=child, by=request.user)
    except KioskError as exc:
        messages.error(request, exc.message)
        return redirect("child_attendance", child.pk)
    path = reverse("kiosk", args=[token])
    if request.POST.get("here"):
        # Kiosk mode on this device: the coordinator's session ends, so a learner at the tablet
        # cannot go from the kiosk to the coordinator's pages.
        logout(request)
        return redirect(path)
    link = f"{settings.SITE_URL.rstrip('/')}{path}"
    return render(
        request,
        "credit/kiosk_opened.html",
        {"child": child, "kiosk": kiosk, "link": link, "qr_svg": qr_svg(link)},
    )


@require_POST
def kiosk_close_view(request, kiosk_id: int):
    kiosk = Kiosk.objects.filter(pk=kiosk_id).first()
    if kiosk is None:
        raise Http404("No such kiosk.")
    child = _child_to_change(request, kiosk.child_id)
    try:
        kiosk_close(kiosk=kiosk, by=request.user)
    except KioskError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The kiosk is closed; its link no longer checks anyone in.")
    return redirect("child_attendance", child.pk)


@require_POST
def kiosk_check_in_confirm_view(request, check_in_id: int):
    row = KioskCheckIn.objects.filter(pk=check_in_id).select_related("kiosk").first()
    if row is None:
        raise Http404("No such check-in.")
    child = _child_to_change(request, row.kiosk.child_id)
    form = ConfirmPersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Check the person's details.")
        return redirect("child_attendance", child.pk)
    try:
        confirmed = kiosk_check_in_confirm(
            check_in_id=row.pk, by=request.user, choice=form.choice()
        )
    except AttendanceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{confirmed.person.name}: {confirmed.get_outcome_display().lower()}."
        )
    return redirect("child_attendance", child.pk)
