"""Model permissions come from the site role, not from hand-kept groups (SPEC §1).

Administrators may do everything. Reviewers may view everything in the admin and change only what
the office decides: COI reviews, child reviews, comments, tickets, closure days and late claims.
"""

from django.contrib.auth.backends import ModelBackend

REVIEWER_CHANGE = {
    "disclosures.add_coireview",
    "disclosures.view_coireview",
    "activities.add_childreview",
    "activities.add_comment",
    "activities.change_ticket",
    "activities.add_ticket",
    "activities.add_closureday",
    "activities.change_closureday",
    "activities.delete_closureday",
    "disclosures.add_company",
    "disclosures.change_company",
    # Late claims of any series (the office's queue; credit.services_late.late_claim_decide).
    "credit.change_lateclaimrequest",
    # New accounts held as likely duplicates (faculty.services_duplicates.hold_decide).
    "faculty.change_likelyduplicate",
}


class RoleBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if getattr(user_obj, "is_administrator", False):
            return True
        if getattr(user_obj, "is_reviewer", False):
            _app, _, codename = perm.partition(".")
            if codename.startswith("view_") or perm in REVIEWER_CHANGE:
                return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if getattr(user_obj, "is_reviewer", False):
            return True
        return super().has_module_perms(user_obj, app_label)
