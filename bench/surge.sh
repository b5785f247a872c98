#!/usr/bin/env bash
# Deadline surge (bench/README.md, "Deadline surge"): N companies each start a deposit, send 3 files of 1–5 MB
# with tus and seal it at an instant spread over [deadline − 55 s, deadline + 5 s] while the real clock crosses
# the deadline; every outcome, receipt and time-stamp token is checked afterwards. Bounded: it stops by itself.
#
#   bench/surge.sh                              # PostgreSQL, 500 companies (~3 min)
#   PROVIDERS="postgres sqlite" bench/surge.sh  # both providers, one after the other
#   SURGE_ARGS="--companies 100 --lead-seconds 90" bench/surge.sh
#
# Knobs (env): PROVIDERS (postgres), SURGE_ARGS (extra Pli.Bench surge options, see Surge.cs), MAX_SECONDS (per
# run, 300), WORK (scratch folder, /tmp/pli-surge), BIN (the Pli.Bench executable).
# Writes WORK/surge-<provider>.json (the JSON line), .txt (the summary) and .log (Pli's log); exits non-zero
# when a run's invariants fail (all accounted, receipts valid, 0 lost, 0 misclassified).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
BIN=${BIN:-$REPO/bench/Pli.Bench/bin/Release/net10.0/Pli.Bench}
WORK=${WORK:-/tmp/pli-surge}
PROVIDERS=${PROVIDERS:-postgres}
MAX_SECONDS=${MAX_SECONDS:-300}
[ -x "$BIN" ] || { echo "surge.sh: build first: dotnet build Pli.slnx -c Release" >&2; exit 1; }
[ "$BIN" -nt "$REPO/bench/Pli.Bench/Surge.cs" ] || { echo "surge.sh: $BIN is older than Surge.cs: build first" >&2; exit 1; }
mkdir -p "$WORK"

status=0
for provider in $PROVIDERS; do
  out="$WORK/surge-$provider"
  echo "surge.sh: $provider, started $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  # The program bounds itself with --max-seconds; timeout is the belt to its braces.
  # shellcheck disable=SC2086
  if (cd "$REPO/bench/Pli.Bench" && timeout $((MAX_SECONDS + 60)) "$BIN" surge --provider "$provider" --max-seconds "$MAX_SECONDS" ${SURGE_ARGS:-}) \
       >"$out.stdout" 2>"$out.log"; then :; else status=1; fi
  grep '^{' "$out.stdout" >"$out.json" || true
  # Pli's console log shares stdout: the summary is the lines after the JSON that are not log lines.
  grep -E '^(Deadline surge|  [^ ])' "$out.stdout" >"$out.txt" || true
  cat "$out.txt"
  echo "surge.sh: $provider done $(date -u +%FT%TZ); results in $out.json, Pli's log in $out.log" >&2
done
exit $status
