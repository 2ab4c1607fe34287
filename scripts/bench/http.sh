#!/usr/bin/env bash
# HTTP load benchmark of the read tier against a baseline (docs/benchmarks.md).
#
#   scripts/bench/http.sh
#
# One invocation: builds (unless BENCH_NO_BUILD=1), seeds the namespace of
# shared/benches/common/mod.rs through a standalone write tier on a fresh SQLite file, starts
# flipt-read on that file and the baseline server (read-tier/examples/baseline.rs), both pinned
# to CPU $BENCH_SERVER_CPU, then, for each connection count and endpoint, runs wrk pinned to CPU
# $BENCH_LOAD_CPU in BENCH_ROUNDS interleaved rounds (baseline, read tier; read tier, baseline;
# ...). Prints a markdown table of medians over the rounds (requests/s, p50, p99 of each side;
# the median and the range of the per-round ratios) and stops everything. Per-round figures go
# to stderr as they come.
#
# Loopback only. Every wrk run is bounded by BENCH_DURATION seconds (default 5); the whole
# script takes about 2 × 6 × 2 × BENCH_ROUNDS × (BENCH_DURATION + 0.2) s (about 11 minutes with
# the defaults) plus the build and a short warm-up.
#
# Environment: BENCH_DURATION (s), BENCH_ROUNDS (5), BENCH_CONNECTIONS ("16 64"),
# BENCH_SERVER_CPU (0), BENCH_LOAD_CPU (1), BENCH_PORT_BASE (18400), BENCH_NO_BUILD,
# BENCH_KEEP (keep the work dir), BENCH_PREPARE_ONLY (a directory: copy the seeded database
# and the baseline's templates there and stop before measuring; scripts/bench/callgrind.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION=${BENCH_DURATION:-5}
ROUNDS=${BENCH_ROUNDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-"16 64"}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}
PORT=${BENCH_PORT_BASE:-18400}
WRITE_HTTP=$PORT WRITE_GRPC=$((PORT + 1)) READ_HTTP=$((PORT + 2)) READ_GRPC=$((PORT + 3))
BASE_HTTP=$((PORT + 4))
LUA="$ROOT/scripts/bench/wrk.lua"

need wrk wrk
need jq jq
need curl curl
need taskset util-linux
build

WORK=$(mktemp -d /tmp/flipt-bench-http.XXXXXX)
trap cleanup EXIT

# ---- seed through the write tier ------------------------------------------------------------
start_write_tier "$WRITE_HTTP" "$WRITE_GRPC"
API="http://127.0.0.1:$WRITE_HTTP/api/v1/namespaces/default"
api() { # api METHOD PATH JSON → response body
  curl -s --fail-with-body -X "$1" -H 'Content-Type: application/json' -d "$3" "$API$2" ||
    die "$1 $2 failed"
}
log "seeding 5 variant and 5 boolean flags through the write tier"
api POST /segments '{"key":"internal","name":"internal","matchType":"ALL_MATCH_TYPE"}' >/dev/null
api POST /segments/internal/constraints \
  '{"type":"STRING_COMPARISON_TYPE","property":"email","operator":"suffix","value":"@flipt.io"}' >/dev/null
api POST /segments '{"key":"eu-adults","name":"eu-adults","matchType":"ALL_MATCH_TYPE"}' >/dev/null
api POST /segments/eu-adults/constraints \
  '{"type":"STRING_COMPARISON_TYPE","property":"country","operator":"isoneof","value":"[\"de\",\"fr\",\"nl\",\"es\",\"it\",\"pl\"]"}' >/dev/null
api POST /segments/eu-adults/constraints \
  '{"type":"NUMBER_COMPARISON_TYPE","property":"age","operator":"gte","value":"18"}' >/dev/null
api POST /segments '{"key":"beta-pro","name":"beta-pro","matchType":"ALL_MATCH_TYPE"}' >/dev/null
api POST /segments/beta-pro/constraints \
  '{"type":"BOOLEAN_COMPARISON_TYPE","property":"beta","operator":"true"}' >/dev/null
api POST /segments/beta-pro/constraints \
  '{"type":"STRING_COMPARISON_TYPE","property":"plan","operator":"isoneof","value":"[\"pro\",\"enterprise\"]"}' >/dev/null
api POST /segments/beta-pro/constraints \
  '{"type":"NUMBER_COMPARISON_TYPE","property":"seats","operator":"gte","value":"10"}' >/dev/null
api POST /segments/beta-pro/constraints \
  '{"type":"STRING_COMPARISON_TYPE","property":"email","operator":"suffix","value":".com"}' >/dev/null
for i in 0 1 2 3 4; do
  f="variant-$i"
  api POST /flags "{\"key\":\"$f\",\"name\":\"$f\",\"type\":\"VARIANT_FLAG_TYPE\",\"enabled\":true}" >/dev/null
  declare -A vid=()
  for v in off on control treatment; do
    vid[$v]=$(api POST "/flags/$f/variants" "{\"key\":\"$v\",\"name\":\"$v\"}" | jq -r .id)
  done
  api PUT "/flags/$f" "{\"key\":\"$f\",\"name\":\"$f\",\"enabled\":true,\"defaultVariantId\":\"${vid[off]}\"}" >/dev/null
  rank=1
  for spec in "internal on:100" "eu-adults on:100" "beta-pro control:50 treatment:50"; do
    read -r segment dists <<<"$spec"
    rule=$(api POST "/flags/$f/rules" "{\"segmentKeys\":[\"$segment\"],\"rank\":$rank}" | jq -r .id)
    for d in $dists; do
      api POST "/flags/$f/rules/$rule/distributions" \
        "{\"variantId\":\"${vid[${d%%:*}]}\",\"rollout\":${d##*:}}" >/dev/null
    done
    rank=$((rank + 1))
  done
  unset vid
  f="boolean-$i"
  api POST /flags "{\"key\":\"$f\",\"name\":\"$f\",\"type\":\"BOOLEAN_FLAG_TYPE\",\"enabled\":false}" >/dev/null
  api POST "/flags/$f/rollouts" '{"rank":1,"segment":{"segmentKey":"internal","value":true}}' >/dev/null
  api POST "/flags/$f/rollouts" '{"rank":2,"threshold":{"percentage":25,"value":true}}' >/dev/null
done
stop "$WRITE_PID"

# ---- start the read tier and the baseline on the server CPU ------------------------------------
start_read_tier "$READ_HTTP" "$READ_GRPC" "$SERVER_CPU"
READ="http://127.0.0.1:$READ_HTTP"
VARIANT_BODY='{"namespaceKey":"default","flagKey":"variant-0","entityId":"user-000001","context":{"email":"jane.doe@example.com","country":"us","age":"34","beta":"true","plan":"pro","seats":"25"}}'
wait_post "$READ/evaluate/v1/variant" "$VARIANT_BODY"
SNAP="/internal/v1/evaluation/snapshot/namespace/default"

# Response templates for the baseline, captured from the read tier so the sizes match.
mkdir -p "$WORK/templates"
ctx='"context":{"email":"jane.doe@example.com","country":"us","age":"34","beta":"true","plan":"pro","seats":"25"}'
eval_body() { printf '{"namespaceKey":"default","flagKey":"%s","entityId":"user-000001",%s}' "$1" "$ctx"; }
body() {
  case $1 in
  variant) eval_body variant-0 ;;
  boolean) eval_body boolean-0 ;;
  batch)
    local items=() f
    for f in variant-0 variant-1 variant-2 variant-3 variant-4 boolean-0 boolean-1 boolean-2 boolean-3 boolean-4; do
      items+=("$(eval_body "$f")")
    done
    local IFS=,
    printf '{"requests":[%s]}' "${items[*]}"
    ;;
  esac
}
for kind in variant boolean batch; do
  curl -s --fail-with-body -H 'Content-Type: application/json' -d "$(body "$kind")" \
    "$READ/evaluate/v1/$kind" >"$WORK/templates/$kind.json" || die "read tier $kind evaluation failed"
done
jq -e '.match == true and (.segmentKeys == ["beta-pro"])' "$WORK/templates/variant.json" >/dev/null ||
  die "unexpected variant answer: $(cat "$WORK/templates/variant.json")"
jq -e '.responses | length == 10' "$WORK/templates/batch.json" >/dev/null ||
  die "unexpected batch answer"
curl -s -D "$WORK/snapshot.headers" -o "$WORK/templates/snapshot.json" "$READ$SNAP"
ETAG=$(awk 'tolower($1) == "etag:" {print $2}' "$WORK/snapshot.headers" | tr -d '\r')
[[ -n "$ETAG" ]] || die "the snapshot has no ETag"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$READ$SNAP")
[[ "$code" == 304 ]] || die "If-None-Match answered $code, not 304"

if [[ -n "${BENCH_PREPARE_ONLY:-}" ]]; then
  # For scripts/bench/callgrind.sh: keep the seeded database and the templates, measure nothing.
  stop "$READ_PID"
  mkdir -p "$BENCH_PREPARE_ONLY"
  cp "$WORK"/flipt.db* "$BENCH_PREPARE_ONLY"/ && cp -r "$WORK/templates" "$BENCH_PREPARE_ONLY"/
  log "seeded database and templates in $BENCH_PREPARE_ONLY"
  exit 0
fi

start baseline "$SERVER_CPU" env BASELINE_HTTP_PORT="$BASE_HTTP" BASELINE_TEMPLATES="$WORK/templates" \
  "$BIN/examples/baseline"
BASE="http://127.0.0.1:$BASE_HTTP"
wait_http "$BASE/hello"

size() { # size URL [BODY]
  if [[ $# -eq 2 ]]; then
    curl -s -o /dev/null -w '%{size_download}' -H 'Content-Type: application/json' -d "$2" "$1"
  else
    curl -s -o /dev/null -w '%{size_download}' "$1"
  fi
}
log "response bytes (read tier / baseline):" \
  "variant $(size "$READ/evaluate/v1/variant" "$(body variant)")/$(size "$BASE/evaluate/v1/variant" "$(body variant)")," \
  "boolean $(size "$READ/evaluate/v1/boolean" "$(body boolean)")/$(size "$BASE/evaluate/v1/boolean" "$(body boolean)")," \
  "batch $(size "$READ/evaluate/v1/batch" "$(body batch)")/$(size "$BASE/evaluate/v1/batch" "$(body batch)")," \
  "snapshot $(size "$READ$SNAP")/$(size "$BASE/snapshot")"

# ---- load ---------------------------------------------------------------------------------------
# name | kind | read-tier URL | baseline URL | If-None-Match sent to the read tier | … to the
# baseline. The 304 pair sends the baseline the very request the read tier gets (its hello world
# is routed at the snapshot's path); the last pair is the same 304 against a hello world at
# `/hello` with no header (a shorter request to read).
PAIRS=(
  "variant|variant|$READ/evaluate/v1/variant|$BASE/evaluate/v1/variant||"
  "boolean|boolean|$READ/evaluate/v1/boolean|$BASE/evaluate/v1/boolean||"
  "batch (10 flags)|batch|$READ/evaluate/v1/batch|$BASE/evaluate/v1/batch||"
  "snapshot 200|get|$READ$SNAP|$BASE/snapshot||"
  "snapshot 304 vs hello world (same request)|get|$READ$SNAP|$BASE$SNAP|$ETAG|$ETAG"
  "snapshot 304 vs hello world at /hello|get|$READ$SNAP|$BASE/hello|$ETAG|"
)

run_wrk() { # run_wrk CONNS SECONDS KIND URL ETAG → RESULT line
  BENCH_KIND=$3 BENCH_ETAG=$5 taskset -c "$LOAD_CPU" \
    wrk -t1 -c"$1" -d"${2}s" --timeout 5s -s "$LUA" "$4" 2>&1 | grep '^RESULT' ||
    die "wrk against $4 printed no result"
}
med() { printf '%s\n' "$@" | median; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

log "warm-up (1 s per endpoint)"
for pair in "${PAIRS[@]}"; do
  IFS='|' read -r name kind rurl burl etag betag <<<"$pair"
  run_wrk 16 1 "$kind" "$rurl" "$etag" >/dev/null
  run_wrk 16 1 "$kind" "$burl" "$betag" >/dev/null
done

# One measurement: ROUNDS interleaved pairs of runs (the baseline first in odd rounds, the read
# tier first in even ones, so slow drifts in machine load hit both sides alike). Reports the
# median of each figure over the rounds and the median (and range) of the per-round ratios.
rss_before=$(rss_kb "$READ_PID")
log "$ROUNDS rounds × ${DURATION} s per server, endpoint and connection count"
echo
echo "| endpoint | conns | read tier req/s | p50 | p99 | baseline req/s | p50 | p99 | ratio (median) | ratio range |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for conns in $CONNECTIONS; do
  for pair in "${PAIRS[@]}"; do
    IFS='|' read -r name kind rurl burl etag betag <<<"$pair"
    r_rps=() r_p50=() r_p99=() b_rps=() b_p50=() b_p99=() ratios=()
    for round in $(seq 1 "$ROUNDS"); do
      if ((round % 2)); then
        b=$(run_wrk "$conns" "$DURATION" "$kind" "$burl" "$betag")
        r=$(run_wrk "$conns" "$DURATION" "$kind" "$rurl" "$etag")
      else
        r=$(run_wrk "$conns" "$DURATION" "$kind" "$rurl" "$etag")
        b=$(run_wrk "$conns" "$DURATION" "$kind" "$burl" "$betag")
      fi
      for res in "$r" "$b"; do
        if [[ "$(field socket_errors "$res")" != 0 || "$(field status_errors "$res")" != 0 ]]; then
          log "errors during $name at $conns connections: $res"
        fi
      done
      r_rps+=("$(field rps "$r")") r_p50+=("$(field p50_us "$r")") r_p99+=("$(field p99_us "$r")")
      b_rps+=("$(field rps "$b")") b_p50+=("$(field p50_us "$b")") b_p99+=("$(field p99_us "$b")")
      ratios+=("$(awk -v r="$(field rps "$r")" -v b="$(field rps "$b")" 'BEGIN { printf "%.4f", r / b }')")
      log "$name, $conns conns, round $round: read tier ${r_rps[-1]} req/s, baseline ${b_rps[-1]} req/s (${ratios[-1]})"
    done
    awk -v n="$name" -v c="$conns" \
      -v rr="$(med "${r_rps[@]}")" -v r50="$(med "${r_p50[@]}")" -v r99="$(med "${r_p99[@]}")" \
      -v br="$(med "${b_rps[@]}")" -v b50="$(med "${b_p50[@]}")" -v b99="$(med "${b_p99[@]}")" \
      -v ratio="$(med "${ratios[@]}")" \
      -v lo="$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)" \
      -v hi="$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)" \
      'BEGIN { printf "| %s | %d | %.0f | %d µs | %d µs | %.0f | %d µs | %d µs | %.2f× | %.2f–%.2f× |\n",
               n, c, rr, r50, r99, br, b50, b99, ratio, lo, hi }'
  done
done
echo
log "read tier VmRSS: ${rss_before} kB before the measured runs, $(rss_kb "$READ_PID") kB after"
log "done"
