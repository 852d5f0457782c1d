"""Shared pieces of the Django admin screens."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html

# Widths of a clipped cell on the office's queue pages (static/app/office.css).
CLIP_WIDTHS = ("s", "m", "l")


def clip(text: str, *, width: str = "m", full: str | None = None):
    """One line of a queue cell, cut with an ellipsis; the whole text on hover (`title`), so a
    row stays one line high and the page fits a laptop screen."""
    assert width in CLIP_WIDTHS
    return format_html('<span class="clip clip-{}" title="{}">{}</span>', width, full or text, text)


class ReadOnlyAdminMixin:
    """An admin that lists and shows rows but never adds, changes or deletes them: logs of
    decisions (made through services elsewhere) and read-only reports."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficeQueueAdminMixin:
    """A queue the office works through (COI reviews, session approvals, tickets, late claims):
    rows come from the services, never added or deleted here, 50 a page without a full count,
    titled `queue_title`; an action acts on the rows ticked even if a filter no longer matches
    them (a status changed meanwhile), so the service refuses with the reason instead of
    silently skipping.

    Laid out for a 1366x768 laptop (admin/office/change_list.html, static/app/office.css): no
    navigation sidebar, the filters in a bar of drop-downs above the rows instead of a column
    beside them, one line a row (long cells cut, whole on hover: `clip`)."""

    queue_title = ""
    list_per_page = 50
    show_full_result_count = False
    change_list_template = "admin/office/change_list.html"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request,
            {"title": self.queue_title, "is_nav_sidebar_enabled": False, **(extra_context or {})},
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def response_action(self, request, queryset):
        return super().response_action(request, self.get_queryset(request))


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A filter that starts on `default` (e.g. what waits: open tickets, pending late claims),
    with "All" to see the rest. `field` is the model field filtered on."""

    field = ""
    default = ""
    options: list[tuple[str, str]] = []

    def lookups(self, request, model_admin):
        return [*self.options, ("all", "All")]

    def choices(self, changelist):
        current = self.value() or self.default
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.default
        if value in dict(self.options):
            return queryset.filter(**{self.field: value})
        return queryset


def reason_page(request, model_admin, queryset, *, action, title, items, cancel_url, form):
    """The confirmation page of an action that needs a reason (reject, refuse, confirm):
    lists what it applies to and asks for the reason; the action runs when it comes back."""
    return TemplateResponse(
        request,
        "admin/office/reason_action.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            "items": items,
            "pks": [obj.pk for obj in queryset],
            "form": form,
            "action": action,
            "cancel_url": cancel_url,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )
