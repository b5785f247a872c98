#!/usr/bin/env bash
# Runs every test: domain, integration (SQLite and PostgreSQL) and browser journeys.
# Needs a PostgreSQL server (started here if installed and stopped) and Debian's Chromium;
# .ci/run installs both on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL: PLI_TEST_POSTGRES names a server where the user may create databases; without it, the
# local Debian cluster is started and given a user pli/pli (as root, like CI and this kind of machine).
if [ -z "${PLI_TEST_POSTGRES:-}" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v pg_lsclusters >/dev/null; then
    if [ -z "$(pg_lsclusters --no-header)" ]; then
      pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n 1)" main >/dev/null
    fi
    read -r version cluster _ < <(pg_lsclusters --no-header | head -n 1)
    pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='pli'\"" | grep -q 1 \
      || su postgres -c "psql -qc \"CREATE ROLE pli LOGIN CREATEDB PASSWORD 'pli'\""
  fi
  export PLI_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=pli;Password=pli;Database=postgres"
fi
if ! pg_isready -q -d "host=$(sed -E 's/.*Host=([^;]*).*/\1/' <<<"$PLI_TEST_POSTGRES")" 2>/dev/null && command -v pg_isready >/dev/null; then
  echo "PostgreSQL is not reachable for the tests: set PLI_TEST_POSTGRES or run this script as root with postgresql installed." >&2
fi

# The tus client test drives the real tus-js-client under Node: install its locked packages once.
if [ ! -d tests/Pli.Browser.Tests/TusClient/node_modules ]; then
  npm ci --prefix tests/Pli.Browser.Tests/TusClient --no-audit --no-fund
fi
# The accessibility tests inject axe-core into every page: the same, once.
if [ ! -d tests/Pli.Browser.Tests/Accessibility/node_modules ]; then
  npm ci --prefix tests/Pli.Browser.Tests/Accessibility --no-audit --no-fund
fi
# The S3 storage tests run against a real S3-compatible server (s3rver under Node): the same, once.
if [ ! -d tests/S3Server/node_modules ]; then
  npm ci --prefix tests/S3Server --no-audit --no-fund
fi

# Each test host watches its appsettings files for changes, one inotify instance each; with ~130 hosts alive in the
# web suite the default limit of 128 is reached (FileSystemWatcher throws). The tests never edit those files.
export DOTNET_hostBuilder__reloadConfigOnChange=false
# The pages' asp-append-version watches wwwroot through the same kind of watcher, one per host: polling (every few
# seconds, no inotify instance) keeps the suite clear of the limit, also when another run shares the machine's user.
export DOTNET_USE_POLLING_FILE_WATCHER=1

log=$(mktemp)
status=0
dotnet build Pli.slnx -c Release -warnaserror -nologo -v quiet
for project in tests/Pli.Domain.Tests tests/Pli.Web.Tests tests/Pli.Browser.Tests; do
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=minimal" 2>&1 | tee -a "$log" || status=1
done

deploy/test-restore.sh || { echo "Restore drill failed (deploy/test-restore.sh: backup, restore, storage and audit verify)."; status=1; }
# The fault scenarios (issue 6): the real server killed -9 and restarted, a full disk, PostgreSQL restarted.
faults=$(mktemp)
bench/faults/run.sh 2>&1 | tee "$faults" || status=1

# One plain closing line for the whole run.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
# A fixture failing its cleanup fails the run although every test passed: say so on the closing line.
cleanups=$(grep -cE '\[(Test Class|Test Collection|Test Assembly) Cleanup Failure' "$log" || true)
rm -f "$log"
summary="Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$cleanups" -gt 0 ]; then summary+=", $cleanups fixture cleanup failures (see above)"; fi
echo "$summary"
grep '^Faults:' "$faults" || echo "Faults: bench/faults/run.sh printed no result"
rm -f "$faults"
if [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit $status
