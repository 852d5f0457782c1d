from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, EmailDomainAlias, Person


@admin.register(Person)
class PersonAdmin(UserAdmin, SimpleHistoryAdmin):
    ordering = ["last_name_lower", "first_name"]
    list_display = [
        "name",
        "email",
        "credentials",
        "profession",
        "site_role",
        "mobile_phone",
        "is_active",
    ]
    list_filter = ["site_role", "profession", "is_active"]
    search_fields = ["email", "last_name", "first_name", "mobile_phone"]
    readonly_fields = ["last_login", "date_joined", "merged_into", "is_staff"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["last_name", "first_name", "credentials", "affiliation"]}),
        ("Contact and credit", {"fields": ["mobile_phone", "profession"]}),
        ("Access", {"fields": ["site_role", "is_active", "is_staff", "is_superuser"]}),
        ("History", {"fields": ["last_login", "date_joined", "merged_into"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "last_name", "first_name", "password1", "password2"],
            },
        ),
    ]
    filter_horizontal = []


@admin.register(EmailDomainAlias)
class EmailDomainAliasAdmin(admin.ModelAdmin):
    list_display = ["alias_domain", "canonical_domain"]
    search_fields = ["alias_domain", "canonical_domain"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "child", "role", "coi_status", "added_at", "removed_at"]
    list_filter = ["coi_status", "role", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__last_name", "person__email", "child__name", "child__id"]
    list_select_related = ["person", "child"]
    autocomplete_fields = ["person", "child"]
    readonly_fields = ["coi_status", "presentation_token", "added_by", "removed_by"]
