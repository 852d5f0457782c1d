from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ChildActivity,
    ChildFile,
    ChildReview,
    ClosureDay,
    Comment,
    Department,
    ParentActivity,
    ParentRole,
    Specialty,
    Ticket,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ParentRoleInline(admin.TabularInline):
    model = ParentRole
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(ParentActivity)
class ParentActivityAdmin(SimpleHistoryAdmin):
    list_display = ["id", "name", "department", "year", "state", "credit_hours"]
    list_filter = ["year", "state", "department"]
    search_fields = ["id", "name"]
    list_select_related = ["department"]
    filter_horizontal = ["specialties"]
    inlines = [ParentRoleInline]


class AssignmentInline(admin.TabularInline):
    from faculty.models import Assignment

    model = Assignment
    fk_name = "child"
    extra = 0
    fields = [
        "person",
        "role",
        "coi_status",
        "request_disclosure",
        "request_presentation",
        "removed_at",
    ]
    readonly_fields = ["coi_status", "removed_at"]
    autocomplete_fields = ["person"]
    can_delete = False


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    fields = ["created_at", "author", "from_office", "body"]
    readonly_fields = ["created_at", "author", "from_office"]
    can_delete = False


class ChildReviewInline(admin.TabularInline):
    model = ChildReview
    extra = 0
    readonly_fields = ["at", "action", "reviewer", "reason"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ChildActivity)
class ChildActivityAdmin(SimpleHistoryAdmin):
    list_display = [
        "id",
        "name",
        "parent",
        "start",
        "status",
        "name_needs_update",
        "three_by_five_due",
        "is_active",
    ]
    list_filter = ["status", "name_needs_update", "is_active", "parent__department", "parent__year"]
    search_fields = ["id", "name", "parent__name"]
    list_select_related = ["parent"]
    date_hierarchy = "start"
    autocomplete_fields = ["parent"]
    filter_horizontal = ["specialties"]
    readonly_fields = [
        "status",
        "name_needs_update",
        "three_by_five_due",
        "requirements_met_on",
        "planners_without_disclosure",
        "decision",
        "decided_by",
        "decided_at",
        "name_flag_cleared_for",
        "name_flag_cleared_reason",
        "version",
    ]
    inlines = [AssignmentInline, ChildReviewInline, CommentInline]

    def has_delete_permission(self, request, obj=None):
        return False  # children are deactivated, never deleted


@admin.register(ChildFile)
class ChildFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "child", "kind", "size", "uploaded_at", "removed_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "child__id"]
    raw_id_fields = ["child"]


@admin.register(ChildReview)
class ChildReviewAdmin(admin.ModelAdmin):
    list_display = ["child", "action", "reviewer", "at"]
    list_filter = ["action"]
    search_fields = ["child__id", "child__name", "reviewer__last_name"]
    raw_id_fields = ["child"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["child", "author", "from_office", "created_at"]
    search_fields = ["child__id", "body"]
    raw_id_fields = ["child"]


@admin.register(Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "kind", "state", "child", "parent", "opened_at"]
    list_filter = ["kind", "state"]
    search_fields = ["subject", "body", "child__id"]
    raw_id_fields = ["child", "parent"]


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"
