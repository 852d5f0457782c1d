"""Shared pieces of the Django admin screens."""

from django.utils.html import format_html

# Widths of a clipped cell on the office's queue pages (static/app/office.css).
CLIP_WIDTHS = ("s", "m", "l")


def clip(text: str, *, width: str = "m", full: str | None = None):
    """One line of a queue cell, cut with an ellipsis; the whole text on hover (`title`), so a
    row stays one line high and the page fits a laptop screen."""
    assert width in CLIP_WIDTHS
    return format_html('<span class="clip clip-{}" title="{}">{}</span>', width, full or text, text)


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
