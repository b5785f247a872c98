#!/usr/bin/env bash
# The restore drill, automated: a real Pli (the Release build) on a fresh PostgreSQL database seeds its
# demo data and takes one sealed deposit through the API; it is stopped and backed up (backup.sh); the
# database is dropped and the files deleted; restore.sh brings them back; then `storage verify` and
# `audit verify` must both exit 0, and the restarted Pli must answer and still show the sealed deposit.
# Bounded (each wait has a limit), cleans up after itself. Called by tests/run-all.sh after the tests.
#
# Needs: pg_dump/pg_restore/psql, curl, jq, the Release build (dotnet build -c Release), and a PostgreSQL
# server where the user may create databases: PLI_TEST_POSTGRES (Npgsql form, as for the tests), default
# Host=127.0.0.1;Port=5432;Username=pli;Password=pli;Database=postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
dll=$(realpath -m "${PLI_WEB_DLL:-src/Pli.Web/bin/Release/net10.0/Pli.Web.dll}")
[ -f "$dll" ] || { echo "restore drill: $dll is missing: run dotnet build -c Release first" >&2; exit 1; }
for tool in pg_dump pg_restore psql curl jq sha256sum; do
  command -v "$tool" >/dev/null || { echo "restore drill: $tool is not installed" >&2; exit 1; }
done

# The server from the Npgsql connection string, as a libpq URI for the scripts.
server=${PLI_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=pli;Password=pli;Database=postgres}
setting() { tr ';' '\n' <<<"$server" | sed -n -E "s/^ *$1 *= *//Ip" | head -n 1; }
host=$(setting Host); port=$(setting Port); user=$(setting Username); password=$(setting Password)
host=${host:-127.0.0.1}; port=${port:-5432}
database="pli_restore_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
database_url="postgresql://$user:$password@$host:$port/$database"
maintenance_url="postgresql://$user:$password@$host:$port/postgres"

work=$(mktemp -d /tmp/pli-restore-drill.XXXXXX)
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  psql --quiet --dbname="$maintenance_url" --command="DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

port_http=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port_http"
storage="$work/files"
# Production, as on a real server: the master secret is given, never generated.
export ASPNETCORE_ENVIRONMENT=Production
export ASPNETCORE_URLS="$base"
export Data__Provider=PostgreSql
export Data__ConnectionString="Host=$host;Port=$port;Username=$user;Password=$password;Database=$database"
export Storage__RootPath="$storage"
export Crypto__MasterKey; Crypto__MasterKey=$(head -c 32 /dev/urandom | base64)
export Timestamping__KeyPath="$work/tsa"
export Mail__PickupDirectory="$work/mail"
export Demo__Seed=true
export Demo__ClosingSoon=false
export Platform__PublicBaseUrl="$base"
export Logging__LogLevel__Default=Warning
# As behind a load balancer that terminates TLS, here on loopback: the instance trusts its X-Forwarded-Proto.
export Network__TrustedProxies__0=127.0.0.1
# The lowest PBKDF2 count allowed, as in the tests: the drill checks the backup, not the key stretching.
export Crypto__PrivateKeyIterations=100000

step() { printf 'restore drill: %s (%ss)\n' "$1" "$((SECONDS - started))"; }
fail() { echo "restore drill FAILED: $1" >&2; [ -f "$work/app.log" ] && grep -vE '^\s*(at |---)' "$work/app.log" | tail -n 40 >&2; exit 1; }

start_app() {
  # From the build's folder, as from a published one: it is the content root.
  (cd "$(dirname "$dll")" && exec dotnet Pli.Web.dll) >"$work/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 360); do
    if curl -fsS -o /dev/null "$base/health" 2>/dev/null; then return 0; fi
    kill -0 "$app_pid" 2>/dev/null || fail "Pli stopped at start"
    sleep 0.5
  done
  fail "Pli did not answer /health within 180 s"
}
stop_app() { kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""; }

api() { # method path [json body]
  curl -fsS -X "$1" -H "Authorization: Bearer $token" ${3:+-H "Content-Type: application/json" --data "$3"} "$base$2"
}
upload() { # deposit envelope filename size [lot]
  local file="$work/upload.bin" meta
  head -c "$4" /dev/urandom >"$file"; printf '%%PDF-1.7\n' | dd of="$file" conv=notrunc status=none
  meta="deposit $(printf %s "$1" | base64 -w0),envelope $(printf %s "$2" | base64 -w0),filename $(printf %s "$3" | base64 -w0)"
  [ -n "${5:-}" ] && meta="$meta,lot $(printf %s "$5" | base64 -w0)"
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $token" -H "Tus-Resumable: 1.0.0" -H "Upload-Length: $4" \
    -H "Upload-Metadata: $meta" -H "Content-Type: application/offset+octet-stream" --data-binary "@$file" "$base/api/uploads/"
}

step "creating $database and starting Pli (Release) on $base"
psql --quiet --dbname="$maintenance_url" --command="CREATE DATABASE \"$database\"" >/dev/null
start_app

step "making a deposit through the API"
token=$(curl -fsS -H "Content-Type: application/json" --data '{"email":"contact@btp-demo.localhost","password":"Demo-Pli-2026!"}' "$base/api/auth/token" | jq -r .accessToken)
consultation=$(psql --tuples-only --no-align --dbname="$database_url" --command="SELECT \"Id\" FROM \"Consultations\" WHERE \"Reference\" LIKE 'PLI-TEST-%' LIMIT 1")
[ -n "$consultation" ] || fail "no test consultation was seeded"
deposit=$(api POST "/api/consultations/$consultation/deposits" '{"mode":"Solo","candidatureType":"Standard","lots":[1]}' | jq -r .id)
upload "$deposit" candidature DC1.pdf 70000 || fail "upload of the candidature"
upload "$deposit" offre "Offre technique.pdf" 300000 1 || fail "upload of the offer"
api POST "/api/deposits/$deposit/seal" '{"acceptTerms":true,"backupCopyDeclared":false}' >/dev/null || fail "seal"
stop_app

step "backing up"
backup=$(deploy/backup.sh "$database_url" "$storage" "$work/backups" | tail -n 1)

step "destroying the database and the files"
psql --quiet --dbname="$maintenance_url" --command="DROP DATABASE \"$database\" WITH (FORCE)" >/dev/null
rm -rf "$storage"

step "restoring"
deploy/restore.sh "$backup" "$database_url" "$storage" >/dev/null

step "verifying"
(cd "$(dirname "$dll")" && dotnet Pli.Web.dll storage verify) >"$work/storage-verify.log" 2>&1 || { cat "$work/storage-verify.log" >&2; fail "storage verify"; }
(cd "$(dirname "$dll")" && dotnet Pli.Web.dll audit verify) >"$work/audit-verify.log" 2>&1 || { cat "$work/audit-verify.log" >&2; fail "audit verify"; }
grep -E "storage whole" "$work/storage-verify.log" | sed 's/^/  /'
grep -E "audit chain" "$work/audit-verify.log" | sed 's/^/  /'

step "starting the restored Pli"
start_app
curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" "$base/" || fail "the home page does not answer"
token=$(curl -fsS -H "Content-Type: application/json" --data '{"email":"contact@btp-demo.localhost","password":"Demo-Pli-2026!"}' "$base/api/auth/token" | jq -r .accessToken)
status=$(api GET "/api/deposits/$deposit" | jq -r .status)
[ "$status" = "Sealed" ] || fail "the restored deposit is $status, not Sealed"
stop_app

echo "restore drill passed in $((SECONDS - started)) s"
