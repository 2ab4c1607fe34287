# Helpers shared by scripts/bench/*.sh (sourced, not run). Loopback only.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Cargo puts binaries under $CARGO_TARGET_DIR when it is set (a shared build cache).
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release"
PIDS=()

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

need() { # need COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2"
  if ! (apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2"; } >/dev/null 2>&1); then
    die "$1 is missing and apt-get install $2 failed"
  fi
}

build() {
  if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
    log "cargo build --release -p flipt-read -p flipt-write --bins --examples"
    (cd "$ROOT" && cargo build --release -q -p flipt-read -p flipt-write --bins --examples)
  fi
  [[ -x "$BIN/flipt-read" && -x "$BIN/flipt-write" ]] || die "release binaries missing"
}

# start NAME CPU-LIST CMD... : starts CMD in the background (pinned with taskset when CPU-LIST
# is not empty), logs to $WORK/NAME.log, records the pid. Sets LAST_PID.
start() {
  local name=$1 cpus=$2
  shift 2
  if [[ -n "$cpus" ]]; then
    taskset -c "$cpus" "$@" >"$WORK/$name.log" 2>&1 &
  else
    "$@" >"$WORK/$name.log" 2>&1 &
  fi
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}

# stop PID: SIGTERM, then SIGKILL after 10 s. Only pids this script started.
stop() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop "$pid"; done
  if [[ -n "${WORK:-}" && "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; fi
}

# wait_http URL [SECONDS]: until URL answers 200.
wait_http() {
  local url=$1 limit=${2:-60} i
  for i in $(seq 1 $((limit * 10))); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" == 200 ]] && return 0
    sleep 0.1
  done
  die "$url did not answer 200 within ${limit}s"
}

# wait_post URL BODY [SECONDS]: until a POST of BODY answers 200.
wait_post() {
  local url=$1 body=$2 limit=${3:-60} i
  for i in $(seq 1 $((limit * 10))); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$url" 2>/dev/null)" == 200 ]] && return 0
    sleep 0.1
  done
  die "POST $url did not answer 200 within ${limit}s"
}

# median: the median of the numbers on stdin (one a line; the mean of the middle two when even).
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# rss_kb PID: VmRSS in kB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# A write tier on $WORK/flipt.db (standalone SQLite), loopback only.
start_write_tier() {
  local http=$1 grpc=$2
  start write "" env FLIPT_DB_URL="file:$WORK/flipt.db" FLIPT_SERVER_HOST=127.0.0.1 \
    FLIPT_SERVER_HTTP_PORT="$http" FLIPT_SERVER_GRPC_PORT="$grpc" FLIPT_LOG_LEVEL=warn \
    "$BIN/flipt-write"
  WRITE_PID=$LAST_PID
  wait_http "http://127.0.0.1:$http/health"
}

# A read instance on $WORK/flipt.db, pinned to CPU-LIST. Sets READ_PID.
start_read_tier() {
  local http=$1 grpc=$2 cpus=$3
  start read "$cpus" env FLIPT_DB_URL="file:$WORK/flipt.db" FLIPT_SERVER_HOST=127.0.0.1 \
    FLIPT_SERVER_HTTP_PORT="$http" FLIPT_SERVER_GRPC_PORT="$grpc" FLIPT_LOG_LEVEL=warn \
    "$BIN/flipt-read"
  READ_PID=$LAST_PID
  wait_http "http://127.0.0.1:$http/health"
}
