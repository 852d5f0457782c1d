from django.contrib import admin, messages
from django.utils.text import Truncator

from . import outbox
from .models import OutboxEmail, OutboxState


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Administrators read the outbox: what was sent to whom, and what failed with which error.

    Only administrators: bodies hold personal links (disclosure form, presentation upload).
    """

    list_display = ["subject", "recipients", "kind", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["subject", "event_key", "to"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry"]
    fieldsets = [
        (None, {"fields": ["subject", "to", "cc", "reply_to", "kind", "event_key"]}),
        (
            "Delivery",
            {
                "fields": [
                    "state",
                    "last_error",
                    "attempts",
                    "created_at",
                    "enqueued_at",
                    "next_attempt_at",
                    "claimed_at",
                    "sent_at",
                ]
            },
        ),
        ("Message", {"fields": ["text_body", "html_body"]}),
    ]

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if request.GET.get("state__exact") in (OutboxState.FAILED, OutboxState.QUEUED):
            shown.append("error")  # why it failed, right in the list
        return shown

    @admin.display(description="to")
    def recipients(self, obj: OutboxEmail) -> str:
        return ", ".join(obj.to)

    @admin.display(description="last error")
    def error(self, obj: OutboxEmail) -> str:
        return Truncator(obj.last_error).chars(120)

    @admin.action(description="Retry the selected failed emails", permissions=["change"])
    def retry(self, request, queryset):
        requeued = outbox.retry_failed(list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - requeued
        self.message_user(request, f"{requeued} email(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} email(s) left alone: only failed emails are retried "
                "(a sent email is never sent twice).",
                messages.WARNING,
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"show_save": False, "show_save_and_continue": False, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    def has_module_permission(self, request):
        return _is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return _is_administrator(request)  # the retry action; every field is read-only

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _is_administrator(request) -> bool:
    return bool(getattr(request.user, "is_administrator", False))
