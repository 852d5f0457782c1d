"""Claims of credit and what surrounds them (late requests, SMS conversations)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from rss_dashboard import limits


class ClaimChannel(models.TextChoices):
    SMS = "sms", "Text message"
    WEB = "web", "Website"
    QR = "qr", "QR code"
    LATE = "late", "Late claim (granted)"
    ZOOM = "zoom", "Zoom participant report"
    TEAMS = "teams", "Teams attendance report"
    ROSTER = "roster", "Sign-in roster"
    KIOSK = "kiosk", "Check-in kiosk"


# The claims that count: every read of credit, attendance and "already claimed" filters by it.
COUNTED = Q(voided_at__isnull=True)


class ClaimQuerySet(models.QuerySet):
    """The credit gate (`credit.rules.award_now`, `claim_state`) as SQL, for every count of
    credit: reports, transcripts, jobs. `awarded_at` is set only when the gate opens (approval and,
    if required, the evaluation) and cleared when the office revokes the claim."""

    def counted(self):
        """Not revoked by the office and not voided by an undone import: those count for nothing
        but the audit."""
        return self.filter(COUNTED, revoked_at__isnull=True)

    def awarded(self):
        return self.counted().filter(awarded_at__isnull=False).exclude(child__status="rejected")

    def not_awarded(self):
        """Recorded, not revoked, on a session not rejected, and not (yet) credit."""
        return self.counted().filter(awarded_at__isnull=True).exclude(child__status="rejected")

    def waiting_for_evaluation(self):
        return self.not_awarded().filter(evaluation_required=True, evaluated_at__isnull=True)

    def bulk_create(self, objs, *args, **kwargs):
        """Claims built without their series' year get it here (bulk_create skips `save`)."""
        objs = list(objs)
        with_year(objs)
        return super().bulk_create(objs, *args, **kwargs)


def with_year(claims) -> None:
    """Sets `year` on claims that lack it: from the session's series when it is loaded, else in
    one query for all of them."""
    from activities.models import ChildActivity

    missing = []
    for claim in claims:
        if claim.year is None:
            child = claim._state.fields_cache.get("child")
            if child is not None and "parent" in child._state.fields_cache:
                claim.year = child.parent.year
            else:
                missing.append(claim)
    if missing:
        years = dict(
            ChildActivity.objects.filter(pk__in={c.child_id for c in missing}).values_list(
                "pk", "parent__year"
            )
        )
        for claim in missing:
            claim.year = years[claim.child_id]


# The gate in SQL, for UPDATEs: an evaluation is either not required or in (credit.rules.award_now).
EVALUATION_DONE_OR_NOT_NEEDED = Q(evaluation_required=False) | Q(evaluated_at__isnull=False)


class Claim(models.Model):
    """One per learner per child (enforced by the database). Kept at least 6 years; never deleted.

    A claim made by an attendance import that is undone is *voided*, not deleted: it stays, with
    who voided it, when and why, and no longer counts anywhere (transcripts, reports, counts,
    "already claimed"); the learner may claim again (issue 18, docs/attendance.md)."""

    learner = models.ForeignKey("faculty.Person", on_delete=models.PROTECT, related_name="claims")
    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="claims"
    )
    claimed_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=ClaimChannel.choices)
    credit_hours = models.DecimalField(max_digits=4, decimal_places=2)
    # The series' year (child.parent.year), kept on the claim so a transcript reads one year's
    # claims through the (learner, year) index instead of every claim of the learner (issue 21).
    # Set when the claim is made (`with_year`); kept in step if a session moves to another series
    # or a series changes its year (credit/receivers.py).
    year = models.PositiveSmallIntegerField()
    # Set when the credit gate opens (credit.rules.award_now): the child is APPROVED and, if the
    # claim needs an evaluation, it is in. Until then the credit waits; revoking clears it.
    awarded_at = models.DateTimeField(null=True, blank=True)
    # The series' rule when the claim was made (docs/evaluations.md): a requirement switched on
    # later never takes back credit, nor holds up claims already made.
    evaluation_required = models.BooleanField(default=False)
    # When the learner's evaluation came in: who responded, for the office. What they answered is
    # in EvaluationResponse, which holds no learner (anonymous by construction).
    evaluated_at = models.DateTimeField(null=True, blank=True)
    # The short link texted and emailed to the learner (/e/<token>/), when an evaluation is
    # required: it opens the evaluation of this claim without signing in.
    evaluation_token = models.CharField(max_length=16, blank=True, default="")

    # Only the office takes credit back, explicitly, with a reason the learner is told
    # (credit.revocation.claims_revoke; audited in ClaimRevocation). Deactivating a session does not.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)

    # Set when the import that made the claim is undone (issue 18): the claim is kept for audit
    # but counts nowhere, and the learner may claim again.
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.CharField(max_length=200, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "child"],
                condition=Q(voided_at__isnull=True),
                name="claim_one_counted_per_learner_child",
            ),
            models.CheckConstraint(
                condition=Q(credit_hours__gte=0), name="claim_credit_not_negative"
            ),
            models.UniqueConstraint(
                fields=["evaluation_token"],
                condition=~Q(evaluation_token=""),
                name="claim_evaluation_token_once",
            ),
        ]
        # No index for the admin's newest-first list: every claim of an SMS burst would pay for
        # it; the admin lists by id, which follows claimed_at closely (credit/admin.py).
        indexes = [
            models.Index(fields=["child", "claimed_at"], name="claim_child_idx"),
            # A learner's counted claims of one year (the transcript page reads its newest
            # year's claims only), carrying what the totals of every year read of a claim: those
            # read this index alone, not the claims' scattered rows (issue 21).
            models.Index(
                fields=["learner", "year"],
                name="claim_learner_year_idx",
                condition=COUNTED,
                include=[
                    "child",
                    "credit_hours",
                    "awarded_at",
                    "evaluation_required",
                    "evaluated_at",
                    "revoked_at",
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} claimed {self.child_id}"

    def save(self, *args, **kwargs):
        """A full save may carry another session (the admin's form): its year is read again."""
        fields = kwargs.get("update_fields")
        if not self._state.adding and (fields is None or "child" in fields):
            self.year = None
        if self.year is None:
            with_year([self])
        super().save(*args, **kwargs)


class LateClaimState(models.TextChoices):
    PENDING = "pending", "Waiting for the coordinators"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class LateClaimRequest(models.Model):
    learner = models.ForeignKey(
        "faculty.Person", on_delete=models.PROTECT, related_name="late_claims"
    )
    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="late_claims"
    )
    reason = models.TextField(max_length=limits.NOTE)
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=10, choices=LateClaimState.choices, default=LateClaimState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=limits.NOTE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "child"],
                condition=Q(state="pending"),
                name="late_claim_one_pending_per_learner_child",
            ),
            limits.at_most("reason", limits.NOTE, name="late_claim_reason_length"),
            limits.at_most("decision_note", limits.NOTE, name="late_claim_note_length"),
        ]

    def __str__(self) -> str:
        return f"Late claim by {self.learner} for {self.child_id}"


class SmsPendingClaim(models.Model):
    """A text from a phone not on file: the claim waits until the phone is linked by email."""

    phone = models.CharField(max_length=16, db_index=True)
    child = models.ForeignKey(
        "activities.ChildActivity", on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.phone} waiting for {self.child_id}"


class SmsOptOut(models.Model):
    """STOP is honoured: no more replies to this phone until START."""

    phone = models.CharField(max_length=16, unique=True)
    opted_out_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.phone


class SmsMessage(models.Model):
    """Every inbound text and the reply sent, for support and audit."""

    phone = models.CharField(max_length=16, db_index=True)
    body = models.TextField()
    reply = models.TextField(blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    message_sid = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            # Twilio retries a webhook it timed out on with the same MessageSid: one row per text,
            # and the repeat is answered with the first reply (credit/services_sms.py).
            models.UniqueConstraint(
                fields=["message_sid"],
                condition=~Q(message_sid=""),
                name="sms_message_sid_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.phone}: {self.body[:40]}"


class PhoneLinkRequest(models.Model):
    """A texted email asking to link a phone to that email's account (SPEC §11, issue 13).

    The text alone proves nothing: the phone is linked only when the owner of the email opens the
    link sent to it (`token_hash`) or texts back the short code in it (`code_hash`), from the same
    phone, before `expires_at`. Only digests are stored. Kept as the audit of every attempt; rows
    for addresses without an account are kept too (they count for the rate limit)."""

    phone = models.CharField(max_length=16, db_index=True)
    email = models.CharField(max_length=254, db_index=True)  # as texted, lower-cased
    person = models.ForeignKey(
        "faculty.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64)
    # Proof of the phone (the reply went to it): registering through this link may link it.
    register_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_codes = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_via = models.CharField(max_length=10, blank=True)  # link, sms, register
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone} -> {self.email}"


# Evaluations and certificates (issue 17) live in their own modules; Django finds models here.
# Attendance imports and the check-in kiosk (issue 18) live in their own module.
from .models_attendance import (  # noqa: E402, F401
    AttendanceEntry,
    AttendanceImport,
    AttendanceSettings,
    Kiosk,
    KioskCheckIn,
)
from .models_certificate import Certificate, ClaimRevocation  # noqa: E402, F401
from .models_evaluation import (  # noqa: E402, F401
    EvaluationAnswer,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationResponse,
    QuestionKind,
)
