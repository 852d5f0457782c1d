"""The dashboard shows the note of the office's latest COI decision (a rejection's reason): watch
its table too (activities/dashboard/triggers.py; PostgreSQL only). Found missing by the test that
every table a dashboard page reads is watched."""

from django.db import migrations

# Frozen as literal SQL (what activities/dashboard/triggers.py generated when this was written): a
# migration must not change when the app's code does.
INSTALL = r"""
CREATE TABLE IF NOT EXISTS rss_dashboard_generation (n bigint NOT NULL);
INSERT INTO rss_dashboard_generation (n) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM rss_dashboard_generation);
CREATE OR REPLACE FUNCTION rss_dashboard_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- once per transaction: the flag is transaction-local (and undone with a rolled-back savepoint)
  IF current_setting('rss.dashboard_bumped', true) IS DISTINCT FROM '1' THEN
    UPDATE rss_dashboard_generation SET n = n + 1;
    PERFORM set_config('rss.dashboard_bumped', '1', true);
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "disclosures_coireview";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "disclosures_coireview";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "disclosures_coireview";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "disclosures_coireview"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "disclosures_coireview"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "disclosures_coireview"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("disclosures", "CoiReview")._meta.db_table
    schema_editor.execute(
        "\n".join(
            f'DROP TRIGGER IF EXISTS {name} ON "{table}";'
            for name in ("rss_dashboard_insdel", "rss_dashboard_upd", "rss_dashboard_truncate")
        ),
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0007_office_queues_in_activities"),
        ("activities", "0003_dashboard_generation"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
