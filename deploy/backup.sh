#!/usr/bin/env bash
# Backs up Pli: the PostgreSQL database first (pg_dump -Fc), then the local file store (tar of
# Storage:RootPath without the in-progress uploads/ folder), with a SHA256SUMS manifest.
#
# Usage: deploy/backup.sh DATABASE_URL STORAGE_ROOT BACKUP_DIR
#   DATABASE_URL  libpq URI, e.g. postgresql://pli:secret@db.internal:5432/pli (or "" to use PG* variables)
#   STORAGE_ROOT  the folder of Storage:RootPath
#   BACKUP_DIR    where the dated backup folder is made (BACKUP_DIR/pli-YYYYmmddTHHMMSSZ)
# Prints the backup folder's path on its last line.
#
# Why this order: Pli writes a file to the store before it writes the row that names it, and never
# modifies a stored file. A store copied after the dump therefore holds every file the dump names
# (plus perhaps a few newer ones no row names yet, which are harmless). The other order would lose files.
# The folder is written under a temporary name and renamed at the end: a half-made backup never looks whole.
set -euo pipefail

if [ $# -ne 3 ]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi
database_url=$1
storage_root=$2
backup_dir=$3

[ -d "$storage_root" ] || { echo "backup: storage folder $storage_root not found" >&2; exit 1; }
mkdir -p "$backup_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$backup_dir/pli-$stamp"
work="$backup_dir/.pli-$stamp.partial"
rm -rf "$work"
mkdir -m 700 "$work"
trap 'rm -rf "$work"' EXIT

# 1. The database: one consistent snapshot (pg_dump runs in a single repeatable-read transaction).
pg_dump --format=custom --compress=6 --no-password ${database_url:+"--dbname=$database_url"} --file="$work/database.dump"

# 2. The objects, after the dump. uploads/ holds unfinished tus uploads (a client resumes or they expire);
# *.tmp are files being written right now.
tar --create --file="$work/files.tar" --directory="$storage_root" --exclude=./uploads --exclude='*.tmp' .

# 3. What was made, to check it before a restore.
{
  echo "created_utc=$stamp"
  echo "database_url_host=$(sed -E 's#^[a-z]+://([^@/]*@)?([^/:?]*).*#\2#' <<<"${database_url:-${PGHOST:-local}}")"
  echo "storage_root=$storage_root"
  echo "files=$(tar --list --file="$work/files.tar" | grep -cv '/$' || true)"
} > "$work/MANIFEST"
(cd "$work" && sha256sum database.dump files.tar MANIFEST > SHA256SUMS)

mv "$work" "$final"
trap - EXIT
echo "$final"
