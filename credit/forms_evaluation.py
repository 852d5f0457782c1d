from django import forms

from .models_evaluation import MAX_QUESTIONS, QUESTION_CHARS, QuestionKind
from .rules_evaluation import QuestionSpec, question_errors


class EvaluationEditForm(forms.Form):
    """Five question slots (kind and words; an empty slot is no question) and the requirement."""

    required = forms.BooleanField(
        required=False,
        label="Require the evaluation before credit",
        help_text="A claim becomes credit only after the learner's evaluation of the session "
        "(claims made before this is switched on are not affected).",
    )

    def __init__(self, *args, template: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if template:
            del self.fields["required"]
        for i in range(1, MAX_QUESTIONS + 1):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                choices=QuestionKind.choices,
                initial=QuestionKind.RATING,
                label=f"Question {i}: kind",
            )
            self.fields[f"text_{i}"] = forms.CharField(
                required=False, max_length=QUESTION_CHARS, label=f"Question {i}: words"
            )

    @property
    def slots(self):
        return [(self[f"kind_{i}"], self[f"text_{i}"]) for i in range(1, MAX_QUESTIONS + 1)]

    def questions(self) -> list[QuestionSpec]:
        return [
            QuestionSpec(self.cleaned_data[f"kind_{i}"], self.cleaned_data[f"text_{i}"].strip())
            for i in range(1, MAX_QUESTIONS + 1)
            if self.cleaned_data.get(f"text_{i}", "").strip()
        ]

    def clean(self):
        data = super().clean()
        if not self.errors:
            for error in question_errors(self.questions()):
                self.add_error(None, error)
        return data

    @staticmethod
    def initial_for(questions, required: bool = False) -> dict:
        initial = {"required": required}
        for i, q in enumerate(questions, start=1):
            initial[f"kind_{i}"] = q.kind
            initial[f"text_{i}"] = q.text
        return initial
