"""Choices of faculty's own rows that other apps' rules speak about.

The COI status of an assignment (SPEC §6) is a column of `faculty.Assignment`; the rules that
derive it live in `disclosures/rules.py` (`coi_status`), which re-exports this class, so that the
people app never imports the disclosures app."""

from django.db import models  # TextChoices only


class CoiStatus(models.TextChoices):
    INCOMPLETE = "incomplete", "INCOMPLETE"
    NEEDS_REVIEW = "needs_review", "NEEDS REVIEW"
    PENDING = "pending", "PENDING"
    APPROVED = "approved", "APPROVED"
    APPROVED_WITH_EXCEPTIONS = "approved_exceptions", "APPROVED WITH EXCEPTIONS"
    REJECTED = "rejected", "REJECTED"
    DISCLOSURE_UPDATED = "disclosure_updated", "DISCLOSURE UPDATED"
