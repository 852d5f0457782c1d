"""Per-series dashboard generations (issue 21): a change moves the generation of the series it
touches (or of everything), so a page is out of date only when something it shows changed
(activities/dashboard/triggers.py; PostgreSQL only)."""

from django.db import migrations

# Frozen as literal SQL (what activities/dashboard/triggers.py generated when this was written):
# a migration must not change when the app's code does.
INSTALL = r"""
CREATE TABLE IF NOT EXISTS rss_dashboard_generation (n bigint NOT NULL);
INSERT INTO rss_dashboard_generation (n) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM rss_dashboard_generation);
ALTER TABLE rss_dashboard_generation ADD COLUMN IF NOT EXISTS everything bigint NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS rss_dashboard_series_generation (parent_id bigint PRIMARY KEY, n bigint NOT NULL);

CREATE OR REPLACE FUNCTION rss_dashboard_person_parents(people bigint[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT p), '{}') FROM (
    SELECT c.parent_id FROM faculty_assignment a
      JOIN activities_childactivity c ON c.id = a.child_id WHERE a.person_id = ANY(people)
    UNION SELECT parent_id FROM activities_parentrole WHERE person_id = ANY(people)
    UNION SELECT parent_id FROM activities_childactivity WHERE decided_by_id = ANY(people)
  ) AS found(p)
$$;

CREATE OR REPLACE FUNCTION rss_dashboard_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := TG_ARGV[0];
  ids bigint[] := '{}';
  parents bigint[];
  noted text;
  p bigint;
BEGIN
  IF current_setting('rss.dashboard_everything', true) = '1' THEN
    RETURN NULL;
  END IF;
  IF kind = 'everything' THEN
    PERFORM set_config('rss.dashboard_everything', '1', true);
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN ids := ids || (to_jsonb(OLD) ->> TG_ARGV[1])::bigint; END IF;
  IF TG_OP <> 'DELETE' THEN ids := ids || (to_jsonb(NEW) ->> TG_ARGV[1])::bigint; END IF;
  IF kind = 'parent' THEN
    parents := ids;
  ELSIF kind = 'child' THEN
    parents := ARRAY(SELECT parent_id FROM activities_childactivity WHERE id = ANY(ids));
  ELSIF kind = 'assignment' THEN
    parents := ARRAY(SELECT c.parent_id FROM faculty_assignment a
      JOIN activities_childactivity c ON c.id = a.child_id WHERE a.id = ANY(ids));
  ELSIF kind = 'person' THEN
    parents := rss_dashboard_person_parents(ids);
  ELSIF kind = 'disclosure' THEN
    parents := rss_dashboard_person_parents(
      ARRAY(SELECT person_id FROM disclosures_disclosure WHERE id = ANY(ids)));
  ELSE
    RAISE EXCEPTION 'rss_dashboard_note: unknown kind %', kind;
  END IF;
  noted := coalesce(current_setting('rss.dashboard_series', true), '');
  FOREACH p IN ARRAY parents LOOP
    IF p IS NOT NULL AND position(',' || p || ',' IN noted) = 0 THEN
      noted := (CASE WHEN noted = '' THEN ',' ELSE noted END) || p || ',';
    END IF;
  END LOOP;
  IF length(noted) > 20000 THEN
    PERFORM set_config('rss.dashboard_everything', '1', true);
  END IF;
  PERFORM set_config('rss.dashboard_series', noted, true);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rss_dashboard_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g bigint;
  noted text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM set_config('rss.dashboard_everything', '1', true);
  END IF;
  -- once per transaction: the flag is transaction-local (and undone with a rolled-back savepoint)
  IF current_setting('rss.dashboard_bumped', true) IS DISTINCT FROM '1' THEN
    PERFORM set_config('rss.dashboard_bumped', '1', true);
    UPDATE rss_dashboard_generation SET n = n + 1 RETURNING n INTO g;
    IF current_setting('rss.dashboard_everything', true) = '1' THEN
      UPDATE rss_dashboard_generation SET everything = g;
    ELSE
      noted := trim(both ',' from coalesce(current_setting('rss.dashboard_series', true), ''));
      IF noted <> '' THEN
        INSERT INTO rss_dashboard_series_generation AS s (parent_id, n)
          SELECT DISTINCT x::bigint, g FROM unnest(string_to_array(noted, ',')) AS x ORDER BY 1
          ON CONFLICT (parent_id) DO UPDATE SET n = EXCLUDED.n;
      END IF;
    END IF;
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_department";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_department"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('everything');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_department"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('everything');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_specialty";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_specialty";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_specialty"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('everything');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_specialty"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('everything');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_parentactivity";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_parentactivity";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_parentactivity"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('everything');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_parentactivity"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('everything');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_parentactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_parentactivity_specialties";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_parentactivity_specialties"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('parent', 'parentactivity_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_parentactivity_specialties"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('parent', 'parentactivity_id');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_parentrole";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_parentrole";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_parentrole"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('everything');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_parentrole"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('everything');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_childactivity";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_childactivity";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_childactivity"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('parent', 'parent_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_childactivity"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('parent', 'parent_id');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_childactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_childactivity_specialties";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_childactivity_specialties"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('child', 'childactivity_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_childactivity_specialties"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('child', 'childactivity_id');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_childreview";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_childreview";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_childreview"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('child', 'child_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_childreview"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('child', 'child_id');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_comment";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_comment";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_comment"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('child', 'child_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_comment"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('child', 'child_id');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_closureday";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_closureday";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "activities_closureday"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('everything');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "activities_closureday"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('everything');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "faculty_person";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "faculty_person";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "faculty_person"
  FOR EACH ROW WHEN (ROW(OLD."first_name", OLD."last_name", OLD."email") IS DISTINCT FROM ROW(NEW."first_name", NEW."last_name", NEW."email")) EXECUTE FUNCTION rss_dashboard_note('person', 'id');
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "faculty_person"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (ROW(OLD."first_name", OLD."last_name", OLD."email") IS DISTINCT FROM ROW(NEW."first_name", NEW."last_name", NEW."email"))
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "faculty_person"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "faculty_assignment";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "faculty_assignment"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('child', 'child_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "faculty_assignment"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('child', 'child_id');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "disclosures_disclosure";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "disclosures_disclosure";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "disclosures_disclosure"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('person', 'person_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "disclosures_disclosure"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('person', 'person_id');
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
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "disclosures_financialrelationship";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "disclosures_financialrelationship";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "disclosures_financialrelationship"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('disclosure', 'disclosure_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "disclosures_financialrelationship"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('disclosure', 'disclosure_id');
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "disclosures_financialrelationship"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "disclosures_financialrelationship"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "disclosures_financialrelationship"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "disclosures_disclosurerequest";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "disclosures_disclosurerequest";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "disclosures_disclosurerequest";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "disclosures_disclosurerequest";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "disclosures_disclosurerequest";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "disclosures_disclosurerequest"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('person', 'person_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "disclosures_disclosurerequest"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('person', 'person_id');
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "disclosures_disclosurerequest"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "disclosures_disclosurerequest"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "disclosures_disclosurerequest"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();

DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "disclosures_coireview";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "disclosures_coireview";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "disclosures_coireview";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "disclosures_coireview";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "disclosures_coireview";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "disclosures_coireview"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION rss_dashboard_note('assignment', 'assignment_id');
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "disclosures_coireview"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note('assignment', 'assignment_id');
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "disclosures_coireview"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION rss_dashboard_bump();
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "disclosures_coireview"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "disclosures_coireview"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();
"""

UNINSTALL = r"""
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_department";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_specialty";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_specialty";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_parentactivity";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_parentactivity";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_parentactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_parentactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_parentrole";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_parentrole";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_childactivity";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_childactivity";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_childactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_childactivity_specialties";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_childreview";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_childreview";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_comment";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_comment";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "activities_closureday";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "activities_closureday";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "faculty_person";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "faculty_person";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "faculty_assignment";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "disclosures_disclosure";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "disclosures_disclosure";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "disclosures_financialrelationship";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "disclosures_financialrelationship";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "disclosures_disclosurerequest";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "disclosures_disclosurerequest";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "disclosures_coireview";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "disclosures_coireview";
DROP FUNCTION IF EXISTS rss_dashboard_note();
DROP FUNCTION IF EXISTS rss_dashboard_person_parents(bigint[]);
DROP TABLE IF EXISTS rss_dashboard_series_generation;
ALTER TABLE rss_dashboard_generation DROP COLUMN IF EXISTS everything;
CREATE OR REPLACE FUNCTION rss_dashboard_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- once per transaction: the flag is transaction-local (and undone with a rolled-back savepoint)
  IF current_setting('rss.dashboard_bumped', true) IS DISTINCT FROM '1' THEN
    UPDATE rss_dashboard_generation SET n = n + 1;
    PERFORM set_config('rss.dashboard_bumped', '1', true);
  END IF;
  RETURN NULL;
END $$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0008_office_queues_in_activities"),
        ("disclosures", "0008_coi_review_freshness"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
