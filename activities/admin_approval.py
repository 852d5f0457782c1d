"""Sessions ready for approval (SPEC §7), with approve, reject and clear-name-flag, in the admin."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from activities.models import ChildActivity
from activities.rules import ChildDecision, decision_line, name_problems
from activities.selectors_calendar import business_calendar
from activities.selectors_disclosures import child_decisions
from activities.services.children import (
    ChildError,
    child_approve,
    child_clear_name_flag,
    child_reject,
    planner_names_without_disclosure,
)
from disclosures.forms import ReasonForm
from disclosures.rules import CoiStatus, coi_hint, format_long_date
from disclosures.selectors import disclosure_lines_for
from faculty.models import Assignment
from rss_dashboard.admin_tools import OfficeQueueAdminMixin, clip, reason_page

from .admin_approval_filters import PendingSeriesFilter, ReadinessFilter, WhenFilter
from .models import ApprovalQueueItem
from .selectors_queue import business_days_left, time_left

_READY = {CoiStatus.PENDING, CoiStatus.APPROVED, CoiStatus.APPROVED_WITH_EXCEPTIONS}


def current_assignments():
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.current().select_related("person").order_by("id"),
        to_attr="current_assignments",
    )


def approval_blockers(child: ChildActivity, planners: list[str] | None = None) -> list[str]:
    """What approval still waits for, in words (the refusal reasons); empty when ready.
    `planners`: the planners without an active disclosure, when already known."""
    blockers = []
    if child.decision == ChildDecision.REJECTED:
        blockers.append("The office rejected this session.")
    if child.name_needs_update:
        problems = " ".join(name_problems(child.name, child.parent.name))
        blockers.append(f"The name needs an update: {problems}")
    assignments = getattr(child, "current_assignments", None)
    if assignments is None:
        assignments = list(
            Assignment.objects.current().filter(child=child).select_related("person")
        )
    if not assignments:
        blockers.append("No faculty assigned: the coordinator must assign at least one.")
    lines = disclosure_lines_for(a.person_id for a in assignments)
    for a in assignments:
        if a.coi_status not in _READY:
            blockers.append(
                coi_hint(
                    a.coi_status,
                    person=a.person.name,
                    submitted_at=lines[a.person_id].submitted_at,
                    session_start=child.start,
                    office=settings.OFFICE_NAME,
                )
            )
    if planners is None:
        planners = planner_names_without_disclosure(child)
    if planners:
        blockers.append(
            f"No active disclosure of planner{'s' if len(planners) != 1 else ''} "
            f"{'; '.join(planners)}: approving needs your confirmation with a reason."
        )
    return blockers


@admin.register(ApprovalQueueItem)
class ApprovalQueueAdmin(OfficeQueueAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "session",
        "days_left",
        "name_and_flag",
        "series",
        "status_now",
        "faculty",
        "planners",
    ]
    list_display_links = ["id", "name_and_flag"]
    list_filter = [ReadinessFilter, WhenFilter, "parent__department", PendingSeriesFilter]
    search_fields = ["=id", "name", "parent__name"]
    ordering = ["start", "id"]
    actions = [
        "approve_selected",
        "approve_confirming_planners",
        "reject_selected",
        "clear_name_flag",
    ]
    queue_title = "Session approvals"

    def get_queryset(self, request):
        return (
            ApprovalQueueItem.objects.filter(is_active=True)
            .select_related("parent", "parent__department", "decided_by")
            .prefetch_related(current_assignments())
            .order_by("start", "id")
        )

    def has_change_permission(self, request, obj=None):
        return self.has_decide_permission(request)

    def has_decide_permission(self, request):
        return request.user.has_perm("activities.add_childreview")

    def get_changelist_instance(self, request):
        cl = super().get_changelist_instance(request)
        calendar, today = business_calendar(), timezone.localdate()
        for child in cl.result_list:
            child.days = business_days_left(calendar, today, child.local_start.date())
        return cl

    @admin.display(description="Session", ordering="start")
    def session(self, obj):
        return f"{obj.local_start:%a %b %-d %-I:%M %p}"

    @admin.display(description="Business days left")
    def days_left(self, obj):
        return obj.days

    @admin.display(description="Name", ordering="name")
    def name_and_flag(self, obj):
        name = obj.name or "(no name)"
        if obj.name_needs_update:
            return format_html(
                '<strong class="flag">Name needs update</strong> {}', clip(name, width="s")
            )
        return clip(name, width="l")

    @admin.display(description="Series", ordering="parent__name")
    def series(self, obj):
        return clip(obj.parent.name)

    # Not named "status": the admin shows a model field of that name instead of the method.
    @admin.display(description="Status", ordering="status")
    def status_now(self, obj):
        # The decision on hover, worded by activities.rules.decision_line: "Approved by" only
        # while the session is APPROVED, "Earlier approved by ..." once it needs approval again.
        if obj.decision:
            return format_html(
                '<span title="{}">{}</span>', self.decision_text(obj), obj.get_status_display()
            )
        return obj.get_status_display()

    @admin.display(description="Faculty and COI status")
    def faculty(self, obj):
        text = "; ".join(
            f"{a.person.name}: {a.get_coi_status_display()}" for a in obj.current_assignments
        )
        return clip(text, width="l") if text else "No faculty"

    @admin.display(description="Planners without disclosure")
    def planners(self, obj):
        return clip(obj.planners_without_disclosure, width="s")

    def decision_text(self, obj) -> str:
        return decision_line(
            status=obj.status,
            decision=obj.decision,
            decided_by=obj.decided_by.name if obj.decided_by else settings.OFFICE_NAME,
            decided_on=format_long_date(timezone.localtime(obj.decided_at))
            if obj.decided_at
            else "",
        )

    # --- actions -----------------------------------------------------------------------------

    def _approve(self, request, child, *, confirm_planners_reason: str = "") -> bool:
        try:
            child_approve(
                child, reviewer=request.user, confirm_planners_reason=confirm_planners_reason
            )
        except ChildError as exc:
            reason = exc.message
            if exc.code == "not_ready":
                child.refresh_from_db()
                reason += " Waiting for: " + " ".join(approval_blockers(child))
            elif exc.code == "planners_without_disclosure":
                reason += " Open the session to confirm with a reason."
            messages.error(request, f"Session {child.pk} was not approved. {reason}")
            return False
        return True

    @admin.action(description="Approve selected sessions", permissions=["decide"])
    def approve_selected(self, request, queryset):
        done = sum(self._approve(request, child) for child in queryset)
        if done:
            messages.success(request, f"Approved {done} session{'s' if done != 1 else ''}.")

    @admin.action(
        description="Approve selected, confirming planners without disclosure (asks for a reason)",
        permissions=["decide"],
    )
    def approve_confirming_planners(self, request, queryset):
        def approve(child, *, reviewer, reason):
            if not self._approve(request, child, confirm_planners_reason=reason):
                raise ChildError("refused", "")  # already reported with its reason

        return self._with_reason(
            request,
            queryset,
            action="approve_confirming_planners",
            title="Approve sessions whose planners lack a disclosure",
            verb="Approved",
            service=approve,
        )

    def _with_reason(self, request, queryset, *, action, title, verb, service, only=None):
        """An action that needs a reason: a confirmation page first, then the service per row."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for child in queryset:
                if only is not None and not only(child):
                    messages.warning(request, f"Session {child.pk}: nothing to do.")
                    continue
                try:
                    service(child, reviewer=request.user, reason=form.cleaned_data["reason"])
                    done += 1
                except ChildError as exc:
                    if exc.message:
                        messages.error(request, f"Session {child.pk}: {exc.message}")
            if done:
                messages.success(request, f"{verb} {done} session{'s' if done != 1 else ''}.")
            return None
        return reason_page(
            request,
            self,
            queryset,
            action=action,
            title=title,
            items=[
                f"{c.pk} {c.name or '(no name)'} · {c.parent.name} · "
                f"{c.local_start:%a %b %-d, %Y %-I:%M %p}"
                for c in queryset
            ],
            cancel_url=reverse("admin:activities_approvalqueueitem_changelist"),
            form=form,
        )

    @admin.action(
        description="Reject selected sessions (asks for a reason)", permissions=["decide"]
    )
    def reject_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="reject_selected",
            title="Reject sessions",
            verb="Rejected",
            service=child_reject,
        )

    @admin.action(
        description="Clear a wrong 'name needs update' flag (asks for a reason)",
        permissions=["decide"],
    )
    def clear_name_flag(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="clear_name_flag",
            title="Clear the name flag",
            verb="Cleared the name flag of",
            service=child_clear_name_flag,
            only=lambda child: child.name_needs_update,
        )

    # --- the approval page of one session ----------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        child = get_object_or_404(self.get_queryset(request), pk=object_id)
        reason_form = ReasonForm()
        if request.method == "POST":
            if not self.has_decide_permission(request):
                raise PermissionDenied
            action = request.POST.get("action")
            if action == "approve":
                reason = request.POST.get("planners_reason", "")[:500]
                if self._approve(request, child, confirm_planners_reason=reason):
                    messages.success(request, f"Approved session {child.pk}.")
                    return HttpResponseRedirect(request.path)
            elif action in ("reject", "clear_name_flag"):
                reason_form = ReasonForm(request.POST)
                if reason_form.is_valid():
                    service = child_reject if action == "reject" else child_clear_name_flag
                    try:
                        service(
                            child, reviewer=request.user, reason=reason_form.cleaned_data["reason"]
                        )
                    except ChildError as exc:
                        messages.error(request, exc.message)
                    else:
                        done = "Rejected" if action == "reject" else "Cleared the name flag of"
                        messages.success(request, f"{done} session {child.pk}.")
                        return HttpResponseRedirect(request.path)
            child = get_object_or_404(self.get_queryset(request), pk=object_id)
        return TemplateResponse(
            request,
            "admin/disclosures/approval.html",
            self._approval_context(request, child, reason_form),
        )

    def _approval_context(self, request, child, reason_form):
        assignments = child.current_assignments
        planners = planner_names_without_disclosure(child)
        lines = disclosure_lines_for(a.person_id for a in assignments)
        faculty = [
            {
                "assignment": a,
                "lines": lines[a.person_id],
                "hint": coi_hint(
                    a.coi_status,
                    person=a.person.name,
                    submitted_at=lines[a.person_id].submitted_at,
                    session_start=child.start,
                    office=settings.OFFICE_NAME,
                ),
                "review_url": reverse("admin:activities_reviewqueueitem_change", args=[a.pk]),
            }
            for a in assignments
        ]
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Session {child.pk}: {child.name or '(no name)'}",
            "child": child,
            "days_left": time_left(
                business_calendar(), timezone.localdate(), child.local_start.date()
            ),
            "faculty": faculty,
            "blockers": approval_blockers(child, planners),
            "planners_lacking": planners,
            "name_problems": name_problems(child.name, child.parent.name)
            if child.name_needs_update
            else [],
            "decisions": child_decisions(child.pk),
            "reason_form": reason_form,
            "can_decide": self.has_decide_permission(request),
            "history_url": reverse("admin:activities_childactivity_history", args=[child.pk]),
        }
