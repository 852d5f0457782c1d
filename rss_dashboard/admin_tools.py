"""Shared pieces of the Django admin screens."""


class ReadOnlyAdminMixin:
    """An admin that lists and shows rows but never adds, changes or deletes them: logs of
    decisions (made through services elsewhere) and read-only reports."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficeQueueAdminMixin:
    """A queue the office works through (session approvals, COI reviews): rows come from the
    services, never added or deleted here, 50 a page without a full count, titled `queue_title`;
    an action acts on the rows ticked even if a filter no longer matches them (a status changed
    meanwhile), so the service refuses with the reason instead of silently skipping."""

    queue_title = ""
    list_per_page = 50
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": self.queue_title, **(extra_context or {})}
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def response_action(self, request, queryset):
        return super().response_action(request, self.get_queryset(request))
