"""Site-wide statement templates for flyers, edited by administrators."""

from django.db import models


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
    provider = models.CharField(max_length=255, default="Michigan Medicine")
    joint_provider = models.CharField(max_length=255, blank=True)
    accreditation_direct = models.TextField(
        default="{provider} is accredited by the Accreditation Council for Continuing Medical "
        "Education (ACCME) to provide continuing medical education for physicians."
    )
    accreditation_joint_providership = models.TextField(
        default="This activity has been planned and implemented in accordance with the accreditation "
        "requirements and policies of the Accreditation Council for Continuing Medical Education "
        "(ACCME) through the joint providership of {provider} and {joint_provider}. {provider} is "
        "accredited by the ACCME to provide continuing medical education for physicians."
    )
    accreditation_joint_accreditation = models.TextField(
        default="In support of improving patient care, {provider} is jointly accredited by the "
        "Accreditation Council for Continuing Medical Education (ACCME), the Accreditation Council "
        "for Pharmacy Education (ACPE), and the American Nurses Credentialing Center (ANCC), to "
        "provide continuing education for the healthcare team."
    )
    credit_designation = models.TextField(
        default="{provider} designates this live activity for a maximum of {credit_hours} "
        "{credit_type}. Physicians should claim only the credit commensurate with the extent of "
        "their participation in the activity."
    )

    class Meta:
        verbose_name = "flyer statements"
        verbose_name_plural = "flyer statements"

    def __str__(self) -> str:
        return "Flyer statements"

    @classmethod
    def current(cls) -> "FlyerStatements":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
