#!/usr/bin/env bash
# Instructions per request of the read tier and of the HTTP baseline, under callgrind
# (docs/benchmarks.md). Unlike wrk's throughput, the counts do not depend on machine load.
#
#   scripts/bench/callgrind.sh
#
# One invocation: builds (unless BENCH_NO_BUILD=1), seeds and captures templates with
# `BENCH_PREPARE_ONLY=… scripts/bench/http.sh`, then runs flipt-read and the baseline in turn
# under `valgrind --tool=callgrind`. Per endpoint: counters zeroed (`callgrind_control -z`),
# `wrk -t1 -c2` for BENCH_SECONDS (default 6), counters dumped (`callgrind_control -d`), total
# instructions divided by the requests wrk completed. Prints a markdown table; the dumps stay
# in the work dir with BENCH_KEEP=1 (`callgrind_annotate --inclusive=yes <dump>`).
# User-space instructions only; idle work in the window (timers, the revision poll) is
# included, so both sides read slightly high. Loopback only.
#
# Environment: BENCH_SECONDS, BENCH_PORT_BASE (18700), BENCH_NO_BUILD, BENCH_KEEP.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN=${BENCH_SECONDS:-6}
PORT=${BENCH_PORT_BASE:-18700}
LUA="$ROOT/scripts/bench/wrk.lua"

need valgrind valgrind
need wrk wrk
need curl curl
build

WORK=$(mktemp -d /tmp/flipt-bench-cg.XXXXXX)
trap cleanup EXIT
BENCH_NO_BUILD=1 BENCH_PREPARE_ONLY="$WORK/seed" BENCH_PORT_BASE=$((PORT + 10)) \
  "$ROOT/scripts/bench/http.sh" 2>"$WORK/prepare.log" || die "seeding failed: $(cat "$WORK/prepare.log")"

# measure NAME KIND URL [ETAG] (valgrind pid in CG_PID) → "NAME instructions-per-request requests"
measure() {
  local name=$1 kind=$2 url=$3 etag=${4:-} res n dump ir
  callgrind_control -z "$CG_PID" >/dev/null 2>&1
  res=$(BENCH_KIND=$kind BENCH_ETAG=$etag wrk -t1 -c2 -d"${SECONDS_PER_RUN}s" --timeout 10s -s "$LUA" "$url" 2>&1 |
    grep '^RESULT') || die "wrk against $url printed no result"
  callgrind_control -d "$name" "$CG_PID" >/dev/null 2>&1
  sleep 1
  dump=$(ls -t "$WORK"/callgrind.out.* | head -1)
  mv "$dump" "$WORK/$name.callgrind"
  n=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$res")
  ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$WORK/$name.callgrind")
  echo "$name $((ir / n)) $n"
}

warm() { # warm BASE_URL
  local kind
  for kind in variant boolean batch; do
    BENCH_KIND=$kind wrk -t1 -c2 -d2s -s "$LUA" "$1/evaluate/v1/$kind" >/dev/null 2>&1
  done
}

results=()
start read "" env FLIPT_DB_URL="file:$WORK/seed/flipt.db" FLIPT_SERVER_HOST=127.0.0.1 \
  FLIPT_SERVER_HTTP_PORT="$PORT" FLIPT_SERVER_GRPC_PORT=$((PORT + 1)) FLIPT_LOG_LEVEL=warn \
  valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out.%p" "$BIN/flipt-read"
READ_PID=$LAST_PID CG_PID=$LAST_PID
READ="http://127.0.0.1:$PORT"
wait_http "$READ/health" 120
SNAP_PATH=/internal/v1/evaluation/snapshot/namespace/default
SNAP="$READ$SNAP_PATH"
ETAG=$(curl -s -D - -o /dev/null "$SNAP" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
warm "$READ"
results+=("$(measure read-variant variant "$READ/evaluate/v1/variant")")
results+=("$(measure read-boolean boolean "$READ/evaluate/v1/boolean")")
results+=("$(measure read-batch batch "$READ/evaluate/v1/batch")")
results+=("$(measure read-snapshot200 get "$SNAP")")
results+=("$(measure read-snapshot304 get "$SNAP" "$ETAG")")
stop "$READ_PID"
rm -f "$WORK"/callgrind.out.*

start baseline "" env BASELINE_HTTP_PORT=$((PORT + 2)) BASELINE_TEMPLATES="$WORK/seed/templates" \
  valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out.%p" "$BIN/examples/baseline"
BASE_PID=$LAST_PID CG_PID=$LAST_PID
BASE="http://127.0.0.1:$((PORT + 2))"
wait_http "$BASE/hello" 120
warm "$BASE"
results+=("$(measure base-variant variant "$BASE/evaluate/v1/variant")")
results+=("$(measure base-boolean boolean "$BASE/evaluate/v1/boolean")")
results+=("$(measure base-batch batch "$BASE/evaluate/v1/batch")")
results+=("$(measure base-snapshot200 get "$BASE/snapshot")")
results+=("$(measure base-hello-same get "$BASE$SNAP_PATH" "$ETAG")")
results+=("$(measure base-hello get "$BASE/hello")")
stop "$BASE_PID"
rm -f "$WORK"/callgrind.out.*

per() { printf '%s\n' "${results[@]}" | awk -v n="$1" '$1 == n {print $2}'; }
echo
echo "| endpoint | read tier | baseline | baseline ÷ read tier |"
echo "|---|---:|---:|---:|"
for pair in "variant|read-variant|base-variant" "boolean|read-boolean|base-boolean" \
  "batch (10 flags)|read-batch|base-batch" "snapshot 200|read-snapshot200|base-snapshot200" \
  "snapshot 304 / hello world (same request)|read-snapshot304|base-hello-same" \
  "snapshot 304 / hello world at /hello|read-snapshot304|base-hello"; do
  IFS='|' read -r label r b <<<"$pair"
  awk -v l="$label" -v r="$(per "$r")" -v b="$(per "$b")" \
    'BEGIN { printf "| %s | %d | %d | %.2f |\n", l, r, b, b / r }'
done
echo
log "instructions per request (user space); done"
