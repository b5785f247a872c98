#!/usr/bin/env bash
# Deposit upload benchmark (bench/README.md, "Deposit upload (tus)"): Pli's real tus deposit path against
# @tus/server, side by side in one run of the shared harness (shared/bench/run-all.sh, interleaved, rotated).
#
#   bench/upload.sh                 # 4 x 256 MiB (warm-up + 3 reps), then 4 x 1 GiB (warm-up + 1 rep); ~10 min
#   PHASES=256MiB REPS=5 bench/upload.sh
#
# Knobs (env): PHASES ("256MiB 1GiB"), REPS (3; the 1 GiB phase does BIG_REPS=1), FILES (4), CHUNK (8MiB),
# SETTLE (5), BIN (the Pli.Bench executable), ROLE (all: uploads to the bench host itself; ingest: to the real
# Pli.Web.dll started in Pli:Role=Ingest beside it), INGEST_ENV (space-separated NAME=VALUE for the ingest process only, e.g. "DOTNET_gcServer=0"), PLI_SETTINGS (space-separated Key=Value for Pli, e.g. "Uploads:ReceiveBlockSize=65536"), HARNESS (../shared/bench), WORK (scratch dir, /tmp/pli-upload-bench), MAX_SECONDS (whole run, 2400).
# The shared harness is copied to WORK, never changed where it lies; the copy gets one change: run-all.sh
# passes the candidate's extra tus-client arguments (token, deposit metadata), one draft deposit per run,
# taken from `upload.sh --next-args` (a name is unique within a pli, and every run sends bench-0..3.bin).
# The stored files are sealed, so digests are checked as Pli recorded them: each run's deposit lists its
# files' SHA-256 (of the plaintext, computed while sealing), compared with the harness's .sha256 sidecars.
set -euo pipefail

WORK=${WORK:-/tmp/pli-upload-bench}

if [ "${1:-}" = --next-args ]; then   # called by the patched run-all.sh before each candidate run
  n=$(cat "$WORK/state/next"); echo $((n + 1)) >"$WORK/state/next"
  draft=$(jq -r ".drafts[$n] // empty" "$WORK/state/host.json")
  [ -n "$draft" ] || { echo "upload.sh: no draft left for run $n" >&2; exit 1; }
  echo "$draft" >>"$WORK/state/used"
  printf '%s\n' --header "Authorization: Bearer $(jq -r .token "$WORK/state/host.json")" \
    --metadata "deposit=$draft" --metadata "envelope=$(jq -r .envelope "$WORK/state/host.json")" \
    --metadata "filename=$(jq -r .filename "$WORK/state/host.json")"
  exit 0
fi

# Only the --next-args form may run inside a run: anything else here would start a run within the run.
[ -z "${PLI_UPLOAD_BENCH:-}" ] || { echo "upload.sh: already running (PLI_UPLOAD_BENCH is set)" >&2; exit 1; }
export PLI_UPLOAD_BENCH=1
REPO="$(cd "$(dirname "$0")/.." && pwd)"
HARNESS=${HARNESS:-$REPO/../shared/bench}
PHASES=${PHASES:-"256MiB 1GiB"} REPS=${REPS:-3} BIG_REPS=${BIG_REPS:-1} FILES=${FILES:-4} CHUNK=${CHUNK:-8MiB}
MAX_SECONDS=${MAX_SECONDS:-2400}
BIN=${BIN:-$REPO/bench/Pli.Bench/bin/Release/net10.0/Pli.Bench}
log() { echo "upload.sh: $*" >&2; }

HOST_PID=""
stop_host() {
  if [ -n "$HOST_PID" ]; then kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null || true; HOST_PID=""; fi
}
trap stop_host EXIT

# ---------- scratch copy of the harness, with the candidate's extra arguments ----------
mkdir -p "$WORK/harness"
find "$WORK/harness" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name data -exec rm -rf {} +
tar -C "$HARNESS" --exclude=./node_modules --exclude=./data --exclude=./results -cf - . | tar -C "$WORK/harness" -xf -
(cd "$WORK/harness" && npm ci --no-audit --no-fund >/dev/null)
sed -i 's|^  local t=\$1 url=\$2 verify=\$3 pid=\$4$|&\n  local extra=(); if [ "$t" = candidate ] \&\& [ -n "${CANDIDATE_NEXT_ARGS:-}" ]; then mapfile -t extra < <("$CANDIDATE_NEXT_ARGS"); fi|; s|--sync \$verify |--sync $verify "${extra[@]}" |' \
  "$WORK/harness/run-all.sh"
grep -q CANDIDATE_NEXT_ARGS "$WORK/harness/run-all.sh" && grep -q '"${extra\[@\]}"' "$WORK/harness/run-all.sh" \
  || { log "run-all.sh has changed: the candidate-arguments patch did not apply"; exit 1; }
[ -x "$BIN" ] || { log "build first: dotnet build Pli.slnx -c Release"; exit 1; }

# ---------- one phase: a fresh Pli host (its own peak RSS), run-all.sh, digests ----------
phase() { # size reps
  local size=$1 reps=$2 state="$WORK/state" out="$WORK/results-$1${LABEL:+-$LABEL}.jsonl" setting settings=()
  for setting in ${PLI_SETTINGS:-}; do settings+=(--setting "$setting"); done
  rm -rf "$state"; mkdir -p "$state"; echo 0 >"$state/next"; : >"$state/used"
  printf '#!/bin/sh\nexec "%s" --next-args\n' "$REPO/bench/upload.sh" >"$state/next-args"; chmod +x "$state/next-args"
  if [ "${ROLE:-all}" = ingest ]; then
    settings+=(--role ingest --ingest-dll "$REPO/src/Pli.Web/bin/Release/net10.0/Pli.Web.dll")
    for setting in ${INGEST_ENV:-}; do settings+=(--ingest-env "$setting"); done
  fi
  "$BIN" upload-host --drafts $((reps + 1)) --extension .bin --max-seconds "$MAX_SECONDS" "${settings[@]}" >"$state/host.log" 2>&1 &
  HOST_PID=$!
  for _ in $(seq 1 600); do grep -q '"listening":true' "$state/host.log" 2>/dev/null && break; sleep 0.2; done
  grep '"listening":true' "$state/host.log" >"$state/host.json" || { log "Pli host did not start"; cat "$state/host.log" >&2; exit 1; }
  [ "$(jq -r .pid "$state/host.json")" = "$HOST_PID" ] || { log "Pli host PID mismatch"; exit 1; }
  local server_pid; server_pid=$(jq -r '.serverPid // .pid' "$state/host.json")
  log "phase $FILES x $size: Pli (${ROLE:-all} role) at $(jq -r .url "$state/host.json") (pid $server_pid), $((reps + 1)) drafts"

  (cd "$WORK/harness" && exec timeout "$MAX_SECONDS" env FILES=$FILES SIZE=$size CHUNK=$CHUNK REPS=$reps SETTLE=${SETTLE:-5} LIMITS=0 TIMEOUT=600 \
     TARGETS="tus-peer candidate" CANDIDATE_URL="$(jq -r .url "$state/host.json")" CANDIDATE_PID=$server_pid \
     CANDIDATE_NEXT_ARGS="$state/next-args" WORK="$WORK" OUT="$out" ./run-all.sh) >"$WORK/run-$size.log" 2>&1 \
    || { log "run-all.sh failed"; tail -20 "$WORK/run-$size.log" >&2; }

  # The n-th candidate line used the n-th draft: mark it verified when its files' SHA-256 are the sources'.
  local base token verdicts="$state/verdicts"; base=$(jq -r '.api // .url' "$state/host.json"); base=${base%/}; base=${base%/api/uploads}
  token=$(jq -r .token "$state/host.json"); : >"$verdicts"
  while read -r draft; do
    curl -sf -H "Authorization: Bearer $token" "$base/api/deposits/$draft" >"$state/deposit.json" || echo '{"files":[]}' >"$state/deposit.json"
    local ok=0 i=0 src want got
    while read -r src want _; do
      got=$(jq -r --arg n "bench-$i.bin" '.files[] | select(.name == $n) | .sha256' "$state/deposit.json")
      [ "$want" = "$got" ] && ok=$((ok + 1))
      i=$((i + 1))
    done < <(cd "$WORK/harness" && node tus-client.mjs --prepare-only --files "$FILES" --size "$size" --src-dir data/src)
    echo "$ok" >>"$verdicts"
  done <"$state/used"
  node -e '
    const fs = require("fs"); const [out, verdicts, files] = process.argv.slice(1);
    const v = fs.readFileSync(verdicts, "utf8").split("\n").filter(Boolean).map(Number); let n = 0;
    const rows = fs.readFileSync(out, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).map((r) => {
      if (r.target !== "candidate" || !r.ok) return r;
      const good = v[n++] ?? 0; return { ...r, verified: good === +files, digests_ok: good, ok: good === +files };
    });
    fs.writeFileSync(out, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");' "$out" "$verdicts" "$FILES"
  stop_host
  echo "### $FILES x $size, chunk $CHUNK, Pli role: ${ROLE:-all}, settings: ${PLI_SETTINGS:-none}, ingest env: ${INGEST_ENV:-none} ($(date -u +%FT%TZ); load: $(cut -d' ' -f1-3 /proc/loadavg); results $out)"
  echo "Pli host peak RSS after start-up, before any upload: $(jq -r .startupPeakRssMiB "$state/host.json") MiB; digests per run: $(paste -sd' ' "$verdicts") of $FILES"
  node "$WORK/harness/summarize.mjs" "$out" | sed -n '/## Targets/,$p'
  jq -rc 'select(.target) | {target, warmup, rep, MBps, durable_MBps, verified, rss: .server.peak_rss_MiB, cpu: .server.cpu_s_during}' "$out"
}

deadline=$((SECONDS + MAX_SECONDS))
for size in $PHASES; do
  [ $SECONDS -lt $deadline ] || { log "time is up ($MAX_SECONDS s)"; break; }
  case $size in *GiB) phase "$size" "$BIG_REPS" ;; *) phase "$size" "$REPS" ;; esac
done
