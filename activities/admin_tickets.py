"""Tickets to the office (SPEC §3, §8) as one of the office's queues, and the page that answers
one: a request for a new session is fulfilled in one step, any ticket closed with a note."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from simple_history.admin import SimpleHistoryAdmin

from rss_dashboard.admin_tools import DefaultChoiceFilter, OfficeQueueAdminMixin, clip
from rss_dashboard.errors import DomainError

from .forms import DateInput, TimeInput
from .models import Ticket, TicketKind, TicketState
from .services.children import check_in_parent_year, check_times
from .services.tickets import ticket_close, ticket_fulfil_new_child

KIND_SHORT = {
    TicketKind.NEW_CHILD_REQUEST: "New session",
    TicketKind.NOT_APPROVED_3_DAYS: "Not approved (3 days)",
    TicketKind.OTHER: "Other",
}


class TicketStateFilter(DefaultChoiceFilter):
    title = "state"
    parameter_name = "state"
    field = "state"
    default = TicketState.OPEN
    options = TicketState.choices


class TicketKindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return list(KIND_SHORT.items())

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() in KIND_SHORT else queryset


class FulfilForm(forms.Form):
    """The session as the coordinator asked for it; the office may change any of it."""

    date = forms.DateField(widget=DateInput)
    start_time = forms.TimeField(label="Start", widget=TimeInput)
    end_time = forms.TimeField(label="End", widget=TimeInput)
    name = forms.CharField(
        max_length=255, required=False, help_text="The topic.", widget=forms.TextInput({"size": 60})
    )
    location = forms.CharField(max_length=255, required=False, widget=forms.TextInput({"size": 40}))

    def __init__(self, *args, ticket: Ticket, **kwargs):
        self.parent = ticket.parent
        super().__init__(*args, initial=self.asked(ticket), **kwargs)

    @staticmethod
    def asked(ticket: Ticket) -> dict:
        parent = ticket.parent
        if parent is None:
            return {}
        initial = {"name": ticket.requested_name, "location": ticket.requested_location}
        if ticket.requested_start and ticket.requested_end:
            start = ticket.requested_start.astimezone(parent.zone)
            end = ticket.requested_end.astimezone(parent.zone)
            initial |= {"date": start.date(), "start_time": start.time(), "end_time": end.time()}
        elif parent.default_start_time:  # an older request: its text says when
            begin = datetime.combine(timezone.localdate(), parent.default_start_time)
            end = begin + timedelta(minutes=parent.default_duration_minutes)
            initial |= {"start_time": begin.time(), "end_time": end.time()}
        initial["location"] = initial["location"] or parent.default_location
        return initial

    def clean(self):
        data = super().clean()
        day, begin, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if self.parent is not None and day and begin and end:
            data["start"] = datetime.combine(day, begin, tzinfo=self.parent.zone)
            data["end"] = datetime.combine(day, end, tzinfo=self.parent.zone)
            try:
                check_times(data["start"], data["end"])
                check_in_parent_year(self.parent, data["start"])
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from None
        return data


class CloseForm(forms.Form):
    note = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="What was done, or why not; the requester is emailed this.",
    )


@admin.register(Ticket)
class TicketAdmin(OfficeQueueAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "number",
        "opened",
        "kind_short",
        "subject_line",
        "series",
        "session",
        "requester",
        "state",
        "answer_link",
    ]
    list_display_links = ["number"]
    list_filter = [TicketStateFilter, TicketKindFilter]
    search_fields = [
        "=id",
        "subject",
        "body",
        "=child__id",
        "parent__name",
        "opened_by__last_name",
        "opened_by__email",
    ]
    list_select_related = ["parent", "child", "opened_by"]
    ordering = ["opened_at", "id"]  # the oldest first: it has waited longest
    autocomplete_fields = ["opened_by", "parent", "child"]
    readonly_fields = ["closed_at", "closed_by"]
    queue_title = "Tickets"

    def has_add_permission(self, request):
        return admin.ModelAdmin.has_add_permission(self, request)  # "other" tickets by hand

    @admin.display(description="#", ordering="id")
    def number(self, obj):
        return obj.pk

    @admin.display(description="Opened", ordering="opened_at")
    def opened(self, obj):
        local = timezone.localtime(obj.opened_at)
        return format_html(
            '<span title="{}">{} ago</span>',
            f"{local:%a %b %-d, %Y %-I:%M %p}",
            timesince(obj.opened_at).split(",")[0],
        )

    @admin.display(description="Kind", ordering="kind")
    def kind_short(self, obj):
        return KIND_SHORT.get(obj.kind, obj.kind)

    @admin.display(description="Subject")
    def subject_line(self, obj):
        return clip(obj.subject, width="l", full=f"{obj.subject}\n\n{obj.body}")

    @admin.display(description="Series", ordering="parent__name")
    def series(self, obj):
        return clip(obj.parent.name) if obj.parent else ""

    @admin.display(description="Session")
    def session(self, obj):
        if not obj.child_id:
            return ""
        url = reverse("admin:activities_approvalqueueitem_change", args=[obj.child_id])
        return format_html('<a href="{}">{}</a>', url, obj.child_id)

    @admin.display(description="Opened by")
    def requester(self, obj):
        return clip(obj.opened_by.name, width="s") if obj.opened_by else "the system"

    @admin.display(description="")
    def answer_link(self, obj):
        if obj.state != TicketState.OPEN:
            return ""
        url = reverse("admin:activities_ticket_answer", args=[obj.pk])
        label = "Fulfil" if obj.kind == TicketKind.NEW_CHILD_REQUEST and obj.parent_id else "Answer"
        return format_html('<a class="button" href="{}">{}</a>', url, label)

    # --- answering one ticket ----------------------------------------------------------------

    def get_urls(self):
        answer = self.admin_site.admin_view(self.answer_view)
        return [
            path("<int:ticket_id>/answer/", answer, name="activities_ticket_answer"),
            *super().get_urls(),
        ]

    def answer_view(self, request, ticket_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        ticket = get_object_or_404(
            Ticket.objects.select_related("parent", "child", "opened_by", "closed_by"),
            pk=ticket_id,
        )
        can_fulfil = (
            ticket.state == TicketState.OPEN
            and ticket.kind == TicketKind.NEW_CHILD_REQUEST
            and ticket.parent_id is not None
        )
        fulfil_form = FulfilForm(ticket=ticket) if can_fulfil else None
        close_form = CloseForm()
        if request.method == "POST":
            if not self.has_change_permission(request, ticket):
                raise PermissionDenied
            answer = request.POST.get("answer")
            if answer == "fulfil" and can_fulfil:
                fulfil_form = FulfilForm(request.POST, ticket=ticket)
                if fulfil_form.is_valid() and self._fulfil(request, ticket, fulfil_form):
                    return HttpResponseRedirect(reverse("admin:activities_ticket_changelist"))
            elif answer == "close":
                close_form = CloseForm(request.POST)
                if close_form.is_valid() and self._close(request, ticket, close_form):
                    return HttpResponseRedirect(reverse("admin:activities_ticket_changelist"))
        return TemplateResponse(
            request,
            "admin/activities/ticket_answer.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Ticket #{ticket.pk}: {ticket.subject}",
                "ticket": ticket,
                "fulfil_form": fulfil_form,
                "close_form": close_form,
                "can_answer": ticket.state == TicketState.OPEN
                and self.has_change_permission(request, ticket),
                "queue_url": reverse("admin:activities_ticket_changelist"),
                "change_url": reverse("admin:activities_ticket_change", args=[ticket.pk]),
            },
        )

    def _fulfil(self, request, ticket, form) -> bool:
        data = form.cleaned_data
        try:
            child = ticket_fulfil_new_child(
                ticket_id=ticket.pk,
                by=request.user,
                start=data["start"],
                end=data["end"],
                name=data["name"],
                location=data["location"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return False
        messages.success(
            request,
            f"Added session {child.pk} to {child.parent.name}; ticket #{ticket.pk} is closed "
            "and the requester emailed.",
        )
        return True

    def _close(self, request, ticket, form) -> bool:
        try:
            ticket_close(ticket_id=ticket.pk, by=request.user, note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
            return False
        messages.success(request, f"Ticket #{ticket.pk} closed; the requester is emailed.")
        return True
