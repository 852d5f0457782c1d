"""The dashboard generation counter and its triggers (activities/freshness.py); PostgreSQL only."""

from django.db import migrations

from activities import freshness

# Frozen here: a later change to the watched tables is a new migration calling install() again.
WATCHED = (
    ("activities.Department", ()),
    ("activities.Specialty", ()),
    ("activities.ParentActivity", ()),
    ("activities.ParentActivity_specialties", ()),
    ("activities.ParentRole", ()),
    ("activities.ChildActivity", ()),
    ("activities.ChildActivity_specialties", ()),
    ("activities.ChildReview", ()),
    ("activities.Comment", ()),
    ("activities.ClosureDay", ()),
    ("faculty.Person", ("first_name", "last_name", "email")),
    ("faculty.Assignment", ()),
    ("disclosures.Disclosure", ()),
    ("disclosures.FinancialRelationship", ()),
)


def install(apps, schema_editor):
    freshness.install(apps, schema_editor, WATCHED)


def uninstall(apps, schema_editor):
    freshness.uninstall(apps, schema_editor, WATCHED)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_initial"),
        ("faculty", "0001_initial"),
        ("disclosures", "0003_office_screens"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
