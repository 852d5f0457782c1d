#!/usr/bin/env bash
# Restore a backup made by backup.sh into an EMPTY database and uploads folder: restore.sh SRC_DIR
# Needs DATABASE_URL (the empty target database) and MEDIA_ROOT in the environment.
set -euo pipefail
src=${1:?usage: restore.sh SRC_DIR}
: "${DATABASE_URL:?set DATABASE_URL}"
: "${MEDIA_ROOT:?set MEDIA_ROOT}"
( cd "$src" && sha256sum --check --quiet SHA256SUMS )
tables=$(psql "$DATABASE_URL" -Atc "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "refusing to restore: the target database is not empty ($tables tables)" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$src/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$src/uploads.tar.gz"
echo "restored from $src"
