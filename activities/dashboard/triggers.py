"""The triggers that move the dashboard generation (activities/dashboard/cache.py).

`WATCHED` is the list of every table a dashboard page reads (tests/activities/
test_dashboard_freshness.py checks the SQL of real pages against it, and that the migrations
installed exactly these triggers). The migrations keep their own frozen SQL; to watch another
table, add it here and write a migration with the SQL `trigger_sql` gives for it.
"""

TABLE = "rss_dashboard_generation"

# (model label, the columns whose change counts; () means every column). People count only for
# what the dashboard prints of them; their roles are part of the cache key (the signed-in user).
WATCHED: tuple[tuple[str, tuple[str, ...]], ...] = (
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
    ("disclosures.DisclosureRequest", ()),  # "requested <date>" on the faculty and planner lines
    ("disclosures.CoiReview", ()),  # a rejection's note on the faculty line
)

FUNCTIONS = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (n bigint NOT NULL);
INSERT INTO {TABLE} (n) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM {TABLE});
CREATE OR REPLACE FUNCTION rss_dashboard_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- once per transaction: the flag is transaction-local (and undone with a rolled-back savepoint)
  IF current_setting('rss.dashboard_bumped', true) IS DISTINCT FROM '1' THEN
    UPDATE {TABLE} SET n = n + 1;
    PERFORM set_config('rss.dashboard_bumped', '1', true);
  END IF;
  RETURN NULL;
END $$;
"""


def trigger_sql(table: str, columns: tuple[str, ...]) -> str:
    if columns:
        old = ", ".join(f'OLD."{c}"' for c in columns)
        new = ", ".join(f'NEW."{c}"' for c in columns)
        changed = f"(ROW({old}) IS DISTINCT FROM ROW({new}))"
        inserts = ""  # a new person shows nowhere until assigned (which counts)
    else:
        changed = "(OLD.* IS DISTINCT FROM NEW.*)"
        inserts = f"""
CREATE CONSTRAINT TRIGGER rss_dashboard_insdel AFTER INSERT OR DELETE ON "{table}"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rss_dashboard_bump();"""
    return f"""
DROP TRIGGER IF EXISTS rss_dashboard_insdel ON "{table}";
DROP TRIGGER IF EXISTS rss_dashboard_upd ON "{table}";
DROP TRIGGER IF EXISTS rss_dashboard_truncate ON "{table}";
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


def install(apps, schema_editor, watched=WATCHED) -> None:
    """Create the counter and its triggers (a migration's RunPython; PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = [FUNCTIONS]
    statements += [trigger_sql(db_table(apps, label), cols) for label, cols in watched]
    schema_editor.execute("\n".join(statements), params=None)


def uninstall(apps, schema_editor, watched=WATCHED) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = []
    for label, _cols in watched:
        table = db_table(apps, label)
        for name in ("rss_dashboard_insdel", "rss_dashboard_upd", "rss_dashboard_truncate"):
            statements.append(f'DROP TRIGGER IF EXISTS {name} ON "{table}";')
    statements.append("DROP FUNCTION IF EXISTS rss_dashboard_bump();")
    statements.append(f"DROP TABLE IF EXISTS {TABLE};")
    schema_editor.execute("\n".join(statements), params=None)
