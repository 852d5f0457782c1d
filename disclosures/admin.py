from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CoiReview, Company, Disclosure, FinancialRelationship


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class FinancialRelationshipInline(admin.TabularInline):
    model = FinancialRelationship
    extra = 0
    can_delete = False
    readonly_fields = ["company", "company_name", "nature", "has_ended"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Disclosure)
class DisclosureAdmin(SimpleHistoryAdmin):
    list_display = ["person", "submitted_at", "nothing_to_disclose"]
    list_filter = ["nothing_to_disclose"]
    search_fields = ["person__last_name", "person__email"]
    date_hierarchy = "submitted_at"
    raw_id_fields = ["person", "submitted_by"]
    inlines = [FinancialRelationshipInline]

    def has_delete_permission(self, request, obj=None):
        return False  # disclosures are kept (6-year retention)


@admin.register(CoiReview)
class CoiReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "decision", "relevant", "exception", "reviewer", "decided_at"]
    list_filter = ["decision", "relevant"]
    search_fields = ["assignment__person__last_name", "assignment__child__id"]
    raw_id_fields = ["assignment", "disclosure"]

    def has_delete_permission(self, request, obj=None):
        return False
