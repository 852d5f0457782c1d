"""The triggers that move the dashboard generations (activities/dashboard/cache.py).

Three numbers, all moved at COMMIT by the transaction that changed something a page shows:
- `rss_dashboard_generation.n`: every such commit adds one (the commit's number);
- `rss_dashboard_generation.everything`: the number of the last commit that changed something
  every page may show (a department, a specialty, a series itself, a role, a closure day);
- `rss_dashboard_series_generation(parent_id, n)`: the number of the last commit that changed
  something shown on the rows of that series only (its sessions, their faculty, comments, reviews;
  a person's name or disclosure counts for every series the person is on: assigned, in a role, or
  the one who decided).

While a transaction writes, row triggers note which series it touched (or "everything") in
transaction-local settings (undone with a rolled-back savepoint); at commit a deferred trigger
takes the counter row's lock (so commits that change pages are numbered in commit order), adds
one, and writes that number to the series noted. Readers read the numbers first and data after.

`WATCHED` is the list of every table a dashboard page reads (tests/activities/
test_dashboard_freshness.py checks the SQL of real pages against it, and that the migrations
installed exactly these triggers). The migrations keep their own frozen SQL; to watch another
table, add it here and write a migration with the SQL `trigger_sql` gives for it.
"""

TABLE = "rss_dashboard_generation"
SERIES_TABLE = "rss_dashboard_series_generation"

# What a changed row touches: "everything", or the series found from one of its columns:
# "parent" (a series id), "child" (a session id), "assignment", "person", "disclosure".
EVERYTHING = ("everything", "")

# (model label, the columns whose change counts (() means every column), what it touches).
# People count only for what the dashboard prints of them; their roles are part of the cache key
# (the signed-in user).
WATCHED: tuple[tuple[str, tuple[str, ...], tuple[str, str]], ...] = (
    ("activities.Department", (), EVERYTHING),
    ("activities.Specialty", (), EVERYTHING),
    ("activities.ParentActivity", (), EVERYTHING),  # names in every user's series list
    ("activities.ParentActivity_specialties", (), ("parent", "parentactivity_id")),
    ("activities.ParentRole", (), EVERYTHING),  # who sees and may change which series
    ("activities.ChildActivity", (), ("parent", "parent_id")),
    ("activities.ChildActivity_specialties", (), ("child", "childactivity_id")),
    ("activities.ChildReview", (), ("child", "child_id")),
    ("activities.Comment", (), ("child", "child_id")),
    ("activities.ClosureDay", (), EVERYTHING),  # business days: every 3-by-5 date
    ("faculty.Person", ("first_name", "last_name", "email"), ("person", "id")),
    ("faculty.Assignment", (), ("child", "child_id")),
    ("disclosures.Disclosure", (), ("person", "person_id")),
    ("disclosures.FinancialRelationship", (), ("disclosure", "disclosure_id")),
    ("disclosures.DisclosureRequest", (), ("person", "person_id")),  # "requested <date>"
    ("disclosures.CoiReview", (), ("assignment", "assignment_id")),  # a rejection's note
)

# Past this many characters of noted series a transaction counts as changing everything.
MAX_NOTED = 20000

FUNCTIONS = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (n bigint NOT NULL);
INSERT INTO {TABLE} (n) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM {TABLE});
ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS everything bigint NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS {SERIES_TABLE} (parent_id bigint PRIMARY KEY, n bigint NOT NULL);

CREATE OR REPLACE FUNCTION rss_dashboard_person_parents(people bigint[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT p), '{{}}') FROM (
    SELECT c.parent_id FROM faculty_assignment a
      JOIN activities_childactivity c ON c.id = a.child_id WHERE a.person_id = ANY(people)
    UNION SELECT parent_id FROM activities_parentrole WHERE person_id = ANY(people)
    UNION SELECT parent_id FROM activities_childactivity WHERE decided_by_id = ANY(people)
  ) AS found(p)
$$;

CREATE OR REPLACE FUNCTION rss_dashboard_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := TG_ARGV[0];
  ids bigint[] := '{{}}';
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
  IF length(noted) > {MAX_NOTED} THEN
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
    UPDATE {TABLE} SET n = n + 1 RETURNING n INTO g;
    IF current_setting('rss.dashboard_everything', true) = '1' THEN
      UPDATE {TABLE} SET everything = g;
    ELSE
      noted := trim(both ',' from coalesce(current_setting('rss.dashboard_series', true), ''));
      IF noted <> '' THEN
        INSERT INTO {SERIES_TABLE} AS s (parent_id, n)
          SELECT DISTINCT x::bigint, g FROM unnest(string_to_array(noted, ',')) AS x ORDER BY 1
          ON CONFLICT (parent_id) DO UPDATE SET n = EXCLUDED.n;
      END IF;
    END IF;
  END IF;
  RETURN NULL;
END $$;
"""


def trigger_sql(table: str, columns: tuple[str, ...], touches: tuple[str, str]) -> str:
    kind, column = touches
    args = f"'{kind}'" + (f", '{column}'" if column else "")
    if columns:
        old = ", ".join(f'OLD."{c}"' for c in columns)
        new = ", ".join(f'NEW."{c}"' for c in columns)
        changed = f"(ROW({old}) IS DISTINCT FROM ROW({new}))"
        inserts = ""  # a new person shows nowhere until assigned (which counts)
        note_inserts = ""
    else:
        changed = "(OLD.* IS DISTINCT FROM NEW.*)"
        inserts = f"""
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "{table}"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();"""
        note_inserts = f"""
CREATE TRIGGER rss_dashboard_note_insdel AFTER INSERT OR DELETE ON "{table}"
  FOR EACH ROW EXECUTE FUNCTION rss_dashboard_note({args});"""
    return f"""
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "{table}";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "{table}";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "{table}";
DROP TRIGGER IF EXISTS rss_dashboard_note_insdel ON "{table}";
DROP TRIGGER IF EXISTS rss_dashboard_note_upd ON "{table}";
CREATE TRIGGER rss_dashboard_note_upd AFTER UPDATE ON "{table}"
  FOR EACH ROW WHEN {changed} EXECUTE FUNCTION rss_dashboard_note({args});{note_inserts}
CREATE CONSTRAINT TRIGGER rss_dashboard_upd AFTER UPDATE ON "{table}"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN {changed}
  EXECUTE FUNCTION rss_dashboard_bump();{inserts}
CREATE TRIGGER rss_dashboard_truncate AFTER TRUNCATE ON "{table}"
  FOR EACH STATEMENT EXECUTE FUNCTION rss_dashboard_bump();
"""


def db_table(apps, label: str) -> str:
    app_label, name = label.split(".")
    model_name, _, field = name.partition("_")
    model = apps.get_model(app_label, model_name)
    if field:
        return model._meta.get_field(field).remote_field.through._meta.db_table
    return model._meta.db_table


def install_sql(apps, watched=WATCHED) -> str:
    """The SQL that installs the functions and every watched table's triggers (to freeze into a
    migration)."""
    return FUNCTIONS + "".join(
        trigger_sql(db_table(apps, label), cols, touches) for label, cols, touches in watched
    )
