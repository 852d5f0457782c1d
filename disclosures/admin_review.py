"""The COI review queue and the review page of one assignment (SPEC §6), in the admin."""

from datetime import date, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from activities.calendar import business_calendar
from faculty.models import REVIEW_QUEUE_STATUSES, Assignment, Person
from rss_dashboard.admin_tools import OfficeQueueAdminMixin

from .forms import CoiReviewForm
from .models import CoiReview, ReviewQueueItem
from .rules import CoiStatus, coi_hint
from .services import (
    ReviewError,
    coi_approve_pending,
    coi_review_apply_to_series,
    disclosure_lines_for,
    latest_disclosure,
    stale_disclosure_message,
    upcoming_assignments_in_series,
)

QUEUE_STATUSES = tuple(REVIEW_QUEUE_STATUSES)


def review_queue():
    """The queue in its order: the soonest session first.

    Ordered by `session_start`, the session's start as an expression rather than the column: the
    queue is a few thousand assignments (`assignment_review_queue_idx`) among every session, and
    ordering by the indexed column made PostgreSQL walk all sessions in start order, probing each
    for queue items (33 ms at 20,000 sessions, against 7 ms to sort the queue itself)."""
    return (
        ReviewQueueItem.objects.current()
        .filter(coi_status__in=QUEUE_STATUSES, child__is_active=True)
        .select_related("person", "child", "child__parent", "child__parent__department")
        .annotate(session_start=SESSION_START)
        .order_by("session_start", "id")
    )


SESSION_START = ExpressionWrapper(
    F("child__start") + Value(timedelta(0)), output_field=DateTimeField()
)


def time_left(calendar, today: date, session_day: date) -> str:
    """ "5 business days left" (business days after today up to the session's day)."""
    if session_day == today:
        return "today"
    if session_day < today:
        return "held"
    days = calendar.business_days_between(today, session_day)
    return f"{days} business day{'s' if days != 1 else ''} left"


def business_days_left(calendar, today: date, session_day: date) -> str:
    """The queue's compact column: "5", "today" or "held"."""
    if session_day == today:
        return "today"
    if session_day < today:
        return "held"
    return str(calendar.business_days_between(today, session_day))


class _QueueFilter(admin.SimpleListFilter):
    """Choices are only what is in the queue now, so the list stays short."""

    field = ""
    label_field = ""

    def lookups(self, request, model_admin):
        rows = review_queue().order_by().values_list(self.field, self.label_field).distinct()
        return sorted({(str(pk), str(label)) for pk, label in rows if pk}, key=lambda r: r[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class SeriesFilter(_QueueFilter):
    title = "series"
    parameter_name = "series"
    field = "child__parent_id"
    label_field = "child__parent__name"


class DepartmentFilter(_QueueFilter):
    title = "department"
    parameter_name = "department"
    field = "child__parent__department_id"
    label_field = "child__parent__department__name"


class PersonFilter(_QueueFilter):
    title = "person"
    parameter_name = "person"
    field = "person_id"
    label_field = "person__last_name"

    def lookups(self, request, model_admin):
        """Only the person chosen (`?person=<id>`, e.g. from a link): the queue holds a thousand
        people at a large institution, too many for a sidebar; the search box finds them by name."""
        chosen = self.value()
        if not chosen or not chosen.isdigit():
            return []
        return [(str(p.pk), p.name) for p in Person.objects.filter(pk=int(chosen))]


class StatusFilter(admin.SimpleListFilter):
    title = "COI status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(s.value, s.label) for s in QUEUE_STATUSES]

    def queryset(self, request, queryset):
        if self.value() in CoiStatus.values:
            return queryset.filter(coi_status=self.value())
        return queryset


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(OfficeQueueAdminMixin, admin.ModelAdmin):
    list_display = [
        "session",
        "days_left",
        "child_link",
        "series",
        "person_name",
        "role",
        "status",
        "disclosure",
        "review_link",
    ]
    list_filter = [StatusFilter, SeriesFilter, DepartmentFilter, PersonFilter]
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
        """Business days and disclosure lines for the page's rows, computed once per page."""
        cl = super().get_changelist_instance(request)
        calendar, today = business_calendar(), timezone.localdate()
        items = list(cl.result_list)
        lines = disclosure_lines_for(i.person_id for i in items)
        for item in items:
            item.time_left = time_left(calendar, today, item.child.local_start.date())
            item.lines = lines[item.person_id]
        return cl

    @admin.display(description="Session", ordering="session_start")
    def session(self, obj):
        return f"{obj.child.local_start:%a %b %-d, %Y %-I:%M %p}"

    @admin.display(description="Time left")
    def days_left(self, obj):
        return obj.time_left

    @admin.display(description="Child")
    def child_link(self, obj):
        url = reverse("admin:disclosures_approvalqueueitem_change", args=[obj.child_id])
        return format_html('<a href="{}">{}</a> {}', url, obj.child_id, obj.child.name)

    @admin.display(description="Series", ordering="child__parent__name")
    def series(self, obj):
        return obj.child.parent.name

    @admin.display(description="Person", ordering="person__last_name_lower")
    def person_name(self, obj):
        return obj.person.name

    @admin.display(description="COI status", ordering="coi_status")
    def status(self, obj):
        hint = coi_hint(
            obj.coi_status,
            person=obj.person.name,
            submitted_at=obj.lines.submitted_at,
            session_start=obj.child.start,
        )
        return format_html('<span title="{}">{}</span>', hint, obj.get_coi_status_display())

    @admin.display(description="Disclosure")
    def disclosure(self, obj):
        return format_html("{}<br>{}", obj.lines.submitted_line, obj.lines.disclosure_line)

    @admin.display(description="")
    def review_link(self, obj):
        url = reverse("admin:disclosures_reviewqueueitem_change", args=[obj.pk])
        return format_html('<a class="button" href="{}">Review</a>', url)

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
                    return self._after_review(request, assignment, reviews)
        return TemplateResponse(
            request,
            "admin/disclosures/review.html",
            self._review_context(request, assignment, disclosure, relationships, form),
        )

    def _after_review(self, request, assignment, reviews):
        review = reviews[0]
        others = len(reviews) - 1
        also = f" and {others} more upcoming session{'s' if others != 1 else ''}" if others else ""
        messages.success(
            request,
            f"{review.get_decision_display()}: {assignment.person.name} on session "
            f"{assignment.child_id}{also}.",
        )
        if "_next" in request.POST:
            child = assignment.child
            following = (
                review_queue()
                .filter(
                    Q(child__start__gt=child.start)
                    | Q(child__start=child.start, pk__gt=assignment.pk)
                )
                .first()
            )
            if following is not None:
                return HttpResponseRedirect(
                    reverse("admin:disclosures_reviewqueueitem_change", args=[following.pk])
                )
        return HttpResponseRedirect(reverse("admin:disclosures_reviewqueueitem_changelist"))

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
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Review {assignment.person.name} on session {child.id}",
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
            "child_url": reverse("admin:disclosures_approvalqueueitem_change", args=[child.pk]),
        }
