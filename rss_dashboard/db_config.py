"""DATABASES from the environment (README "Configuration", docs/scaling.md).

- `DATABASE_URL` unset: SQLite in the project folder (the embedded default).
- `DATABASE_REPLICA_URL`: a second alias, "replica", a streaming replica of the same database;
  `rss_dashboard.replica.ReplicaRouter` sends the reads of reports and exports there, everything
  else (and every read of a request that writes) stays on "default". In tests it mirrors default.
- `DATABASE_POOL=1`: psycopg 3's connection pool in each process (`psycopg[pool]`), sized by
  `DATABASE_POOL_MIN_SIZE` / `DATABASE_POOL_MAX_SIZE` / `DATABASE_POOL_TIMEOUT` (seconds to wait
  for a free connection). A pool replaces persistent connections (CONN_MAX_AGE 0).
- `DATABASE_PGBOUNCER=1`: the URLs point at PgBouncer in transaction mode: no server-side cursors
  (a cursor would outlive the transaction PgBouncer pins it to), no persistent connections, and no
  `options` startup parameter (PgBouncer refuses it; set random_page_cost on the database instead).
Pool and PgBouncer are alternatives: both at once is refused.
"""

from collections.abc import Mapping
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_str, env_url

SCHEMES = ("postgres", "postgresql", "sqlite", "pgsql", "postgis")
REPLICA = "replica"
# The working set is in memory (or on SSD): PostgreSQL's default random_page_cost of 4 makes the
# planner hash-join whole tables (e.g. every person for a dashboard page's 80 assignments) where an
# index lookup is 3x faster (docs/performance.md).
PLANNER_OPTIONS = "-c random_page_cost=1.1"
# Persistent connections (without pool or PgBouncer), checked at the start of each request: a
# connection PostgreSQL dropped (restart, failover, pg_terminate_backend) is replaced instead of
# answering 500.
CONN_MAX_AGE = 60


def database_settings(base_dir) -> dict[str, dict[str, Any]]:
    """The DATABASES setting for this environment (a bad value stops the start, naming it)."""
    url = env_url("DATABASE_URL", "", schemes=SCHEMES)
    replica_url = env_url("DATABASE_REPLICA_URL", "", schemes=SCHEMES)
    pool = env_bool("DATABASE_POOL", False)
    pgbouncer = env_bool("DATABASE_PGBOUNCER", False)
    if not url:
        if replica_url or pool or pgbouncer:
            raise ImproperlyConfigured(
                "DATABASE_REPLICA_URL, DATABASE_POOL and DATABASE_PGBOUNCER need DATABASE_URL "
                "(PostgreSQL)."
            )
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": env_str("SQLITE_PATH", str(base_dir / "db.sqlite3")),
                "OPTIONS": {"timeout": 20},
            }
        }
    if pool and pgbouncer:
        raise ImproperlyConfigured(
            "DATABASE_POOL and DATABASE_PGBOUNCER are alternatives: PgBouncer already pools."
        )
    pool_options = (
        {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2, minimum=0),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10, minimum=1),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1),
        }
        if pool
        else None
    )
    if pool_options and pool_options["min_size"] > pool_options["max_size"]:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MIN_SIZE={pool_options['min_size']} is above "
            f"DATABASE_POOL_MAX_SIZE={pool_options['max_size']}."
        )
    databases = {"default": _one(url, "DATABASE_URL", pool_options, pgbouncer)}
    if replica_url:
        replica = _one(replica_url, "DATABASE_REPLICA_URL", pool_options, pgbouncer)
        if replica["ENGINE"] != databases["default"]["ENGINE"]:
            raise ImproperlyConfigured(
                "DATABASE_REPLICA_URL must use the same engine as DATABASE_URL."
            )
        # Tests have no second server: the replica reads the test database through a second
        # connection (committed data only, as a real replica would see it).
        replica["TEST"] = {"MIRROR": "default"}
        databases[REPLICA] = replica
    return databases


def _one(url: str, name: str, pool_options: Mapping | None, pgbouncer: bool) -> dict[str, Any]:
    pooled = bool(pool_options) or pgbouncer
    config: dict[str, Any] = dict(
        dj_database_url.parse(
            url, conn_max_age=0 if pooled else CONN_MAX_AGE, conn_health_checks=not pooled
        )
    )
    postgres = config["ENGINE"].endswith("postgresql")
    if pooled and not postgres:
        raise ImproperlyConfigured(f"DATABASE_POOL / DATABASE_PGBOUNCER need PostgreSQL ({name}).")
    if not postgres:
        return config
    options = config.setdefault("OPTIONS", {})
    if pgbouncer:
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        options["options"] = PLANNER_OPTIONS
    if pool_options:
        options["pool"] = dict(pool_options)
    return config
