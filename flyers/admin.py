from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html_join

from .content import statement_texts
from .models import FlyerStatements


class _SampleSeries:
    """Example numbers for the preview of the statements in the admin."""

    credit_hours = 1
    credit_type = "AMA PRA Category 1 Credit(TM)"


@admin.register(FlyerStatements)
class FlyerStatementsAdmin(admin.ModelAdmin):
    """One site-wide row. Administrators edit it; reviewers may look (permissions from the role)."""

    fieldsets = [
        (None, {"fields": ["accreditation_kind", "provider", "joint_provider"]}),
        (
            "Accreditation statements (the one of the chosen kind is printed)",
            {
                "fields": [
                    "accreditation_direct",
                    "accreditation_joint_providership",
                    "accreditation_joint_accreditation",
                ]
            },
        ),
        ("Credit designation", {"fields": ["credit_designation"]}),
        ("As printed on a 1-credit session", {"fields": ["printed"]}),
    ]
    readonly_fields = ["printed"]

    @admin.display(description="Printed")
    def printed(self, obj):
        if obj is None or obj.pk is None:
            return "Save to see the statements as printed."
        try:
            texts = statement_texts(obj, _SampleSeries)
        except Exception as exc:  # noqa: BLE001 - show whatever is wrong, never break the page
            return str(exc)
        return format_html_join("", "<p>{}</p>", ((t,) for t in texts))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not FlyerStatements.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """There is only one row: go straight to it."""
        obj = FlyerStatements.current()
        return redirect(reverse("admin:flyers_flyerstatements_change", args=[obj.pk]))
