"""The disclosure form (SPEC §5) and the reviewer's COI decision form (SPEC §6)."""

from django import forms

from .rules import (
    MitigationStep,
    Nature,
    OwnerEmployeeException,
    ReviewDecision,
    allowed_decisions,
    owner_employee_problems,
    validate_review,
)
from .services import RelationshipInput

YES_NO = [("yes", "Yes"), ("no", "No")]
MAX_RELATIONSHIPS = 40


def _yes(value: str) -> bool:
    return value == "yes"


class RelationshipForm(forms.Form):
    company_name = forms.CharField(
        label="Ineligible company",
        max_length=255,
        required=False,
        widget=forms.TextInput(
            attrs={"list": "company-list", "autocomplete": "off", "class": "form-control"}
        ),
    )
    nature = forms.ChoiceField(
        label="Nature of the relationship",
        choices=[("", "Choose...")] + Nature.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    state = forms.ChoiceField(
        label="Ended or ongoing",
        choices=[("ongoing", "Ongoing"), ("ended", "Ended")],
        initial="ongoing",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean(self):
        data = super().clean()
        company = " ".join((data.get("company_name") or "").split())
        data["company_name"] = company
        if company and not data.get("nature"):
            self.add_error("nature", "Choose the nature of the relationship.")
        if data.get("nature") and not company:
            self.add_error("company_name", "Enter the company's name.")
        return data

    def as_input(self) -> RelationshipInput | None:
        data = self.cleaned_data
        if not data.get("company_name"):
            return None
        return RelationshipInput(
            company_name=data["company_name"],
            nature=data["nature"],
            has_ended=data.get("state") == "ended",
        )


class BaseRelationshipFormSet(forms.BaseFormSet):
    def relationships(self) -> list[RelationshipInput]:
        rows = [form.as_input() for form in self.forms if form.cleaned_data]
        return [row for row in rows if row is not None]


def relationship_formset(extra: int):
    """A formset with `extra` blank rows after the initial ones (the add-row button adds one)."""
    return forms.formset_factory(
        RelationshipForm,
        formset=BaseRelationshipFormSet,
        extra=extra,
        max_num=MAX_RELATIONSHIPS,
        validate_max=True,
        absolute_max=MAX_RELATIONSHIPS,
    )


class DisclosureForm(forms.Form):
    nothing_to_disclose = forms.BooleanField(
        required=False,
        label=(
            "I have nothing to disclose: I have had no financial relationship with any "
            "ineligible company in the past 24 months."
        ),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    is_owner = forms.TypedChoiceField(
        label=(
            "Are you an owner of an ineligible company, or do you hold an ownership interest in "
            "one other than publicly traded stock?"
        ),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    is_employee = forms.TypedChoiceField(
        label="Are you employed by an ineligible company?",
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    attested = forms.BooleanField(
        required=True,
        label=(
            "I attest that this disclosure is complete and accurate, and I will tell the office "
            "if it changes before the activities I take part in."
        ),
        error_messages={"required": "Confirm the attestation to submit your disclosure."},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def check_with(self, relationships: list[RelationshipInput] | None) -> None:
        """Errors that need both the questions and the rows (None: the rows have errors)."""
        data = getattr(self, "cleaned_data", None)
        if data is None or relationships is None:
            return
        nothing = data.get("nothing_to_disclose")
        if nothing and relationships:
            self.add_error(
                "nothing_to_disclose",
                "You listed relationships: remove them or untick 'nothing to disclose'.",
            )
        elif not nothing and not relationships:
            self.add_error(
                "nothing_to_disclose",
                "List at least one relationship below, or tick 'nothing to disclose'.",
            )
        for error in owner_employee_problems(
            is_owner=data.get("is_owner"),
            is_employee=data.get("is_employee"),
            natures=[r.nature for r in relationships],
        ):
            self.add_error(None, error)


# The review page's keyboard keys for the decisions (static/app/office.js): fixed per decision,
# so "2" is always "Approved" whichever decisions a disclosure allows.
DECISION_KEYS = {
    ReviewDecision.MITIGATED: "1",
    ReviewDecision.APPROVED: "2",
    ReviewDecision.APPROVED_WITH_EXCEPTIONS: "3",
    ReviewDecision.REJECTED: "4",
}


class CoiReviewForm(forms.Form):
    disclosure_id = forms.IntegerField(widget=forms.HiddenInput)
    relevant = forms.BooleanField(
        required=False,
        label="Relevant: the content relates to the company's business lines or products",
    )
    mitigation_steps = forms.MultipleChoiceField(
        choices=MitigationStep.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Mitigation steps taken",
    )
    decision = forms.ChoiceField(
        choices=ReviewDecision.choices, widget=forms.RadioSelect, label="Decision"
    )
    exception = forms.ChoiceField(
        choices=OwnerEmployeeException.choices,
        required=False,
        label="ACCME exception (owners and employees of an ineligible company only)",
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the decision. Needed when a step is 'Other'; say why on a rejection.",
    )
    apply_to_series = forms.BooleanField(
        required=False,
        label="Apply to all of this person's upcoming sessions in this series",
    )

    def __init__(
        self,
        *args,
        has_relationships: bool,
        has_owner_or_employee: bool,
        latest_disclosure_id: int | None = None,
        stale_message: str = "",
        **kwargs,
    ):
        self.latest_disclosure_id = latest_disclosure_id
        self.stale_message = stale_message
        self.has_relationships = has_relationships
        self.has_owner_or_employee = has_owner_or_employee
        super().__init__(*args, **kwargs)
        # Only the decisions this disclosure allows are offered; the field still accepts every
        # decision so that a tampered one gets the rule's message, not "not a valid choice".
        self.allowed = allowed_decisions(
            has_relationships=has_relationships, has_owner_or_employee=has_owner_or_employee
        )
        self.fields["decision"].widget.choices = [(d.value, d.label) for d in self.allowed]
        if len(self.allowed) == 1:
            self.initial.setdefault("decision", self.allowed[0].value)

    def decision_options(self) -> list[dict]:
        """The offered decisions with their keyboard key (1-4, fixed per decision)."""
        chosen = self["decision"].value()
        return [
            {
                "value": d.value,
                "label": d.label,
                "key": DECISION_KEYS[d],
                "id": f"id_decision_{d.value}",
                "checked": chosen == d.value,
            }
            for d in self.allowed
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.latest_disclosure_id is not None and (
            data.get("disclosure_id") != self.latest_disclosure_id
        ):
            # The choices were built for the newer disclosure: judge nothing against it unread.
            raise forms.ValidationError(self.stale_message)
        for error in validate_review(
            decision=data.get("decision"),
            has_relationships=self.has_relationships,
            has_owner_or_employee=self.has_owner_or_employee,
            exception=data.get("exception"),
            relevant=bool(data.get("relevant")),
            mitigation_steps=data.get("mitigation_steps") or [],
            note=data.get("note") or "",
        ):
            self.add_error(None, error)
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Coordinators read this.",
    )
