"""Late claims for the office (issue 15, item 8): every series' requests in one queue, decided by
the same service as the coordinators' page (credit.services_late.late_claim_decide), with the same audit."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from simple_history.admin import SimpleHistoryAdmin

from rss_dashboard.admin_tools import DefaultChoiceFilter, OfficeQueueAdminMixin, clip, reason_page

from .models import Claim, LateClaimRequest, LateClaimState
from .services import ClaimError, window_of
from .services_late import late_claim_decide


class LateStateFilter(DefaultChoiceFilter):
    title = "state"
    parameter_name = "state"
    field = "state"
    default = LateClaimState.PENDING
    options = [
        (LateClaimState.PENDING, "Waiting"),
        (LateClaimState.GRANTED, "Granted"),
        (LateClaimState.REFUSED, "Refused"),
    ]


class NoteForm(forms.Form):
    """The note to the learner: optional when granting, required to refuse (the action's page)."""

    reason = forms.CharField(
        label="Note to the learner",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="The learner reads this in the email that tells them.",
    )


@admin.register(LateClaimRequest)
class LateClaimRequestAdmin(OfficeQueueAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "requested",
        "learner_name",
        "session",
        "series",
        "session_date",
        "reason_line",
        "state_short",
        "decided",
        "decide_link",
    ]
    list_filter = [LateStateFilter, "child__parent__department"]
    search_fields = [
        "learner__last_name",
        "learner__email",
        "=child__id",
        "child__name",
        "child__parent__name",
    ]
    list_select_related = ["learner", "child", "child__parent", "decided_by"]
    ordering = ["requested_at", "id"]  # the oldest first: it has waited longest
    actions = ["grant_selected", "refuse_selected"]
    queue_title = "Late claims"

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("credit.change_lateclaimrequest")

    def has_decide_permission(self, request):
        return self.has_change_permission(request)

    @admin.display(description="Asked", ordering="requested_at")
    def requested(self, obj):
        local = timezone.localtime(obj.requested_at)
        return format_html(
            '<span title="{}">{} ago</span>',
            f"{local:%a %b %-d, %Y %-I:%M %p}",
            timesince(obj.requested_at).split(",")[0],
        )

    @admin.display(description="Learner", ordering="learner__last_name_lower")
    def learner_name(self, obj):
        return clip(obj.learner.name, width="s", full=f"{obj.learner.name} <{obj.learner.email}>")

    @admin.display(description="Session")
    def session(self, obj):
        return format_html("{} {}", obj.child_id, clip(obj.child.name or "(no name)"))

    @admin.display(description="Series", ordering="child__parent__name")
    def series(self, obj):
        return clip(obj.child.parent.name)

    @admin.display(description="Held", ordering="child__start")
    def session_date(self, obj):
        return f"{obj.child.local_start:%b %-d, %Y}"

    @admin.display(description="Reason")
    def reason_line(self, obj):
        return clip(obj.reason, width="l")

    @admin.display(description="State", ordering="state")
    def state_short(self, obj):
        return dict(LateStateFilter.options).get(obj.state, obj.state)

    @admin.display(description="Decided")
    def decided(self, obj):
        if not obj.decided_by:
            return ""
        return clip(obj.decided_by.name, width="s", full=obj.decision_note or obj.decided_by.name)

    @admin.display(description="")
    def decide_link(self, obj):
        url = reverse("admin:credit_lateclaimrequest_change", args=[obj.pk])
        label = "Decide" if obj.state == LateClaimState.PENDING else "Open"
        return format_html('<a class="button" href="{}">{}</a>', url, label)

    # --- actions -----------------------------------------------------------------------------

    def _decide(self, request, late, *, grant: bool, note: str = "") -> bool:
        try:
            late_claim_decide(request_id=late.pk, by=request.user, grant=grant, note=note)
        except ClaimError as exc:
            messages.error(request, f"Late claim of {late.learner.name} on {late.child_id}: {exc}")
            return False
        return True

    @admin.action(description="Grant the selected late claims", permissions=["decide"])
    def grant_selected(self, request, queryset):
        done = sum(self._decide(request, late, grant=True) for late in queryset)
        if done:
            messages.success(
                request, f"Granted {done} late claim{'s' if done != 1 else ''}; learners emailed."
            )

    @admin.action(
        description="Refuse the selected late claims (asks for a note)", permissions=["decide"]
    )
    def refuse_selected(self, request, queryset):
        form = NoteForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            note = form.cleaned_data["reason"]
            done = sum(self._decide(request, late, grant=False, note=note) for late in queryset)
            if done:
                messages.success(
                    request,
                    f"Refused {done} late claim{'s' if done != 1 else ''}; learners emailed.",
                )
            return None
        return reason_page(
            request,
            self,
            queryset,
            action="refuse_selected",
            title="Refuse late claims",
            items=[
                f"{late.learner.name} on {late.child_id} {late.child.name}" for late in queryset
            ],
            cancel_url=reverse("admin:credit_lateclaimrequest_changelist"),
            form=form,
        )

    # --- the page of one request -------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        late = get_object_or_404(
            LateClaimRequest.objects.select_related(
                "learner", "child", "child__parent", "decided_by"
            ),
            pk=object_id,
        )
        if request.method == "POST":
            if not self.has_decide_permission(request):
                raise PermissionDenied
            decision = request.POST.get("decision")
            note = request.POST.get("note", "")[:2000]
            if decision in ("grant", "refuse"):
                if decision == "refuse" and not note.strip():
                    messages.error(
                        request, "Say why the late claim is refused; the learner reads it."
                    )
                elif self._decide(request, late, grant=decision == "grant", note=note):
                    late.refresh_from_db()
                    messages.success(
                        request,
                        f"Late claim of {late.learner.name} {late.get_state_display().lower()}; "
                        "the learner is emailed.",
                    )
                    return HttpResponseRedirect(reverse("admin:credit_lateclaimrequest_changelist"))
        window = window_of(late.child)
        return TemplateResponse(
            request,
            "admin/credit/late_claim.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Late claim of {late.learner.name} on session {late.child_id}",
                "late": late,
                "closed_at": window.closes,
                "claimed": Claim.objects.filter(learner=late.learner, child=late.child).first(),
                "others": LateClaimRequest.objects.filter(learner=late.learner)
                .exclude(pk=late.pk)
                .select_related("child")
                .order_by("-requested_at")[:10],
                "can_decide": late.state == LateClaimState.PENDING
                and self.has_decide_permission(request),
                "queue_url": reverse("admin:credit_lateclaimrequest_changelist"),
                "history_url": reverse("admin:credit_lateclaimrequest_history", args=[late.pk]),
            },
        )
