"""The dashboard generation counter and its triggers (activities/dashboard/cache.py and
triggers.py); PostgreSQL only."""

from django.db import migrations

# Frozen as literal SQL (what the code generated when this was written, for the tables watched
# then): a migration must not change when the app's code does. Later tables come in later
# migrations (disclosures 0006 for disclosure requests).
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

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_department";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_department"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_department"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_department"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_specialty";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_specialty";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_specialty";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_specialty"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_specialty"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_specialty"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_parentactivity";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_parentactivity";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_parentactivity";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_parentactivity"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_parentactivity"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_parentactivity"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_parentactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_parentactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_parentactivity_specialties";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_parentactivity_specialties"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_parentactivity_specialties"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_parentactivity_specialties"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_parentrole";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_parentrole";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_parentrole";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_parentrole"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_parentrole"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_parentrole"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_childactivity";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_childactivity";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_childactivity";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_childactivity"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_childactivity"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_childactivity"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_childactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_childactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_childactivity_specialties";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_childactivity_specialties"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_childactivity_specialties"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_childactivity_specialties"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_childreview";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_childreview";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_childreview";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_childreview"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_childreview"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_childreview"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_comment";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_comment";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_comment";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_comment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_comment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_comment"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_closureday";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_closureday";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_closureday";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "activities_closureday"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "activities_closureday"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "activities_closureday"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "faculty_person";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "faculty_person";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "faculty_person";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "faculty_person"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (ROW(OLD."first_name", OLD."last_name", OLD."email") IS DISTINCT FROM ROW(NEW."first_name", NEW."last_name", NEW."email"))
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "faculty_person"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "faculty_assignment";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "faculty_assignment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "faculty_assignment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "faculty_assignment"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "disclosures_disclosure";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "disclosures_disclosure";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "disclosures_disclosure";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "disclosures_disclosure"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "disclosures_disclosure"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "disclosures_disclosure"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "disclosures_financialrelationship";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "disclosures_financialrelationship";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "disclosures_financialrelationship";
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "disclosures_financialrelationship"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "disclosures_financialrelationship"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "disclosures_financialrelationship"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();
"""

UNINSTALL = r"""
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_specialty";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_specialty";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_specialty";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_parentactivity";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_parentactivity";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_parentactivity";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_parentactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_parentactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_parentactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_parentrole";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_parentrole";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_parentrole";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_childactivity";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_childactivity";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_childactivity";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_childactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_childactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_childactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_childreview";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_childreview";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_childreview";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_comment";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_comment";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_comment";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_closureday";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_closureday";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_closureday";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "faculty_person";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "faculty_person";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "faculty_person";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "disclosures_disclosure";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "disclosures_disclosure";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "disclosures_disclosure";
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "disclosures_financialrelationship";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "disclosures_financialrelationship";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "disclosures_financialrelationship";
DROP FUNCTION IF EXISTS rss_dashboard_bump();
DROP TABLE IF EXISTS rss_dashboard_generation;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_initial"),
        ("faculty", "0001_initial"),
        ("disclosures", "0003_office_screens"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
