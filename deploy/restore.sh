#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh: the database first, then the files.
#
# Usage: deploy/restore.sh BACKUP_FOLDER DATABASE_URL STORAGE_ROOT
#   BACKUP_FOLDER  a pli-YYYYmmddTHHMMSSZ folder made by backup.sh
#   DATABASE_URL   libpq URI of the database to restore into; it must not exist, or be empty: restore.sh
#                  creates it (through the maintenance database "postgres" of the same server) when absent
#   STORAGE_ROOT   the folder of Storage:RootPath; it must not exist, or be empty
# Then check the result with the application itself (both must exit 0):
#   dotnet Pli.Web.dll storage verify && dotnet Pli.Web.dll audit verify
# Pli must be stopped on every instance while this runs.
set -euo pipefail

if [ $# -ne 3 ]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
backup=$1
database_url=$2
storage_root=$3

for f in database.dump files.tar MANIFEST SHA256SUMS; do
  [ -f "$backup/$f" ] || { echo "restore: $backup/$f is missing: not a backup made by backup.sh" >&2; exit 1; }
done
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || { echo "restore: the backup's checksums do not match: it is damaged" >&2; exit 1; }

if [ -d "$storage_root" ] && [ -n "$(ls -A "$storage_root")" ]; then
  echo "restore: $storage_root is not empty: restore into an empty folder (move the old one aside first)" >&2
  exit 1
fi

# The database: created if absent, refused if it already holds tables (no silent merge of two platforms).
database=$(sed -E 's#^[a-z]+://[^/]*/([^?]*).*#\1#' <<<"$database_url")
maintenance_url=$(sed -E 's#^([a-z]+://[^/]*/)[^?]*#\1postgres#' <<<"$database_url")
if ! psql --no-password --quiet --tuples-only --dbname="$database_url" --command='SELECT 1' >/dev/null 2>&1; then
  # Through stdin: psql interpolates :"db" (quoted as an identifier) there, not in --command.
  echo 'CREATE DATABASE :"db";' | psql --no-password --quiet --dbname="$maintenance_url" --set=ON_ERROR_STOP=1 --set=db="$database" >/dev/null
fi
tables=$(psql --no-password --tuples-only --no-align --dbname="$database_url" \
  --command="SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore: database $database already has $tables tables: restore into an empty database" >&2
  exit 1
fi
# --no-owner: the objects belong to the user restoring, the application's user on the new server.
pg_restore --no-password --exit-on-error --no-owner --dbname="$database_url" "$backup/database.dump"

# The files, after the database: the order does not matter for a restore, but a store restored without
# its database would be files nobody names.
mkdir -p "$storage_root"
tar --extract --file="$backup/files.tar" --directory="$storage_root"

echo "restored $(grep '^created_utc=' "$backup/MANIFEST" | cut -d= -f2) into $database and $storage_root"
