"""The documented backup and restore procedure brings back every row and every uploaded file."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.db import connection

from activities.models import ChildActivity
from credit.models import Claim
from disclosures.rules import Nature
from tests import factories as f
from tests.tools import require_tool

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def url_for(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def counts(dsn: str) -> dict[str, int]:
    tables = [m._meta.db_table for m in apps.get_models()]
    with psycopg.connect(dsn) as conn:
        return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}


def test_a_restore_into_an_empty_database_brings_back_every_row(tmp_path, settings):
    require_tool("pg_dump")
    require_tool("pg_restore")
    coordinator = f.person()
    series = f.parent(coordinators=[coordinator], planners=[f.person()])
    child = f.child(series)
    speaker = f.person()
    f.disclosure(speaker, relationships=[("Acme", Nature.CONSULTANT)])
    f.assign(child, speaker)
    Claim.objects.create(learner=f.person(), child=child, channel="web", credit_hours=1)
    # The newest child removed by a raw delete: the restored sequence must not hand its id again.
    newest = f.child(series)
    ChildActivity.objects.filter(pk=newest.pk).delete()
    media = Path(settings.MEDIA_ROOT)
    (media / "presentations").mkdir(parents=True)
    (media / "presentations" / "a1b2").write_bytes(b"%PDF-1.4 slides")

    source = url_for(connection.settings_dict["NAME"])
    target_name = f"rss_restore_{os.getpid()}"
    admin = url_for("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{target_name}"')
        conn.execute(f'create database "{target_name}"')
    try:
        backup = tmp_path / "backup"
        env = {**os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(media)}
        subprocess.run(
            [ROOT / "deploy/backup.sh", backup], env=env, check=True, capture_output=True
        )
        restored_media = tmp_path / "restored-uploads"
        env = {
            **os.environ,
            "DATABASE_URL": url_for(target_name),
            "MEDIA_ROOT": str(restored_media),
        }
        subprocess.run(
            [ROOT / "deploy/restore.sh", backup], env=env, check=True, capture_output=True
        )

        before, after = counts(source), counts(url_for(target_name))
        assert after == before
        assert before["credit_claim"] == 1 and before["faculty_assignment"] == 1
        assert (restored_media / "presentations" / "a1b2").read_bytes() == b"%PDF-1.4 slides"
        with psycopg.connect(url_for(target_name)) as conn:
            next_id = conn.execute(
                "select nextval(pg_get_serial_sequence('activities_childactivity', 'id'))"
            ).fetchone()[0]
        assert next_id > newest.pk  # a Child ID is never reused, even after a restore

        again = subprocess.run(
            [ROOT / "deploy/restore.sh", backup], env=env, capture_output=True, text=True
        )
        assert again.returncode != 0 and "not empty" in again.stderr  # never over live data
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{target_name}" with (force)')
