#!/usr/bin/env bash
# Back up PostgreSQL and the uploaded files into one folder: backup.sh DEST_DIR
# Needs DATABASE_URL (postgres://...) and MEDIA_ROOT (the uploads folder) in the environment.
set -euo pipefail
dest=${1:?usage: backup.sh DEST_DIR}
: "${DATABASE_URL:?set DATABASE_URL}"
: "${MEDIA_ROOT:?set MEDIA_ROOT}"
mkdir -p "$dest"
# Custom format: compressed, restorable table by table, consistent (one snapshot).
pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.dump" "$DATABASE_URL"
if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$dest/uploads.tar.gz" .
else
  tar -czf "$dest/uploads.tar.gz" --files-from /dev/null
fi
( cd "$dest" && sha256sum database.dump uploads.tar.gz > SHA256SUMS )
echo "backup written to $dest"
