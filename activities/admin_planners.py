"""Who among the planners lacks an active disclosure, per series (SPEC §5), in the admin."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from activities.models import Department, ParentRoleKind
from activities.selectors_disclosures import planner_disclosure_rows
from rss_dashboard.admin_tools import ReadOnlyAdminMixin

from .models import PlannerDisclosure
from .selectors_queue import disclosure_one_line


@admin.register(PlannerDisclosure)
class PlannerDisclosureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A read-only report: one row per planner of a series with upcoming sessions."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(role=ParentRoleKind.PLANNER)

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        show_all = request.GET.get("show") == "all"
        try:
            department_id = int(request.GET.get("department") or 0) or None
        except ValueError:
            department_id = None
        rows = planner_disclosure_rows(department_id=department_id, lacking_only=not show_all)
        departments = list(Department.objects.all())
        return TemplateResponse(
            request,
            "admin/disclosures/planners.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Planners without an active disclosure"
                if not show_all
                else "Planners of series with upcoming sessions",
                "rows": [{"row": r, "disclosure": disclosure_one_line(r.lines)} for r in rows],
                "show_all": show_all,
                "departments": departments,
                "department_id": department_id,
                "department": next((d for d in departments if d.pk == department_id), None),
                "is_nav_sidebar_enabled": False,
            },
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied  # nothing to edit here: roles are changed on the series
