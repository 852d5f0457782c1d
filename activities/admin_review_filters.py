"""The filters of the COI review queue (disclosures/admin_review.py)."""

from django.contrib import admin
from django.utils import timezone

from activities.selectors_calendar import business_calendar
from disclosures.rules import CoiStatus
from faculty.models import Person

from .selectors_queue import DUE_BUCKETS, QUEUE_STATUSES, due_bounds, review_queue


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


class DueFilter(admin.SimpleListFilter):
    """Business days left before the session (the office home's groups link here)."""

    title = "business days left"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return DUE_BUCKETS

    def queryset(self, request, queryset):
        if self.value() not in dict(DUE_BUCKETS):
            return queryset
        since, until = due_bounds(self.value(), business_calendar(), timezone.localdate())
        if since is not None:
            queryset = queryset.filter(child__start__gte=since)
        if until is not None:
            queryset = queryset.filter(child__start__lt=until)
        return queryset
