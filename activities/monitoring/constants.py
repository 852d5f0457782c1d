"""How far ahead and how often the monitoring jobs act (SPEC §2, §8)."""

from datetime import timedelta

from disclosures.rules import CoiStatus

REMINDER_DAYS = (5, 3)  # business days before the session (SPEC §8)
TICKET_DAYS = 3
ATTENDANCE_CATCH_UP = timedelta(days=3)
DIGEST_AHEAD = timedelta(days=28)
RENEWAL_EVERY_DAYS = 14
APPROVED_COI = {CoiStatus.APPROVED, CoiStatus.APPROVED_WITH_EXCEPTIONS}
