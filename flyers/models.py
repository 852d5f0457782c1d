"""Site-wide statement templates for flyers, edited by administrators."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from rss_dashboard import limits

from .rules import PLACEHOLDERS, placeholders_used, template_errors

PLACEHOLDER_HELP = "Placeholders: " + ", ".join("{" + p + "}" for p in PLACEHOLDERS) + "."


def validate_statement_template(value: str) -> None:
    errors = template_errors(value)
    if errors:
        raise ValidationError(errors)


class StatementKind(models.TextChoices):
    DIRECT = "direct", "Directly provided (ACCME)"
    JOINT_PROVIDERSHIP = "joint_providership", "Joint providership"
    JOINT_ACCREDITATION = "joint_accreditation", "Joint Accreditation"


class FlyerStatements(models.Model):
    """One row: the accreditation and credit designation templates. Placeholders: {provider},
    {joint_provider}, {credit_hours}, {credit_type}."""

    accreditation_kind = models.CharField(
        max_length=30, choices=StatementKind.choices, default=StatementKind.DIRECT
    )
    provider = models.CharField(
        max_length=255,
        default="Michigan Medicine",
        help_text="The accredited provider: {provider}.",
    )
    joint_provider = models.CharField(
        max_length=255,
        blank=True,
        help_text="The non-accredited partner under joint providership: {joint_provider}.",
    )
    accreditation_direct = models.TextField(
        validators=[validate_statement_template],
        max_length=limits.STATEMENT,
        help_text=PLACEHOLDER_HELP,
        default="{provider} is accredited by the Accreditation Council for Continuing Medical "
        "Education (ACCME) to provide continuing medical education for physicians.",
    )
    accreditation_joint_providership = models.TextField(
        validators=[validate_statement_template],
        max_length=limits.STATEMENT,
        help_text=PLACEHOLDER_HELP,
        default="This activity has been planned and implemented in accordance with the accreditation "
        "requirements and policies of the Accreditation Council for Continuing Medical Education "
        "(ACCME) through the joint providership of {provider} and {joint_provider}. {provider} is "
        "accredited by the ACCME to provide continuing medical education for physicians.",
    )
    accreditation_joint_accreditation = models.TextField(
        validators=[validate_statement_template],
        max_length=limits.STATEMENT,
        help_text=PLACEHOLDER_HELP,
        default="In support of improving patient care, {provider} is jointly accredited by the "
        "Accreditation Council for Continuing Medical Education (ACCME), the Accreditation Council "
        "for Pharmacy Education (ACPE), and the American Nurses Credentialing Center (ANCC), to "
        "provide continuing education for the healthcare team.",
    )
    credit_designation = models.TextField(
        validators=[validate_statement_template],
        max_length=limits.STATEMENT,
        help_text=PLACEHOLDER_HELP,
        default="{provider} designates this live activity for a maximum of {credit_hours} "
        "{credit_type}. Physicians should claim only the credit commensurate with the extent of "
        "their participation in the activity.",
    )

    class Meta:
        verbose_name = "flyer statements"
        verbose_name_plural = "flyer statements"

    def __str__(self) -> str:
        return "Flyer statements"

    def clean(self):
        super().clean()
        template = {
            StatementKind.DIRECT: self.accreditation_direct,
            StatementKind.JOINT_PROVIDERSHIP: self.accreditation_joint_providership,
            StatementKind.JOINT_ACCREDITATION: self.accreditation_joint_accreditation,
        }.get(self.accreditation_kind, "")
        uses_partner = "joint_provider" in placeholders_used(template) or "joint_provider" in (
            placeholders_used(self.credit_designation)
        )
        if (
            self.accreditation_kind == StatementKind.JOINT_PROVIDERSHIP or uses_partner
        ) and not self.joint_provider.strip():
            raise ValidationError(
                {
                    "joint_provider": "Name the joint provider: the chosen statement mentions "
                    "{joint_provider}."
                }
            )

    @classmethod
    def current(cls) -> "FlyerStatements":
        obj, _ = cls.objects.get_or_create(pk=1, defaults={"provider": settings.PROVIDER_NAME})
        return obj
