"""The dashboard shows when a disclosure was last requested: watch the new table too
(activities/freshness.py; PostgreSQL only)."""

from django.db import migrations

from activities import freshness

# Frozen here, as in activities/migrations/0003_dashboard_generation.py.
WATCHED = (("disclosures.DisclosureRequest", ()),)


def install(apps, schema_editor):
    freshness.install(apps, schema_editor, WATCHED)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("disclosures", "DisclosureRequest")._meta.db_table
    schema_editor.execute(
        "\n".join(
            f'DROP TRIGGER IF EXISTS {name} ON "{table}";'
            for name in ("rss_dashboard_insdel", "rss_dashboard_upd", "rss_dashboard_truncate")
        ),
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0005_disclosure_requests"),
        ("activities", "0003_dashboard_generation"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
