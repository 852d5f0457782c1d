"""Forms of the Manage Faculty window, presentations and the person page."""

import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, _unicode_ci_compare
from django.urls import reverse

from rss_dashboard import ratelimit
from rss_dashboard.outbox import queue_email

from .models import FacultyRole, Person
from .people import normalize_email

log = logging.getLogger(__name__)


class FacultyAddForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label="Role", choices=FacultyRole.choices, initial=FacultyRole.SPEAKER)
    request_disclosure = forms.BooleanField(
        label="Request Disclosure?",
        required=False,
        help_text="Emails a disclosure request with a personal link; someone with an active "
        "disclosure is told that no action is needed.",
    )
    request_presentation = forms.BooleanField(
        label="Request Presentation?",
        required=False,
        help_text="Emails a link to upload the presentation. Coordinators are not copied.",
    )


class PersonCreateForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="UM faculty: use the umich.edu address (not med.umich.edu) to avoid a duplicate "
        "account. Others: confirm the address they use.",
    )
    last_name = forms.CharField(label="Last name", max_length=100)
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    credentials = forms.CharField(
        label="Credentials", max_length=60, required=False, help_text="e.g. MD, PhD"
    )
    affiliation = forms.CharField(label="Affiliation", max_length=200, required=False)


class PresentationForm(forms.Form):
    file = forms.FileField(
        label="Presentation file",
        help_text="PDF, PowerPoint (ppt, pptx), Keynote (key) or Word (doc, docx), up to 100 MB.",
    )


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with the email address (the account's identity) and the password."""

    username = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Passwords are "
        "case-sensitive.",
    }


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset emails go through the outbox like every other email (SPEC §12), with a link
    on SITE_URL (never on the Host header of the request).

    Unlike Django's form it also serves active people without a usable password: coordinators
    create faculty accounts without one (Manage Faculty), and the emailed link proves that the
    reader owns the address, which is all setting a first password needs. Deactivated and merged
    accounts are still skipped.
    """

    def save(self, *args, request=None, **kwargs):
        """Throttled per address and per client with the same answer whatever happens: the page
        never tells whether an email went out (issue 13.5)."""
        email = normalize_email(self.cleaned_data["email"])
        client = ratelimit.client_ip(request) if request is not None else "none"
        if ratelimit.over("reset_ip", client) or ratelimit.over("reset_email", email):
            log.info("password reset: throttled a request (client %s)", client)
            return
        super().save(*args, request=request, **kwargs)

    def get_users(self, email):
        field = Person.get_email_field_name()
        people = Person._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (p for p in people if _unicode_ci_compare(email, getattr(p, field)))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        queue_email(
            event_key=f"password-reset:{context['uid']}:{context['token']}",
            kind="password_reset",
            to=[to_email],
            template="password_reset",
            context={
                "email": to_email,
                "link": f"{settings.SITE_URL}{path}",
                "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            },
        )
