#!/usr/bin/env bash
# The fault scenarios of issue 6 against the real Pli.Web process (Release build), bounded (< 6 min on
# 2 cores). Each scenario runs in its own folder with its own timeout; whatever happens its server,
# its PostgreSQL cluster and its tmpfs are stopped and its folder removed. Prints one JSON line per
# scenario, then one plain line; exits 1 when a scenario failed.
#   bench/faults/run.sh [uploads sealing diskfull postgres]
# FAULTS_COUNT (default 20) sets the kills of the upload and sealing scenarios; FAULTS_KEEP=1 keeps the folders;
# FAULTS_TIME_SCALE=3 multiplies the timeouts (a machine busy with other builds); FAULTS_PORT the first port.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f src/Pli.Web/bin/Release/net10.0/Pli.Web.dll ]; then
  dotnet build src/Pli.Web -c Release -nologo -v quiet || exit 1
fi
if [ ! -d tests/Pli.Browser.Tests/TusClient/node_modules ]; then
  npm ci --prefix tests/Pli.Browser.Tests/TusClient --no-audit --no-fund || exit 1
fi

scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(uploads sealing diskfull postgres)
# Together 6 minutes, on a quiet 2-core machine.
declare -A limits=([uploads]=200 [sealing]=240 [diskfull]=50 [postgres]=60)
port=${FAULTS_PORT:-5391}
failed=()
skipped=()

cleanup() {
  local work=$1
  if [ -f "$work/server.pid" ]; then
    kill -9 "$(cat "$work/server.pid")" 2>/dev/null
  fi
  if [ -f "$work/pg/postmaster.pid" ]; then
    su postgres -c "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl -D $work/pg stop -m immediate" >/dev/null 2>&1 \
      || kill -9 "$(head -n 1 "$work/pg/postmaster.pid")" 2>/dev/null
  fi
  mountpoint -q "$work/files" 2>/dev/null && umount -l "$work/files"
  if [ "${FAULTS_KEEP:-0}" != 1 ]; then
    rm -rf "$work" "$work.progress"
  fi
}

for scenario in "${scenarios[@]}"; do
  work=$(mktemp -d "/tmp/pli-faults-$scenario-XXXX")
  trap 'cleanup "$work"; exit 130' INT TERM
  limit=$(( ${limits[$scenario]:-120} * ${FAULTS_TIME_SCALE:-1} ))
  timeout -k 5 "$limit" node bench/faults/faults.mjs "$scenario" --work "$work" --port "$port" --count "${FAULTS_COUNT:-20}" 2>"$work.progress"
  code=$?
  case $code in
    0) ;;
    3) skipped+=("$scenario") ;;
    124|137) echo "{\"scenario\":\"$scenario\",\"result\":\"FAIL\",\"failures\":[\"timed out after $limit s\"]}"; failed+=("$scenario") ;;
    *) failed+=("$scenario") ;;
  esac
  if [ $code -ne 0 ] && [ $code -ne 3 ]; then
    echo "--- $scenario: its progress, then the last lines of its server log:" >&2
    tail -n 30 "$work.progress" >&2
    [ -f "$work/server.log" ] && tail -n 30 "$work/server.log" >&2
  fi
  cleanup "$work"
  trap - INT TERM
  port=$((port + 2))
done

passed=$(( ${#scenarios[@]} - ${#failed[@]} - ${#skipped[@]} ))
note=""
[ ${#skipped[@]} -gt 0 ] && note="; SKIPPED (not counted as passed): ${skipped[*]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "Faults: FAILED scenario(s): ${failed[*]} ($passed of ${#scenarios[@]} passed$note)"
  exit 1
fi
echo "Faults: $passed of ${#scenarios[@]} scenarios passed$note"
