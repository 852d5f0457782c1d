"""Forms of the session's attendance page (imports, the series' minimum, confirmations)."""

from django import forms

from faculty.people import normalize_email

PLATFORMS = [("", "Detect from the file"), ("zoom", "Zoom"), ("teams", "Microsoft Teams")]


class ReportUploadForm(forms.Form):
    kind = "report"
    file = forms.FileField(
        label="Participant report (CSV)",
        allow_empty_file=True,  # the service names an empty file itself
        max_length=255,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,text/csv"}),
    )
    platform = forms.ChoiceField(label="Meeting platform", choices=PLATFORMS, required=False)


class RosterUploadForm(forms.Form):
    kind = "roster"
    file = forms.FileField(
        label="Sign-in roster (CSV or Excel .xlsx)",
        allow_empty_file=True,
        max_length=255,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


class ImportForm(forms.Form):
    token = forms.CharField(max_length=2000)


class MinimumForm(forms.Form):
    minimum_percent = forms.IntegerField(
        label="Minimum attendance for the credit (% of the session's length)",
        min_value=1,
        max_value=100,
    )


class ConfirmPersonForm(forms.Form):
    """Whom a row is: one of the people suggested, an account found by its address, or a new
    person (created only because the coordinator asks here; never silently)."""

    person = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    email = forms.EmailField(label="Or the email of their account", required=False)
    new_last_name = forms.CharField(label="Last name", required=False, max_length=100)
    new_first_name = forms.CharField(label="First name", required=False, max_length=100)
    new_email = forms.EmailField(label="Email", required=False)

    def clean(self):
        data = super().clean()
        ways = [
            bool(data.get("person")),
            bool(data.get("email")),
            bool(data.get("new_email") or data.get("new_last_name")),
        ]
        if sum(ways) != 1:
            raise forms.ValidationError(
                "Choose one person, or give the email of their account, or add a new person."
            )
        if ways[2] and not (data.get("new_email") and data.get("new_last_name")):
            raise forms.ValidationError("A new person needs a last name and an email.")
        return data

    def choice(self) -> dict:
        """Keyword arguments of `chosen_person`."""
        data = self.cleaned_data
        if data.get("new_email"):
            return {
                "person_id": None,
                "new_person": {
                    "email": normalize_email(data["new_email"]),
                    "last_name": data["new_last_name"],
                    "first_name": data.get("new_first_name") or "",
                },
            }
        return {"person_id": data.get("person"), "email": normalize_email(data.get("email") or "")}
