"""The office's view of faculty assignments in the admin; every write goes through the services
(activities.services.faculty): a new one emails and recomputes like Manage Faculty, an edit
recomputes the session's status."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from faculty.models import Assignment

from .services.faculty import assignment_add, assignment_update


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "child", "role", "coi_status", "added_at", "removed_at"]
    list_filter = ["coi_status", "role", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__last_name", "person__email", "child__name", "child__id"]
    list_select_related = ["person", "child"]
    autocomplete_fields = ["person", "child"]
    show_full_result_count = False  # no second COUNT over the whole table on a filtered page
    readonly_fields = ["coi_status", "presentation_token", "added_by", "removed_by"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Reviews belong to this person on this session: never re-point an assignment.
        return [*fields, "child", "person"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        """New faculty go through the dashboard's service (emails, status); edits recompute."""
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            assignment_update(obj, by=request.user, **changed)
            return
        created = assignment_add(
            child=obj.child,
            person=obj.person,
            role=obj.role,
            request_disclosure=obj.request_disclosure,
            request_presentation=obj.request_presentation,
            by=request.user,
        )
        obj.pk = created.pk
