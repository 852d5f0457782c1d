"""The site-wide evaluation template: what a series' evaluation starts from (issue 17)."""

from django.db import migrations

QUESTIONS = [
    ("rating", "The session met its stated learning objectives."),
    ("rating", "The content was balanced and free of commercial bias."),
    ("rating", "What I learned in this session will change my practice."),
    ("text", "What will you do differently in your practice?"),
]


def create_template(apps, schema_editor):
    Form = apps.get_model("credit", "EvaluationForm")
    Question = apps.get_model("credit", "EvaluationQuestion")
    if Form.objects.filter(parent__isnull=True).exists():
        return
    form = Form.objects.create(parent=None, required=False)
    for position, (kind, text) in enumerate(QUESTIONS, start=1):
        Question.objects.create(form=form, position=position, kind=kind, text=text)


class Migration(migrations.Migration):
    dependencies = [("credit", "0007_evaluations_certificates_revocation")]

    operations = [migrations.RunPython(create_template, migrations.RunPython.noop)]
