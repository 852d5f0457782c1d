"""The office's identity screens (SPEC §16): new accounts held as likely duplicates (both
records side by side, decided "different people" or "same person"), the history of merges
(each with what it moved, undone from there), and the sign-in audit."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from rss_dashboard.admin_tools import (
    DefaultChoiceFilter,
    OfficeQueueAdminMixin,
    ReadOnlyAdminMixin,
    clip,
)

from .models import HoldState, LikelyDuplicate, Person, PersonMerge, SignInRecord
from .rules_duplicates import describe, name_key
from .services_duplicates import HoldError, hold_decide
from .services_merge_undo import UndoError, added_since, merge_undo, undo_deadline, undo_refusal


class HoldStateFilter(DefaultChoiceFilter):
    title = "state"
    parameter_name = "state"
    field = "state"
    default = HoldState.WAITING
    options = [
        (HoldState.WAITING, "Waiting"),
        (HoldState.DIFFERENT, "Different people"),
        (HoldState.SAME, "Same person"),
    ]


def _ago(moment) -> str:
    local = timezone.localtime(moment)
    return format_html(
        '<span title="{}">{} ago</span>',
        f"{local:%a %b %-d, %Y %-I:%M %p}",
        timesince(moment).split(",")[0],
    )


@admin.register(LikelyDuplicate)
class LikelyDuplicateAdmin(OfficeQueueAdminMixin, admin.ModelAdmin):
    list_display = ["received", "applicant", "looks_like", "why", "source", "state", "open_link"]
    list_filter = [HoldStateFilter, "source"]
    search_fields = ["email", "last_name", "candidate__email", "candidate__last_name"]
    list_select_related = ["candidate"]
    ordering = ["received_at", "id"]  # the oldest first: someone is waiting for an account
    queue_title = "New accounts held as likely duplicates"

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("faculty.change_likelyduplicate")

    @admin.display(description="Received", ordering="received_at")
    def received(self, obj):
        return _ago(obj.received_at)

    @admin.display(description="New account", ordering="last_name")
    def applicant(self, obj):
        return clip(f"{obj.name} <{obj.email}>", width="m")

    @admin.display(description="Looks like", ordering="candidate__last_name_lower")
    def looks_like(self, obj):
        return clip(f"{obj.candidate.name} <{obj.candidate.email}>", width="m")

    @admin.display(description="Why")
    def why(self, obj):
        return clip(describe(obj.reasons), width="s")

    @admin.display(description="")
    def open_link(self, obj):
        url = reverse("admin:faculty_likelyduplicate_change", args=[obj.pk])
        label = "Compare" if obj.state == HoldState.WAITING else "Open"
        return format_html('<a class="button" href="{}">{}</a>', url, label)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        hold = get_object_or_404(
            LikelyDuplicate.objects.select_related("candidate", "requested_by", "decided_by"),
            pk=object_id,
        )
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            decision = request.POST.get("decision")
            if decision in ("different", "same"):
                try:
                    hold_decide(
                        hold_id=hold.pk,
                        same_person=decision == "same",
                        by=request.user,
                        note=request.POST.get("note", "")[:2000],
                    )
                except HoldError as exc:
                    messages.error(request, exc.message)
                else:
                    hold.refresh_from_db()
                    messages.success(
                        request,
                        f"{hold.email}: {hold.get_state_display().lower()}; they are emailed.",
                    )
                    return HttpResponseRedirect(reverse("admin:faculty_likelyduplicate_changelist"))
        return TemplateResponse(
            request,
            "admin/faculty/likely_duplicate.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Is {hold.name} someone we know?",
                "hold": hold,
                "rows": side_by_side(hold),
                "record": record_of(hold.candidate),
                "why": describe(hold.reasons),
                "can_decide": hold.state == HoldState.WAITING
                and self.has_change_permission(request),
                "queue_url": reverse("admin:faculty_likelyduplicate_changelist"),
                "is_nav_sidebar_enabled": False,
            },
        )


def side_by_side(hold: LikelyDuplicate) -> list[dict]:
    """Field, the new account's value, the existing person's, and whether they agree."""
    person = hold.candidate
    same_name = name_key(hold.last_name, hold.first_name) == name_key(
        person.last_name, person.first_name
    )
    pairs = [
        ("Name", hold.name, person.name, same_name),
        ("Email", hold.email, person.email, None),
        ("Credentials", hold.credentials, person.credentials, None),
        ("Affiliation", hold.affiliation, person.affiliation, None),
        ("Profession", hold.profession, person.get_profession_display(), None),
    ]
    rows = []
    for label, new, existing, agree in pairs:
        if agree is None:
            agree = bool(new) and str(new).strip().lower() == str(existing).strip().lower()
        rows.append({"label": label, "new": new, "existing": existing, "agree": agree})
    return rows


def record_of(person: Person) -> dict:
    """What the existing person has: so the office sees what a wrong decision would split."""
    counts = {
        "assignments": person.assignments.count(),
        "disclosures": person.disclosures.count(),
        "claims": person.claims.count(),
        "roles": person.parent_roles.count(),
        "last_sign_in": person.sign_ins.aggregate(last=Max("at"))["last"],
    }
    counts["phone_ending"] = person.mobile_phone[-4:] if person.mobile_phone else ""
    counts["joined"] = person.date_joined
    counts["active"] = person.is_active
    return counts


@admin.register(PersonMerge)
class PersonMergeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["merged", "duplicate_email", "keep_email", "merged_by", "undone"]
    list_select_related = ["keep", "duplicate", "merged_by"]
    search_fields = ["keep__email", "duplicate__email", "keep__last_name"]
    list_filter = [("undone_at", admin.EmptyFieldListFilter)]
    ordering = ["-merged_at", "-id"]

    @admin.display(description="Merged", ordering="merged_at")
    def merged(self, obj):
        return _ago(obj.merged_at)

    @admin.display(description="Merged away")
    def duplicate_email(self, obj):
        return obj.duplicate.email

    @admin.display(description="Into")
    def keep_email(self, obj):
        return obj.keep.email

    @admin.display(description="Undone", boolean=True)
    def undone(self, obj):
        return obj.undone_at is not None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        merge = get_object_or_404(
            PersonMerge.objects.select_related("keep", "duplicate", "merged_by", "undone_by"),
            pk=object_id,
        )
        may_undo = request.user.is_administrator
        if request.method == "POST":
            if not may_undo:
                raise PermissionDenied
            try:
                result = merge_undo(merge_id=merge.pk, by=request.user)
            except UndoError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, result.summary())
                return HttpResponseRedirect(
                    reverse("admin:faculty_personmerge_change", args=[merge.pk])
                )
        return TemplateResponse(
            request,
            "admin/faculty/person_merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Merge of {merge.duplicate.email} into {merge.keep.email}",
                "merge": merge,
                "moved": moved_table(merge),
                "added_since": _named(added_since(merge)) if merge.undone_at is None else [],
                "refusal": undo_refusal(merge),
                "deadline": undo_deadline(merge),
                "may_undo": may_undo,
                "is_nav_sidebar_enabled": False,
            },
        )


def _named(counts: dict[str, int]) -> list[tuple[str, int]]:
    from django.apps import apps

    return sorted((str(apps.get_model(k)._meta.verbose_name_plural), n) for k, n in counts.items())


def moved_table(merge: PersonMerge) -> list[dict]:
    """What the merge did, by kind of row: how many moved to the kept person, changed, deleted."""
    from django.apps import apps

    table: dict[tuple[str, str], dict] = {}
    for change in merge.changes.get("rows", []):
        model = apps.get_model(change["model"])
        fields = sorted(change.get("after") or change.get("before") or {})
        key = (str(model._meta.verbose_name_plural), change["action"])
        row = table.setdefault(key, {"what": key[0], "action": key[1], "count": 0, "fields": set()})
        row["count"] += 1
        if change["action"] == "changed":
            row["fields"].update(fields)
    return [
        {**row, "fields": ", ".join(sorted(row["fields"]))} for _key, row in sorted(table.items())
    ]


@admin.register(SignInRecord)
class SignInRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "person", "method", "ip_address"]
    list_filter = ["method"]
    search_fields = ["person__email", "person__last_name", "=ip_address"]
    list_select_related = ["person"]
    date_hierarchy = "at"
    show_full_result_count = False
