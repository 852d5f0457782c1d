from django import forms
from django.contrib.auth.password_validation import validate_password

from faculty.models import Person, Profession
from faculty.people import normalize_email

from .services_late import MAX_REASON


class RegisterForm(forms.Form):
    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    first_name = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    credentials = forms.CharField(max_length=60, required=False, help_text="e.g. MD, RN, PharmD")
    profession = forms.ChoiceField(
        choices=[("", "Choose…"), *Profession.choices],
        help_text="Reports count physicians and other learners apart.",
    )
    # The proof of a phone: the registration link texted to it (credit/services_phone_links.py). A phone
    # typed here would be unproven, and texts from it would claim credit for this account.
    phone_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            probe = Person(
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class LateClaimForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. my phone had no signal in the auditorium.",
    )


class LateDecisionForm(forms.Form):
    request_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("grant", "Grant"), ("refuse", "Refuse")])
    note = forms.CharField(max_length=2000, required=False)
