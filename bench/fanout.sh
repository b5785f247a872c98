#!/usr/bin/env bash
# Notice fan-out benchmark (bench/README.md, "Notice fan-out"): a consultation with DOWNLOADERS identified
# downloaders in a fresh PostgreSQL database; its deadline is moved through the notices service (the
# modification page's coordinator: the change, its history line, its audit entry and one mail per person, in
# one save); then the outbox is sent to the test suite's SMTP server until every mail is accepted. Run twice:
# one SMTP connection per dispatch batch (today) and one per mail (as before). Stops by itself.
#
#   bench/fanout.sh                      # ~2 min per mode on 2 shared cores (seeding included)
#   DOWNLOADERS=1000 bench/fanout.sh
#
# Knobs (env): DOWNLOADERS (10000), MODES ("batch per-mail"), MAX_SECONDS (900 per run), PLI_TEST_POSTGRES.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Pli.Bench >/dev/null
cd bench/Pli.Bench
echo "fan-out benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
for mode in ${MODES:-batch per-mail}; do
  extra=(); [ "$mode" = per-mail ] && extra=(--one-connection-per-mail)
  timeout "${MAX_SECONDS:-900}" dotnet run -c Release --no-build -- fanout "${DOWNLOADERS:-10000}" "${extra[@]}" 2>&1 | grep -v '^warn\|^fail\|^      '
done
