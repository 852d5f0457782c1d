"""Identity (SPEC §16): how people sign in, the accounts held as likely duplicates, and merges
that can be undone. Imported by faculty/models.py, so these are models of the faculty app."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from rss_dashboard import limits


class SignInMethod(models.TextChoices):
    PASSWORD = "password", "Password"
    SAML = "saml", "SAML (institution)"
    OIDC = "oidc", "OpenID Connect (institution)"
    REGISTRATION = "registration", "Registration"
    OTHER = "other", "Other"


class SignInRecord(models.Model):
    """Who signed in, when, how and from where (one row per sign-in; the audit of sign-ins)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sign_ins"
    )
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=20, choices=SignInMethod.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="sign_in_person_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} by {self.method} at {self.at:%Y-%m-%d %H:%M}"


class SsoIdentity(models.Model):
    """The institution's account (issuer + subject) linked to a person at the first SSO sign-in.
    Later sign-ins find the person here even if the institution changes the email it sends."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sso_identities"
    )
    method = models.CharField(max_length=20, choices=SignInMethod.choices)
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=500)
    email = models.EmailField(max_length=254, help_text="as the institution sent it")
    linked_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "institution sign-in"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_once")
        ]

    def __str__(self) -> str:
        return f"{self.email} at {self.issuer}"


class HoldSource(models.TextChoices):
    REGISTER = "register", "Registration"
    SMS_REGISTER = "sms_register", "Registration from the text message link"
    MANAGE_FACULTY = "manage_faculty", "Manage Faculty: Add a new person"
    SAML = "saml", "First sign-in through the institution (SAML)"
    OIDC = "oidc", "First sign-in through the institution (OpenID Connect)"


class HoldState(models.TextChoices):
    WAITING = "waiting", "Waiting for the office"
    DIFFERENT = "different", "Different people: account created"
    SAME = "same", "Same person: the existing account is used"


class LikelyDuplicate(models.Model):
    """A new account that resembles an existing person, held for the office instead of created.

    The applicant's details are kept here (a registration's password only as its hash) until the
    office decides: different people (the account is created and the pair remembered) or the same
    person (the existing account is used; nothing new is created)."""

    source = models.CharField(max_length=20, choices=HoldSource.choices)
    received_at = models.DateTimeField(default=timezone.now)
    email = models.EmailField(max_length=254)
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100, blank=True)
    credentials = models.CharField(max_length=60, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    profession = models.CharField(max_length=20, blank=True)
    password_hash = models.CharField(max_length=128, blank=True, editable=False)
    # Source-specific follow-ups: the SSO issuer and subject, the texted phone's registration
    # token, the session a coordinator was adding faculty to.
    details = models.JSONField(default=dict, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="held_lookalikes",
        help_text="the existing person the new account resembles",
    )
    reasons = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=HoldState.choices, default=HoldState.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=limits.NOTE)
    created_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "likely duplicate"
        verbose_name_plural = "likely duplicates"
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "email", condition=Q(state="waiting"), name="likely_duplicate_one_waiting"
            ),
            limits.at_most("decision_note", limits.NOTE, name="likely_duplicate_note_length"),
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="likely_duplicate_queue")]

    def __str__(self) -> str:
        return f"{self.email} resembles {self.candidate_id}"

    @property
    def name(self) -> str:
        from .people import sort_name

        return sort_name(self.last_name, self.first_name)


class DistinctPeople(models.Model):
    """Two people the office confirmed are different humans: never held as duplicates again."""

    person_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    person_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "distinct people"
        constraints = [
            models.UniqueConstraint(
                Least("person_a", "person_b"),
                Greatest("person_a", "person_b"),
                name="distinct_people_pair_once",
            ),
            models.CheckConstraint(condition=~Q(person_a=F("person_b")), name="distinct_two"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} is not {self.person_b_id}"


class PersonMerge(models.Model):
    """One merge of two people, with every row it changed (before and after), so the office can
    undo it from the merge's history (faculty/merge_undo.py)."""

    keep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merges_kept"
    )
    duplicate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merges_as_duplicate"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    summary = models.TextField(blank=True)
    # {"rows": [{"model": "app.model", "pk": ..., "action": "changed"|"deleted"|"created",
    #   "before": {...}|None, "after": {...}|None}] (fields as Django's serializer writes them),
    #  "keep_rows": [["app.model", pk], ...] (what pointed at the kept person before)}
    changes = models.JSONField(default=dict, editable=False)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_summary = models.TextField(blank=True)

    class Meta:
        verbose_name = "merge of two people"
        verbose_name_plural = "merges of people"
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"Merge of #{self.duplicate_id} into #{self.keep_id}"
