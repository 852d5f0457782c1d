"""Claim.year: the series' year kept on the claim, so a transcript reads one year's claims (issue
21). Backfilled in one statement; indexed by (learner, year) for counted claims, carrying what
the transcript's totals read of a claim."""

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE credit_claim SET year = p.year "
            "FROM activities_childactivity c JOIN activities_parentactivity p ON p.id = c.parent_id "
            "WHERE c.id = credit_claim.child_id"
        )
        return
    Claim = apps.get_model("credit", "Claim")
    ChildActivity = apps.get_model("activities", "ChildActivity")
    Claim.objects.update(
        year=Subquery(
            ChildActivity.objects.filter(pk=OuterRef("child_id")).values("parent__year")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_free_text_limits"),
        ("credit", "0009_attendance_imports_kiosk_and_voided_claims"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="year",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="claim",
            name="year",
            field=models.PositiveSmallIntegerField(),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=Q(("voided_at__isnull", True)),
                fields=["learner", "year"],
                include=(
                    "child",
                    "credit_hours",
                    "awarded_at",
                    "evaluation_required",
                    "evaluated_at",
                    "revoked_at",
                ),
                name="claim_learner_year_idx",
            ),
        ),
    ]
