"""The COI review queue and the review page of one assignment (SPEC §6), in the admin."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from activities.selectors_calendar import business_calendar
from disclosures.forms import CoiReviewForm
from disclosures.models import CoiReview
from disclosures.rules import coi_hint
from disclosures.services import disclosure_lines_for, latest_disclosure, stale_disclosure_message
from faculty.models import Assignment
from rss_dashboard.admin_tools import OfficeQueueAdminMixin, clip

from .admin_review_filters import (
    DepartmentFilter,
    DueFilter,
    PersonFilter,
    SeriesFilter,
    StatusFilter,
)
from .models import ReviewQueueItem
from .selectors_queue import business_days_left, disclosure_one_line, review_queue, time_left
from .selectors_queue_nav import (
    next_after_decision,
    position,
    queue_filters,
    queue_ids,
    queue_view,
    with_filters,
)
from .services.coi_reviews import (
    ReviewError,
    coi_approve_pending,
    coi_review_apply_to_series,
    upcoming_assignments_in_series,
)


def review_url(pk: int) -> str:
    return reverse("admin:activities_reviewqueueitem_change", args=[pk])


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(OfficeQueueAdminMixin, admin.ModelAdmin):
    list_display = [
        "session",
        "days_left",
        "child_link",
        "series",
        "person_name",
        "status",
        "disclosure",
        "review_link",
    ]
    list_filter = [StatusFilter, DueFilter, SeriesFilter, DepartmentFilter, PersonFilter]
    search_fields = [
        "person__last_name",
        "person__first_name",
        "person__email",
        "child__name",
        "child__parent__name",
    ]
    actions = ["approve_pending"]
    queue_title = "COI review queue"

    def get_queryset(self, request):
        return review_queue()

    def get_ordering(self, request):
        return ["session_start", "id"]  # see review_queue()

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("disclosures.add_coireview")

    def get_changelist_instance(self, request):
        """Business days, disclosure lines and review links (which carry the queue's filters,
        search and order) for the page's rows, computed once per page."""
        cl = super().get_changelist_instance(request)
        calendar, today = business_calendar(), timezone.localdate()
        filters = request.GET.urlencode()
        items = list(cl.result_list)
        lines = disclosure_lines_for(i.person_id for i in items)
        for item in items:
            item.days = business_days_left(calendar, today, item.child.local_start.date())
            item.lines = lines[item.person_id]
            item.review_url = with_filters(review_url(item.pk), filters)
        return cl

    @admin.display(description="Session", ordering="session_start")
    def session(self, obj):
        return f"{obj.child.local_start:%a %b %-d %-I:%M %p}"

    @admin.display(description="Business days left")
    def days_left(self, obj):
        return obj.days

    @admin.display(description="Child")
    def child_link(self, obj):
        url = reverse("admin:activities_approvalqueueitem_change", args=[obj.child_id])
        return format_html('<a href="{}">{}</a> {}', url, obj.child_id, clip(obj.child.name))

    @admin.display(description="Series", ordering="child__parent__name")
    def series(self, obj):
        return clip(obj.child.parent.name)

    @admin.display(description="Person", ordering="person__last_name_lower")
    def person_name(self, obj):
        return clip(obj.person.name, width="s")

    @admin.display(description="COI status", ordering="coi_status")
    def status(self, obj):
        hint = coi_hint(
            obj.coi_status,
            person=obj.person.name,
            submitted_at=obj.lines.submitted_at,
            session_start=obj.child.start,
            office=settings.OFFICE_NAME,
        )
        return format_html('<span title="{}">{}</span>', hint, obj.get_coi_status_display())

    @admin.display(description="Disclosure")
    def disclosure(self, obj):
        """One line: the date and what was disclosed; both of SPEC §5's lines on hover."""
        lines = obj.lines
        full = f"{lines.submitted_line}\n{lines.disclosure_line}"
        return clip(disclosure_one_line(lines), width="l", full=full)

    @admin.display(description="")
    def review_link(self, obj):
        return format_html('<a class="button review-link" href="{}">Review</a>', obj.review_url)

    @admin.action(description="Approve selected PENDING assignments", permissions=["change"])
    def approve_pending(self, request, queryset):
        done, refused = 0, []
        for item in queryset.select_related("person"):
            try:
                coi_approve_pending(assignment=item, reviewer=request.user)
                done += 1
            except ReviewError as exc:
                refused.append(exc.message)
        if done:
            messages.success(request, f"Approved {done} assignment{'s' if done != 1 else ''}.")
        for message in refused:
            messages.error(request, f"Not approved: {message}")

    # --- the review page of one assignment ---------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        assignment = get_object_or_404(
            Assignment.objects.select_related("person", "child", "child__parent"),
            pk=object_id,
        )
        if not assignment.is_current:
            raise Http404("That person was removed from the session.")
        disclosure = latest_disclosure(assignment.person)
        relationships = list(disclosure.relationships.all()) if disclosure else []
        form = None
        if disclosure is not None:
            previous = assignment.reviews.order_by("-decided_at", "-id").first()
            initial = {"disclosure_id": disclosure.pk}
            if previous is not None and previous.disclosure_id == disclosure.pk:
                initial |= {
                    "relevant": previous.relevant,
                    "mitigation_steps": previous.mitigation_steps,
                    "exception": previous.exception,
                }
            form = CoiReviewForm(
                request.POST if request.method == "POST" else None,
                initial=initial,
                has_relationships=bool(relationships),
                has_owner_or_employee=any(r.excludes for r in relationships),
                latest_disclosure_id=disclosure.pk,
                stale_message=stale_disclosure_message(assignment.person.name),
            )
        if request.method == "POST":
            if not self.has_change_permission(request) or form is None:
                raise PermissionDenied
            if form.is_valid():
                data = form.cleaned_data
                filters = queue_filters(request)
                before = queue_ids(self, request, filters) if "_next" in request.POST else []
                try:
                    reviews = coi_review_apply_to_series(
                        assignment=assignment,
                        reviewer=request.user,
                        decision=data["decision"],
                        relevant=data["relevant"],
                        mitigation_steps=data["mitigation_steps"],
                        exception=data["exception"],
                        note=data["note"],
                        expected_disclosure_id=data["disclosure_id"],
                        whole_series=data["apply_to_series"],
                    )
                except ReviewError as exc:
                    form.add_error(None, exc.message)
                else:
                    return self._after_review(request, assignment, reviews, before, filters)
        return TemplateResponse(
            request,
            "admin/disclosures/review.html",
            self._review_context(request, assignment, disclosure, relationships, form),
        )

    def _after_review(self, request, assignment, reviews, before: list[int], filters: str):
        """Back to the queue, or on to the next item of the queue the reviewer is in (its
        filters, search and order); at its end, say whether anything is left in it."""
        review = reviews[0]
        others = len(reviews) - 1
        also = f" and {others} more upcoming session{'s' if others != 1 else ''}" if others else ""
        messages.success(
            request,
            f"{review.get_decision_display()}: {assignment.person.name} on session "
            f"{assignment.child_id}{also}.",
        )
        queue_url = reverse("admin:activities_reviewqueueitem_changelist")
        queue_url += f"?{filters}" if filters else ""
        if "_next" not in request.POST:
            return HttpResponseRedirect(queue_url)
        after = queue_ids(self, request, filters)
        following = next_after_decision(before, assignment.pk, after)
        if following is not None:
            return HttpResponseRedirect(with_filters(review_url(following), filters))
        left = len(set(after) - {assignment.pk})
        which = "this queue" if filters else "the queue"
        if left:
            messages.info(
                request,
                f"That was the last one of {which}; {left} item{'s' if left != 1 else ''} "
                "earlier in it still wait (skipped, or waiting for approval).",
            )
        else:
            messages.info(request, f"Done: nothing is left in {which}.")
        return HttpResponseRedirect(queue_url)

    def _review_context(self, request, assignment, disclosure, relationships, form):
        child = assignment.child
        reviews = list(
            CoiReview.objects.filter(assignment=assignment)
            .select_related("reviewer", "disclosure")
            .order_by("-decided_at", "-id")
        )
        reviewed = reviews[0].disclosure if reviews else None
        series_items = list(
            upcoming_assignments_in_series(assignment)
            .exclude(pk=assignment.pk)
            .select_related("child")
            .order_by("child__start")
        )
        filters = queue_filters(request)
        queue = queue_view(self, request, filters)
        place = position(queue.ids, assignment.pk)
        queue_url = reverse("admin:activities_reviewqueueitem_changelist")
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Review {assignment.person.name} on session {child.id}",
            "is_nav_sidebar_enabled": False,  # the width goes to the disclosure
            "queue": queue,
            "place": place,
            "queue_url": f"{queue_url}?{filters}" if filters else queue_url,
            "previous_url": with_filters(review_url(place.previous_id), filters)
            if place.previous_id
            else "",
            "next_url": with_filters(review_url(place.next_id), filters) if place.next_id else "",
            "assignment": assignment,
            "child": child,
            "days_left": time_left(
                business_calendar(), timezone.localdate(), child.local_start.date()
            ),
            "hint": coi_hint(
                assignment.coi_status,
                person=assignment.person.name,
                submitted_at=disclosure.submitted_at if disclosure else None,
                session_start=child.start,
                office=settings.OFFICE_NAME,
            ),
            "disclosure": disclosure,
            "relationships": relationships,
            "previous_disclosure": reviewed
            if reviewed and disclosure and reviewed.pk != disclosure.pk
            else None,
            "reviews": reviews,
            "series_items": series_items,
            "form": form,
            "can_change": self.has_change_permission(request),
            "history_url": reverse("admin:faculty_assignment_history", args=[assignment.pk]),
            "child_url": reverse("admin:activities_approvalqueueitem_change", args=[child.pk]),
        }
