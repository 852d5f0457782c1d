from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from activities.services.children import (
    ChildError,
    check_in_parent_year,
    check_times,
    child_update,
)
from activities.services.closure_days import closure_day_save, closure_days_delete
from activities.services.status import recompute_children
from faculty.models import Assignment
from rss_dashboard.admin_tools import ReadOnlyAdminMixin

# The office's screens register themselves on import.
from . import (  # noqa: F401
    admin_approval,
    admin_faculty,
    admin_planners,
    admin_review,
    admin_tickets,
)
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


STALE = (
    "This session was changed by someone else while you were editing. Reload to see their "
    "changes, then make yours again."
)
# Concrete fields an admin edit may change through child_update (many-to-many ones are saved by
# save_related).
CHILD_FIELDS = {f.name for f in ChildActivity._meta.concrete_fields}


class ChildActivityForm(forms.ModelForm):
    """The same date rules as the dashboard's editor (SPEC §2), and the same optimistic lock: the
    version the office member opened is checked when they save (child_update)."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ChildActivity
        fields = ["parent", "name", "start", "end", "time_zone"]  # the admin passes its own list

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("seen_version", self.instance.version)

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = ChildActivity.objects.filter(pk=self.instance.pk).values_list(
                "version", flat=True
            )
            if data.get("seen_version") is None or data["seen_version"] != current.first():
                raise forms.ValidationError(STALE)
        parent, start, end = data.get("parent"), data.get("start"), data.get("end")
        if parent and start and end:
            try:
                check_times(start, end)
                check_in_parent_year(parent, start, data.get("time_zone") or parent.time_zone)
            except ChildError as exc:
                raise forms.ValidationError(exc.message) from None
        return data


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
    show_full_result_count = False  # no second COUNT over the whole table on a filtered page
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
        "office_decisions",
    ]
    inlines = [AssignmentInline, ChildReviewInline, CommentInline]
    form = ChildActivityForm

    def has_delete_permission(self, request, obj=None):
        return False  # children are deactivated, never deleted

    @admin.display(description="Decisions of the office (session and COI)")
    def office_decisions(self, obj):
        from activities.selectors_disclosures import child_decisions

        if obj is None or obj.pk is None:
            return "-"
        link = format_html(
            '<a href="{}">Approval page</a>',
            reverse("admin:activities_approvalqueueitem_change", args=[obj.pk]),
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((f"{d.at:%Y-%m-%d %H:%M}", d.by, d.what, d.detail) for d in child_decisions(obj.pk)),
        )
        if not rows:
            return format_html("No decision yet. {}", link)
        return format_html("<table>{}</table>{}", rows, link)

    def save_model(self, request, obj, form, change):
        """Admin edits go through the same service as the editor (version check, the year rule,
        the status recomputed at once, attributed to the office member)."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in CHILD_FIELDS and name != "seen_version"
        }
        try:
            child_update(
                obj, expected_version=form.cleaned_data["seen_version"], by=request.user, **fields
            )
        except ChildError as exc:  # someone saved between the form's check and this save
            messages.error(request, exc.message)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        recompute_children([form.instance.pk])

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            return super().save_formset(request, form, formset, change)
        from activities.services.faculty import assignment_add, assignment_update

        changes = {
            f.instance.pk: {name: f.cleaned_data[name] for name in f.changed_data}
            for f in formset.forms
            if f.instance.pk and f.changed_data and not f.cleaned_data.get("DELETE")
        }
        instances = formset.save(commit=False)
        for assignment in instances:
            if assignment.pk is None:
                # New faculty: the same service as the dashboard (disclosure request email).
                assignment_add(
                    child=form.instance,
                    person=assignment.person,
                    role=assignment.role,
                    request_disclosure=assignment.request_disclosure,
                    request_presentation=assignment.request_presentation,
                    by=request.user,
                )
            else:
                changed = changes.get(assignment.pk, {})
                if changed.pop("person", None) is not None:
                    # Reviews belong to this person on this session: never re-point.
                    messages.warning(
                        request,
                        "An assignment's person cannot change; remove it "
                        "and add the other person instead.",
                    )
                if changed:
                    assignment_update(assignment, by=request.user, **changed)
        formset.save_m2m()


@admin.register(ChildFile)
class ChildFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "child", "kind", "size", "uploaded_at", "removed_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "child__id"]
    raw_id_fields = ["child"]


@admin.register(ChildReview)
class ChildReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only log; decisions are made on the session approval screens (through services)."""

    list_display = ["child", "action", "reviewer", "at"]
    list_filter = ["action"]
    search_fields = ["child__id", "child__name", "reviewer__last_name"]
    raw_id_fields = ["child"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["child", "author", "from_office", "created_at"]
    search_fields = ["child__id", "body"]
    raw_id_fields = ["child"]


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"

    # Every write goes through the service: the sessions around the day recompute at once.
    def save_model(self, request, obj, form, change):
        closure_day_save(obj, by=request.user)

    def delete_model(self, request, obj):
        closure_days_delete([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        closure_days_delete(queryset, by=request.user)
