"""The filters of the session approval queue (disclosures/admin_approval.py)."""

from django.contrib import admin
from django.utils import timezone

from activities.models import ChildActivity
from activities.rules import ChildStatus


class ReadinessFilter(admin.SimpleListFilter):
    """Defaults to the sessions ready for approval (PENDING)."""

    title = "status"
    parameter_name = "status"
    default = ChildStatus.PENDING.value

    def lookups(self, request, model_admin):
        return [
            (ChildStatus.PENDING.value, "PENDING: ready for approval"),
            (ChildStatus.IN_REVIEW.value, "IN REVIEW"),
            (ChildStatus.INCOMPLETE.value, "INCOMPLETE"),
            (ChildStatus.APPROVED.value, "APPROVED"),
            (ChildStatus.REJECTED.value, "REJECTED"),
            ("all", "All"),
        ]

    def choices(self, changelist):
        current = self.value() or self.default
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.default
        if value in ChildStatus.values:
            return queryset.filter(status=value)
        return queryset


class WhenFilter(admin.SimpleListFilter):
    title = "session date"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Held")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(start__gte=now)
        if self.value() == "past":
            return queryset.filter(start__lt=now)
        return queryset


class PendingSeriesFilter(admin.SimpleListFilter):
    """Series with a session in the queue now (all series would be a very long list)."""

    title = "series"
    parameter_name = "series"

    def lookups(self, request, model_admin):
        rows = (
            ChildActivity.objects.filter(is_active=True, status=ChildStatus.PENDING)
            .order_by()
            .values_list("parent_id", "parent__name", "parent__year")
            .distinct()
        )
        return sorted(
            ((str(pk), f"{name} ({year})") for pk, name, year in rows), key=lambda r: r[1]
        )

    def queryset(self, request, queryset):
        return queryset.filter(parent_id=self.value()) if self.value() else queryset
