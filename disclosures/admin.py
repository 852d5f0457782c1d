from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rss_dashboard.admin_tools import ReadOnlyAdminMixin

from .models import CoiReview, Company, Disclosure, FinancialRelationship


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    """The maintained list of ineligible companies the disclosure form offers."""

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
    """Read-only: disclosures come from the form (which recomputes statuses) and are never edited
    or deleted; a change is a new disclosure."""

    list_display = ["person", "submitted_at", "nothing_to_disclose", "submitted_by"]
    list_filter = ["nothing_to_disclose"]
    search_fields = ["person__last_name", "person__email"]
    date_hierarchy = "submitted_at"
    list_select_related = ["person", "submitted_by"]
    raw_id_fields = ["person", "submitted_by"]
    inlines = [FinancialRelationshipInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # disclosures are kept (6-year retention)


@admin.register(CoiReview)
class CoiReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only log of decisions; they are made on the review page of the COI review queue."""

    list_display = ["assignment", "decision", "relevant", "exception", "reviewer", "decided_at"]
    list_filter = ["decision", "relevant"]
    search_fields = ["assignment__person__last_name", "assignment__child__id"]
    list_select_related = ["assignment__person", "reviewer"]
    raw_id_fields = ["assignment", "disclosure"]
