from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import admin_identity  # noqa: F401  (likely duplicates, merge history, sign-ins)
from .models import EmailDomainAlias, Person
from .services_merge import MergeError, merge_preview, person_merge


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
    actions = ["merge_people"]

    def has_merge_permission(self, request):
        return request.user.is_administrator

    @admin.action(description="Merge the two selected people", permissions=["merge"])
    def merge_people(self, request, queryset):
        people = list(queryset.order_by("pk"))
        if len(people) != 2:
            messages.error(request, "Select exactly two people to merge.")
            return None
        if "confirm" in request.POST:
            keep = next((p for p in people if str(p.pk) == request.POST.get("keep")), None)
            if keep is None:
                messages.error(request, "Choose the account to keep.")
            else:
                duplicate = next(p for p in people if p.pk != keep.pk)
                try:
                    result = person_merge(keep=keep, duplicate=duplicate, by=request.user)
                except MergeError as exc:
                    messages.error(request, exc.message)
                    return None
                history = reverse("admin:faculty_personmerge_change", args=[result.merge_id])
                messages.success(
                    request,
                    format_html(
                        '{} <a href="{}">Undo it from the merge history</a>.',
                        result.summary(),
                        history,
                    ),
                )
                return HttpResponseRedirect(reverse("admin:faculty_person_change", args=[keep.pk]))
        previews = [(p, sorted(merge_preview(p).items())) for p in people]
        suggested = max(previews, key=lambda row: sum(n for _label, n in row[1]))[0]
        return TemplateResponse(
            request,
            "admin/faculty/person/merge_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Merge two people",
                "undo_days": settings.MERGE_UNDO_DAYS,
                "previews": previews,
                "suggested": suggested,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(EmailDomainAlias)
class EmailDomainAliasAdmin(admin.ModelAdmin):
    list_display = ["alias_domain", "canonical_domain"]
    search_fields = ["alias_domain", "canonical_domain"]
