"""The words of a disclosure and its review (SPEC §5-6): what a relationship is, the reviewer's
decisions, mitigation steps and ACCME's exceptions for owners and employees. Also importable from
disclosures.rules, which decides with them."""

from django.db import models


class ReviewDecision(models.TextChoices):
    MITIGATED = "mitigated", "Mitigated (awaiting approval)"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_EXCEPTIONS = "approved_exceptions", "Approved with exceptions"
    REJECTED = "rejected", "Rejected as immitigable"


class OwnerEmployeeException(models.TextChoices):
    """ACCME's three exceptions for owners and employees of ineligible companies."""

    NONE = "", "None"
    UNRELATED_CONTENT = (
        "unrelated_content",
        "Content not related to the company's business lines or products",
    )
    BASIC_SCIENCE = (
        "basic_science",
        "Basic science research with no recommendations for patient care",
    )
    DEVICE_SAFETY = "device_safety", "Teaching the safe and proper use of the company's device"


class Nature(models.TextChoices):
    CONSULTANT = "consultant", "Consultant"
    SPEAKERS_BUREAU = "speakers_bureau", "Speakers' bureau"
    RESEARCH_FUNDING = "research_funding", "Research funding"
    ADVISORY_BOARD = "advisory_board", "Advisory board"
    STOCK = "stock", "Stock or stock options"
    OWNER = "owner", "Owner of the company"
    EMPLOYEE = "employee", "Employee"
    ROYALTIES = "royalties", "Royalties"
    HONORARIA = "honoraria", "Honoraria"
    OTHER = "other", "Other"


class MitigationStep(models.TextChoices):
    PEER_REVIEW = "peer_review", "Peer review of content"
    LIMITED_ROLE = (
        "limited_role",
        "Limiting the role (no recommendations on the company's products)",
    )
    ATTESTATION = "attestation", "Attestation that content is evidence-based and free of bias"
    OTHER = "other", "Other"
