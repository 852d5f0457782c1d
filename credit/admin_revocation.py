"""The office revokes (or reinstates) a claim's credit from the claim's admin page, with a reason;
the same services as everywhere (credit/revocation.py), audited in ClaimRevocation."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from rss_dashboard import limits

from .models import Claim, ClaimRevocation
from .revocation import RevokeError, claim_reinstate, claim_revoke


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=limits.NOTE,
        help_text="Kept with the claim; the learner's certificates then verify as revoked.",
    )


class RevocationInline(admin.TabularInline):
    model = ClaimRevocation
    extra = 0
    fields = ["action", "at", "by", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RevocationAdminMixin:
    """Adds /admin/credit/claim/<id>/revocation/ (GET: the form; POST: revoke or reinstate)."""

    def get_urls(self):
        extra = [
            path(
                "<int:claim_id>/revocation/",
                self.admin_site.admin_view(self.revocation_view),
                name="credit_claim_revocation",
            )
        ]
        return extra + super().get_urls()

    def revocation_view(self, request, claim_id: int):
        if not request.user.is_reviewer:
            raise PermissionDenied
        claim = get_object_or_404(Claim.objects.select_related("learner", "child"), pk=claim_id)
        revoking = claim.revoked_at is None
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            service = claim_revoke if revoking else claim_reinstate
            try:
                service(claim_id=claim.pk, by=request.user, reason=form.cleaned_data["reason"])
            except RevokeError as exc:
                messages.error(request, exc.message)
            else:
                verb = "revoked" if revoking else "reinstated"
                messages.success(request, f"The credit of this claim is {verb}.")
            return redirect(reverse("admin:credit_claim_change", args=[claim.pk]))
        return TemplateResponse(
            request,
            "admin/credit/revocation.html",
            {
                **self.admin_site.each_context(request),
                "opts": Claim._meta,
                "title": "Revoke the credit" if revoking else "Reinstate the credit",
                "claim": claim,
                "form": form,
            },
        )

    @admin.display(description="Revoke / reinstate")
    def revocation_link(self, obj):
        from django.utils.html import format_html

        if obj.pk is None:
            return "-"
        label = "Revoke the credit…" if obj.revoked_at is None else "Reinstate the credit…"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:credit_claim_revocation", args=[obj.pk]),
            label,
        )
