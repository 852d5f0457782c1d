from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AttendanceImport,
    Claim,
    LateClaimRequest,
    SmsMessage,
    SmsOptOut,
    SmsPendingClaim,
)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = [
        "learner",
        "child",
        "channel",
        "credit_hours",
        "claimed_at",
        "awarded_at",
        "voided_at",
    ]
    list_filter = [
        "channel",
        ("awarded_at", admin.EmptyFieldListFilter),
        ("voided_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["learner__last_name", "learner__email", "child__id"]
    raw_id_fields = ["learner", "child"]
    list_select_related = ["learner", "child"]
    show_full_result_count = False  # no second COUNT over the whole table on a filtered page
    # Newest first by id (the primary key's index): claims are stored as they arrive.
    ordering = ["-id"]

    def has_delete_permission(self, request, obj=None):
        return False  # participation records are kept at least 6 years


@admin.register(LateClaimRequest)
class LateClaimRequestAdmin(SimpleHistoryAdmin):
    list_display = ["learner", "child", "state", "requested_at", "decided_by"]
    list_filter = ["state"]
    raw_id_fields = ["learner", "child"]

    def has_delete_permission(self, request, obj=None):
        return False  # the coordinators' decisions are kept with the claims (6 years)


@admin.register(SmsPendingClaim)
class SmsPendingClaimAdmin(admin.ModelAdmin):
    list_display = ["phone", "child", "received_at", "completed_at"]
    raw_id_fields = ["child"]


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    list_display = ["phone", "opted_out_at"]


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["phone", "outcome", "received_at"]
    list_filter = ["outcome"]
    search_fields = ["phone", "body"]
    readonly_fields = ["phone", "body", "reply", "outcome", "received_at", "message_sid"]

    def has_add_permission(self, request):
        return False  # the log of what learners texted is written by the webhook only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AttendanceImport)
class AttendanceImportAdmin(admin.ModelAdmin):
    """Read-only for the office: imports are made, confirmed and undone on the session's page."""

    list_display = [
        "pk",
        "child",
        "source",
        "original_name",
        "imported_by",
        "imported_at",
        "claims_created",
        "unmatched",
        "undone_at",
    ]
    list_filter = ["source", ("undone_at", admin.EmptyFieldListFilter)]
    list_select_related = ["child", "imported_by"]
    raw_id_fields = ["child", "imported_by", "undone_by"]
    show_full_result_count = False
    ordering = ["-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # where imported claims came from: kept with them
