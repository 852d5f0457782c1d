"""The read replica (DATABASE_REPLICA_URL) and the pool settings (rss_dashboard/db_config.py,
rss_dashboard/replica.py): reports and exports read from the replica, writes never go there, and
every read of a request that wrote goes to the primary."""

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rss_dashboard.db_config import database_settings
from rss_dashboard.replica import REPORT_VIEWS, replica_reads
from tests.personas import login

BASE = Path("/srv/rss")
PG = "postgres://rss:pw@db:5432/rss"
REPLICA_URL = "postgres://rss:pw@replica:5432/rss"
ENV_NAMES = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "DATABASE_POOL",
    "DATABASE_POOL_MIN_SIZE",
    "DATABASE_POOL_MAX_SIZE",
    "DATABASE_POOL_TIMEOUT",
    "DATABASE_PGBOUNCER",
)


@pytest.fixture
def env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return database_settings(BASE)

    return set_env


# --- settings --------------------------------------------------------------------------------


def test_without_a_database_url_it_is_sqlite_alone(env):
    databases = env()
    assert list(databases) == ["default"]
    assert databases["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_postgres_keeps_persistent_checked_connections_and_the_planner_option(env):
    default = env(DATABASE_URL=PG)["default"]
    assert default["CONN_MAX_AGE"] == 60 and default["CONN_HEALTH_CHECKS"] is True
    assert default["OPTIONS"] == {"options": "-c random_page_cost=1.1"}
    assert not default.get("DISABLE_SERVER_SIDE_CURSORS")


def test_a_replica_url_adds_the_replica_alias_mirrored_in_tests(env):
    databases = env(DATABASE_URL=PG, DATABASE_REPLICA_URL=REPLICA_URL)
    assert list(databases) == ["default", "replica"]
    assert databases["replica"]["HOST"] == "replica"
    assert databases["replica"]["TEST"] == {"MIRROR": "default"}
    assert databases["replica"]["OPTIONS"] == databases["default"]["OPTIONS"]


def test_the_pool_replaces_persistent_connections_on_both_aliases(env):
    databases = env(
        DATABASE_URL=PG,
        DATABASE_REPLICA_URL=REPLICA_URL,
        DATABASE_POOL="1",
        DATABASE_POOL_MAX_SIZE="4",
    )
    for alias in ("default", "replica"):
        config = databases[alias]
        assert config["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
        assert config["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4, "timeout": 10}


def test_pgbouncer_turns_off_server_side_cursors_and_the_startup_option(env):
    default = env(DATABASE_URL=PG, DATABASE_PGBOUNCER="yes")["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert default["CONN_MAX_AGE"] == 0
    assert "options" not in default["OPTIONS"]  # PgBouncer refuses unknown startup parameters
    assert "pool" not in default["OPTIONS"]


@pytest.mark.parametrize(
    "values, message",
    [
        ({"DATABASE_REPLICA_URL": REPLICA_URL}, "need DATABASE_URL"),
        ({"DATABASE_POOL": "1"}, "need DATABASE_URL"),
        ({"DATABASE_URL": PG, "DATABASE_POOL": "1", "DATABASE_PGBOUNCER": "1"}, "alternatives"),
        ({"DATABASE_URL": PG, "DATABASE_POOL": "maybe"}, "DATABASE_POOL='maybe' is not a boolean"),
        (
            {"DATABASE_URL": PG, "DATABASE_POOL": "1", "DATABASE_POOL_MAX_SIZE": "0"},
            "DATABASE_POOL_MAX_SIZE=0 must be at least 1",
        ),
        (
            {
                "DATABASE_URL": PG,
                "DATABASE_POOL": "1",
                "DATABASE_POOL_MIN_SIZE": "5",
                "DATABASE_POOL_MAX_SIZE": "3",
            },
            "DATABASE_POOL_MIN_SIZE=5 is above DATABASE_POOL_MAX_SIZE=3",
        ),
        ({"DATABASE_URL": PG, "DATABASE_REPLICA_URL": "http://x"}, "DATABASE_REPLICA_URL="),
        (
            {"DATABASE_URL": PG, "DATABASE_REPLICA_URL": "sqlite:////tmp/x.db"},
            "same engine",
        ),
        ({"DATABASE_URL": "sqlite:////tmp/x.db", "DATABASE_PGBOUNCER": "1"}, "need PostgreSQL"),
    ],
)
def test_bad_database_settings_stop_the_start_with_a_message(env, values, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        env(**values)


def test_every_report_view_name_is_a_url():
    from django.urls import get_resolver

    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    assert names >= REPORT_VIEWS, REPORT_VIEWS - names


# --- the router, with a second real connection to the test database ---------------------------


@pytest.fixture(scope="module")
def _replica_alias(django_db_setup, django_db_blocker):
    """A "replica" alias: a second connection to the test database (it sees committed data only,
    as a streaming replica does), unless the suite already runs with DATABASE_REPLICA_URL. Added
    before each test's database set-up (module scope), which checks the aliases a test names."""
    added = "replica" not in connections.settings
    if added:
        config = copy.deepcopy(connections["default"].settings_dict)
        config["TEST"]["MIRROR"] = "default"  # flushed with default, not twice
        connections.settings["replica"] = config
    yield
    if added:
        with django_db_blocker.unblock():
            connections["replica"].close()
        del connections.settings["replica"]
        delattr(connections._connections, "replica")


@pytest.fixture
def replica(_replica_alias):
    return connections["replica"]


router_test = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


WRITES = ("INSERT", "UPDATE", "DELETE")


def _sql(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries]


def _claims(child, n):
    from credit.models import Claim
    from tests import factories as f

    for i in range(n):
        Claim.objects.create(
            learner=f.person(last_name=f"Learner{i}"),
            child=child,
            channel="web",
            credit_hours=Decimal("1.00"),
        )


@pytest.mark.postgres
@router_test
def test_inside_a_report_reads_go_to_the_replica_until_the_first_write(replica, child):
    from activities.models import ChildActivity
    from credit.models import Claim

    default = connections["default"]
    with CaptureQueriesContext(default) as on_default, CaptureQueriesContext(replica) as on_replica:
        with replica_reads():
            assert ChildActivity.objects.filter(pk=child.pk).count() == 1  # replica
            ChildActivity.objects.filter(pk=child.pk).update(name="Renamed")  # primary
            assert ChildActivity.objects.get(pk=child.pk).name == "Renamed"  # primary now
        assert Claim.objects.count() == 0  # outside: primary
    assert len(on_replica) == 1 and 'FROM "activities_childactivity"' in on_replica[0]["sql"]
    assert [s.split()[0] for s in _sql(on_default)] == ["UPDATE", "SELECT", "SELECT"]


@pytest.mark.postgres
@router_test
def test_a_report_csv_reads_from_the_replica_and_writes_nothing_there(
    replica, client, coordinator, series, child
):
    _claims(child, 3)
    login(client, coordinator)
    default = connections["default"]
    with CaptureQueriesContext(default) as on_default, CaptureQueriesContext(replica) as on_replica:
        response = client.get(reverse("child_attendance_csv", args=[child.pk]))
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert body.count(b"Learner") >= 3
    replica_sql = _sql(on_replica)
    assert any('"credit_claim"' in s for s in replica_sql), replica_sql
    assert not any(s.lstrip().upper().startswith(WRITES) for s in replica_sql)
    # No report query on the primary; sessions never from the replica.
    assert not any('"credit_claim"' in s for s in _sql(on_default)), _sql(on_default)
    assert not any('"django_session"' in s for s in replica_sql)


@pytest.mark.postgres
@router_test
def test_pages_that_are_not_reports_never_touch_the_replica(
    replica, client, coordinator, series, child
):
    login(client, coordinator)
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("dashboard")).status_code == 200
        assert client.get(reverse("parent_reports", args=[series.pk])).status_code == 200
    # The reports page is a report (replica); the dashboard is not.
    assert on_replica.captured_queries, "the reports page read nothing from the replica"
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("dashboard")).status_code == 200
        client.post(reverse("parent_reports", args=[series.pk]))  # not a GET: primary (405)
    assert on_replica.captured_queries == []


@pytest.mark.postgres
@router_test
def test_a_streamed_export_that_records_itself_reads_the_primary_after_the_write(
    replica, client, admin
):
    """The PARS activity export writes its record, then streams: the streamed reads must see the
    primary (the request wrote), and nothing is ever written through the replica."""
    from django.utils import timezone

    from tests import factories as f

    year = timezone.localdate().year
    f.parent(name="Grand Rounds", year=year)
    login(client, admin)
    default = connections["default"]
    url = reverse("pars_activities_txt", args=[year]) + "?draft=1"
    with CaptureQueriesContext(default) as on_default, CaptureQueriesContext(replica) as on_replica:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, body[:500]
    assert b"Grand Rounds" in body
    replica_sql = _sql(on_replica)
    assert replica_sql, "the export read nothing from the replica before it wrote"
    assert not any(s.lstrip().upper().startswith(WRITES) for s in replica_sql)
    default_sql = _sql(on_default)
    insert = next(i for i, s in enumerate(default_sql) if s.startswith("INSERT"))
    assert "pars" in default_sql[insert]
    # After the write, the series were read again for the file: on the primary.
    assert any('"activities_parentactivity"' in s for s in default_sql[insert + 1 :])
