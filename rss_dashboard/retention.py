"""Records boards audit are never hard-deleted (kept at least 6 years, SPEC §5 and §11).

The admin offers no delete for them and the foreign keys to them PROTECT; this guard is the last
line: any delete of a claim, a late-claim decision, a disclosure (with its relationships), a COI
review or a child review raises, whether it comes from the admin, a queryset, a cascade or a shell.
"""

from django.apps import apps
from django.db.models.signals import pre_delete

from rss_dashboard.errors import DomainError

RETAINED = (
    "credit.Claim",
    "credit.LateClaimRequest",
    "credit.ClaimRevocation",
    "credit.Certificate",
    "credit.EvaluationResponse",
    "credit.EvaluationAnswer",
    # Where imported and kiosk claims came from (issue 18): kept with the claims.
    "credit.AttendanceImport",
    "credit.AttendanceEntry",
    "credit.KioskCheckIn",
    "disclosures.Disclosure",
    "disclosures.FinancialRelationship",
    "disclosures.CoiReview",
    "activities.ChildReview",
)


class RetentionError(DomainError):
    pass


def refuse_delete(sender, instance, **kwargs):
    raise RetentionError(
        "retained",
        f"{sender._meta.verbose_name} {instance.pk} is an audit record kept at least 6 years; "
        "it cannot be deleted.",
    )


def connect() -> None:
    for label in RETAINED:
        pre_delete.connect(
            refuse_delete, sender=apps.get_model(label), dispatch_uid=f"retain-{label}"
        )
