from django import forms
from django.conf import settings
from django.forms import inlineformset_factory

from .codes import (
    BOARD_SHORT,
    STATE_CHOICES,
    US_STATES,
    Board,
    Delivery,
    Outcome,
    Providership,
    YesNo,
)
from .models import CommercialSupport, MocRegistration, ReportingYear, SeriesReport
from .rules import MAX_DESCRIPTION, birth_day_ok, in_quarter_steps, npi_ok

CHECKS = forms.CheckboxSelectMultiple
RADIO = forms.RadioSelect


def _blank(choices):
    return [("", "Not answered"), *choices]


class SeriesReportForm(forms.ModelForm):
    """What the series' coordinators may fill (the office too)."""

    description = forms.CharField(
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_DESCRIPTION}),
        help_text=f"What the series covers, for PARS and CME Finder (at most {MAX_DESCRIPTION:,} characters).",
    )
    delivery = forms.MultipleChoiceField(
        label="Delivery method", choices=Delivery.choices, required=False, widget=CHECKS
    )
    state = forms.ChoiceField(choices=STATE_CHOICES, required=False)
    country = forms.CharField(
        max_length=3, required=False, help_text="Three-letter code, e.g. USA."
    )
    providership = forms.ChoiceField(
        choices=_blank(Providership.choices), required=False, widget=RADIO
    )
    designed = forms.MultipleChoiceField(
        label="Designed to change learners'", choices=Outcome.choices, required=False, widget=CHECKS
    )
    evaluated = forms.MultipleChoiceField(
        label="Evaluated for change in learners'",
        choices=Outcome.choices,
        required=False,
        widget=CHECKS,
    )
    commercial_support = forms.ChoiceField(
        label="Commercial support received?",
        choices=_blank(YesNo.choices),
        required=False,
        widget=RADIO,
    )
    cme_finder = forms.ChoiceField(
        label="List in CME Finder?", choices=_blank(YesNo.choices), required=False, widget=RADIO
    )
    finder_url = forms.URLField(
        label="Activity web address", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = SeriesReport
        fields = [
            "description",
            "delivery",
            "city",
            "state",
            "country",
            "providership",
            "joint_providers",
            "designed",
            "evaluated",
            "commercial_support",
            "cme_finder",
            "finder_fee",
            "finder_registration",
            "finder_url",
        ]
        widgets = {"joint_providers": forms.Textarea(attrs={"rows": 2})}

    def clean_country(self):
        return self.cleaned_data["country"].strip().upper()


class OfficeReportForm(forms.ModelForm):
    """What only the office sets."""

    class Meta:
        model = SeriesReport
        fields = ["accme_activity_id", "state_boards"]
        help_texts = {
            "accme_activity_id": "PARS gives it once the activity is uploaded; learner files need it.",
            "state_boards": "Learners who give their license or NPI (with permission) are reported.",
        }


class SupporterForm(forms.ModelForm):
    class Meta:
        model = CommercialSupport
        fields = ["source", "kind", "amount", "in_kind", "in_kind_other"]


class MocForm(forms.ModelForm):
    url = forms.URLField(
        label="Activity web address", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = MocRegistration
        fields = [
            "board",
            "practice_areas",
            "credit_types",
            "points",
            "fee",
            "registration",
            "url",
            "claim_date",
        ]
        widgets = {
            "practice_areas": forms.Textarea(attrs={"rows": 2}),
            "credit_types": forms.Textarea(attrs={"rows": 2}),
            "claim_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points is not None and not in_quarter_steps(points):
            raise forms.ValidationError("MOC credit is given in steps of 0.25 (e.g. 12.25).")
        return points


SupporterFormSet = inlineformset_factory(
    SeriesReport, CommercialSupport, form=SupporterForm, extra=2, can_delete=True, max_num=50
)
MocFormSet = inlineformset_factory(
    SeriesReport, MocRegistration, form=MocForm, extra=1, can_delete=True, max_num=len(Board)
)


def disable(form) -> None:
    for field in form.fields.values():
        field.disabled = True


# --- learners --------------------------------------------------------------------------------

MONTHS = [("", "Month")] + [(str(m), f"{m:02d}") for m in range(1, 13)]
DAYS = [("", "Day")] + [(str(d), f"{d:02d}") for d in range(1, 32)]


class IdentifiersForm(forms.Form):
    """A learner's identifiers, each with the permission to share it (SPEC §13)."""

    npi = forms.CharField(label="NPI", max_length=10, required=False, help_text="10 digits.")
    birth_month = forms.TypedChoiceField(
        choices=MONTHS, coerce=int, empty_value=None, required=False
    )
    birth_day = forms.TypedChoiceField(choices=DAYS, coerce=int, empty_value=None, required=False)
    license_state = forms.ChoiceField(label="License state", choices=STATE_CHOICES, required=False)
    license_number = forms.CharField(label="License number", max_length=40, required=False)
    state_consent = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provider = settings.PROVIDER_NAME
        self.fields["state_consent"].label = (
            f"I allow {provider} to report my CME credit to my state medical board through ACCME "
            "(with my name, birth month and day, license and NPI)."
        )
        for board in Board.values:
            short = BOARD_SHORT[board]
            self.fields[f"id_{board}"] = forms.CharField(
                label=f"{short} ID", max_length=40, required=False
            )
            self.fields[f"consent_{board}"] = forms.BooleanField(
                label=f"I allow {provider} to report my completions to {short} through ACCME.",
                required=False,
            )

    def board_rows(self):
        return [(BOARD_SHORT[b], self[f"id_{b}"], self[f"consent_{b}"]) for b in Board.values]

    def clean_npi(self):
        npi = self.cleaned_data["npi"].strip().replace(" ", "")
        if npi and not npi_ok(npi):
            raise forms.ValidationError(
                "This is not a valid NPI: 10 digits, the last a check digit (see your NPPES record)."
            )
        return npi

    def clean(self):
        data = super().clean()
        month, day = data.get("birth_month"), data.get("birth_day")
        if (month is None) != (day is None):
            self.add_error("birth_day", "Give both the month and the day of your birth.")
        elif month is not None and not birth_day_ok(month, day):
            self.add_error("birth_day", "That day does not exist in that month.")
        if data.get("license_number", "").strip() and data.get("license_state") not in US_STATES:
            self.add_error("license_state", "Which state issued the license?")
        return data


class ReportingYearForm(forms.ModelForm):
    class Meta:
        model = ReportingYear
        fields = [
            "advertising_exhibits",
            "registration_fees",
            "grants",
            "donations",
            "other_income",
            "expenses",
            "summary_submitted_on",
        ]
        widgets = {"summary_submitted_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if name != "summary_submitted_on" and value is not None and value < 0:
                self.add_error(name, "Amounts cannot be negative.")
        return data


class AnswersForm(forms.Form):
    results = forms.FileField(
        label="Results file",
        help_text="The board results of a learner submission: Excel (.xlsx) or tab- or "
        "comma-separated text, with the learner columns plus Status and Reason.",
    )
