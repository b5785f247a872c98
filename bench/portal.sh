#!/usr/bin/env bash
# Portal benchmark (bench/README.md, "Portal"): 100,000 published consultations in a fresh PostgreSQL database,
# then the search by reference and by keywords (p50/p95/p99 of REQUESTS sequential requests each, after a
# warm-up) over real Kestrel, the plans PostgreSQL chose, and the list page's throughput with wrk against a
# static file of the same server. Stops by itself (timeout MAX_SECONDS); the database is dropped at the end.
#
#   bench/portal.sh                                    # ~10 min on 2 shared cores (seeding ~3-4 min)
#   CONSULTATIONS=10000 REQUESTS=100 bench/portal.sh   # a quick look
#
# Knobs (env): CONSULTATIONS (100000), REQUESTS (500), WRK_SECONDS (10), WRK_CONNECTIONS (16), MAX_SECONDS (1800),
# HOLD_SECONDS (0: keep the seeded database that long at the end, to try plans with psql),
# RANDOM_PAGE_COST (1.1, the production setting of docs/deployment.md; 4 is PostgreSQL's default),
# PLI_TEST_POSTGRES (server connection string, as for the tests; default 127.0.0.1:5432 pli/pli).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build -c Release bench/Pli.Bench >/dev/null
cd bench/Pli.Bench
echo "portal benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
timeout "${MAX_SECONDS:-1800}" dotnet run -c Release --no-build -- portal \
  --consultations "${CONSULTATIONS:-100000}" --requests "${REQUESTS:-500}" \
  --wrk-seconds "${WRK_SECONDS:-10}" --wrk-connections "${WRK_CONNECTIONS:-16}" --random-page-cost "${RANDOM_PAGE_COST:-1.1}" --hold-seconds "${HOLD_SECONDS:-0}" 2>&1 | grep -v '^warn\|^fail\|^      '
