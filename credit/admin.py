from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from . import admin_late  # noqa: F401 - the late claims queue registers itself
from .admin_revocation import RevocationAdminMixin, RevocationInline
from .models import (
    AttendanceImport,
    Certificate,
    Claim,
    ClaimRevocation,
    SmsMessage,
    SmsOptOut,
    SmsPendingClaim,
)
from .revocation import RevokeError, claims_revoke


@admin.register(Claim)
class ClaimAdmin(RevocationAdminMixin, admin.ModelAdmin):
    list_display = [
        "learner",
        "child",
        "channel",
        "credit_hours",
        "claimed_at",
        "awarded_at",
        "evaluated_at",
        "revoked_at",
        "voided_at",
    ]
    list_filter = [
        "channel",
        ("awarded_at", admin.EmptyFieldListFilter),
        "evaluation_required",
        ("evaluated_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
        ("voided_at", admin.EmptyFieldListFilter),
    ]
    # Credit changes only through the services (the gate, the office's revocation, audited).
    readonly_fields = [
        "year",  # the session's series' (Claim.save)
        "awarded_at",
        "evaluation_required",
        "evaluated_at",
        "evaluation_token",
        "revoked_at",
        "revoked_by",
        "revoked_reason",
        "revocation_link",
        "voided_at",
        "voided_by",
        "void_reason",
    ]
    inlines = [RevocationInline]
    actions = ["revoke_credit"]
    search_fields = ["learner__last_name", "learner__email", "child__id"]
    raw_id_fields = ["learner", "child"]
    list_select_related = ["learner", "child"]
    show_full_result_count = False  # no second COUNT over the whole table on a filtered page
    # Newest first by id (the primary key's index): claims are stored as they arrive.
    ordering = ["-id"]

    def has_delete_permission(self, request, obj=None):
        return False  # participation records are kept at least 6 years

    @admin.action(description="Revoke credit of the selected claims (asks for a reason)")
    def revoke_credit(self, request, queryset):
        """The only way credit is taken back (deactivating a session keeps it): audited on the
        claim, each learner told why (credit.revocation.claims_revoke)."""
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                done = claims_revoke(
                    claims=queryset, by=request.user, reason=form.cleaned_data["reason"]
                )
            except RevokeError as exc:
                messages.error(request, exc.message)
                return None
            messages.success(
                request, f"Revoked the credit of {done} claim{'s' if done != 1 else ''}."
            )
            return None
        return TemplateResponse(
            request,
            "admin/credit/claim/revoke.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Revoke credit",
                "claims": queryset.select_related("learner", "child"),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(SmsPendingClaim)
class SmsPendingClaimAdmin(admin.ModelAdmin):
    list_display = ["phone", "child", "received_at", "completed_at"]
    raw_id_fields = ["child"]


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    list_display = ["phone", "opted_out_at"]


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["phone", "outcome", "received_at"]
    list_filter = ["outcome"]
    search_fields = ["phone", "body"]
    readonly_fields = ["phone", "body", "reply", "outcome", "received_at", "message_sid"]

    def has_add_permission(self, request):
        return False  # the log of what learners texted is written by the webhook only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClaimRevocation)
class ClaimRevocationAdmin(admin.ModelAdmin):
    list_display = ["claim", "action", "at", "by"]
    list_filter = ["action"]
    readonly_fields = ["claim", "action", "at", "by", "reason"]

    def has_add_permission(self, request):
        return False  # through the claim's "Revoke the credit" page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "learner", "year", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["code", "learner__last_name", "learner__email"]
    readonly_fields = ["code", "kind", "learner", "claim", "year", "claims", "issued_at"]

    def has_add_permission(self, request):
        return False  # issued when a learner downloads one

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AttendanceImport)
class AttendanceImportAdmin(admin.ModelAdmin):
    """Read-only for the office: imports are made, confirmed and undone on the session's page."""

    list_display = [
        "pk",
        "child",
        "source",
        "original_name",
        "imported_by",
        "imported_at",
        "claims_created",
        "unmatched",
        "undone_at",
    ]
    list_filter = ["source", ("undone_at", admin.EmptyFieldListFilter)]
    list_select_related = ["child", "imported_by"]
    raw_id_fields = ["child", "imported_by", "undone_by"]
    show_full_result_count = False
    ordering = ["-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # where imported claims came from: kept with them
