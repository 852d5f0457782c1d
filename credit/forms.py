from django import forms
from django.contrib.auth.password_validation import validate_password

from faculty.models import Person, Profession
from faculty.people import normalize_email, to_e164

from .late import MAX_REASON


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
    mobile_phone = forms.CharField(
        max_length=30,
        required=False,
        label="Mobile phone",
        help_text="To claim credit by text message.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
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

    def clean_mobile_phone(self) -> str:
        raw = self.cleaned_data["mobile_phone"].strip()
        if not raw:
            return ""
        phone = to_e164(raw)
        if phone is None:
            raise forms.ValidationError("Enter a mobile number we can text, e.g. 734-555-0100.")
        return phone

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
