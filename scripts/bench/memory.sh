#!/usr/bin/env bash
# Resident memory of a read instance with 100 and with 10,000 flags (docs/benchmarks.md).
#
#   scripts/bench/memory.sh
#
# For each size: creates a fresh SQLite database with `flipt-write migrate`, writes the flags
# straight into Flipt's schema with the sqlite3 CLI (half variant flags with two variants and
# two rules — one segment, one 50/50 split —, half boolean flags with a segment rollout and a
# 25 % threshold, over three shared segments with 1, 2 and 4 constraints) and bumps
# namespaces.revision; starts flipt-read on it (loopback only, one actix worker per core, not
# pinned) and reads VmRSS from /proc/<pid>/status:
#   loaded    once the first snapshot answers evaluations,
#   evaluated after BENCH_EVAL_SECONDS (default 3) of wrk evaluation load at 16 connections,
#   document  after the client-side snapshot document was rendered once (it is cached,
#             gzip-compressed) and served three times: decompressed for jq, decompressed for
#             its size, and compressed (`Accept-Encoding: gzip`) for its compressed size.
# Environment: BENCH_SIZES ("100 10000"), BENCH_PORT_BASE (18500), BENCH_NO_BUILD, BENCH_KEEP.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SIZES=${BENCH_SIZES:-"100 10000"}
EVAL_SECONDS=${BENCH_EVAL_SECONDS:-3}
PORT=${BENCH_PORT_BASE:-18500}
READ_HTTP=$PORT READ_GRPC=$((PORT + 1))

need sqlite3 sqlite3
need wrk wrk
need jq jq
need curl curl
build

WORK=$(mktemp -d /tmp/flipt-bench-mem.XXXXXX)
trap cleanup EXIT

seed_sql() { # seed_sql N
  cat <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TEMP TABLE seq (i INTEGER PRIMARY KEY);
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < $1)
INSERT INTO seq SELECT i FROM s;

INSERT INTO segments (namespace_key, "key", name, description, match_type) VALUES
  ('default', 'internal', 'Internal', '', 0),
  ('default', 'eu-adults', 'EU adults', '', 0),
  ('default', 'beta-pro', 'Beta pro', '', 0);
INSERT INTO constraints (id, namespace_key, segment_key, type, property, operator, value) VALUES
  ('c1', 'default', 'internal', 1, 'email', 'suffix', '@flipt.io'),
  ('c2', 'default', 'eu-adults', 1, 'country', 'isoneof', '["de","fr","nl","es","it","pl"]'),
  ('c3', 'default', 'eu-adults', 2, 'age', 'gte', '18'),
  ('c4', 'default', 'beta-pro', 3, 'beta', 'true', ''),
  ('c5', 'default', 'beta-pro', 1, 'plan', 'isoneof', '["pro","enterprise"]'),
  ('c6', 'default', 'beta-pro', 2, 'seats', 'gte', '10'),
  ('c7', 'default', 'beta-pro', 1, 'email', 'suffix', '.com');

-- Even i: variant flag; odd i: boolean flag.
INSERT INTO flags (namespace_key, "key", name, description, enabled, type)
SELECT 'default', printf('flag-%05d', i), printf('Flag %d', i), 'A benchmark flag', 1, i % 2 FROM seq;

INSERT INTO variants (id, namespace_key, flag_key, "key", name, description, attachment)
SELECT printf('v-%05d-%s', i, k), 'default', printf('flag-%05d', i), k, k, '',
       CASE k WHEN 'control' THEN '{"color": "blue", "size": 3}' END
FROM seq, (SELECT 'control' AS k UNION ALL SELECT 'treatment') WHERE i % 2 = 0;
UPDATE flags SET default_variant_id = printf('v-%s-control', substr("key", 6)) WHERE type = 0;

INSERT INTO rules (id, namespace_key, flag_key, "rank", segment_operator)
SELECT printf('r-%05d-%d', i, r), 'default', printf('flag-%05d', i), r, 0
FROM seq, (SELECT 1 AS r UNION ALL SELECT 2) WHERE i % 2 = 0;
INSERT INTO rule_segments (rule_id, namespace_key, segment_key)
SELECT printf('r-%05d-%d', i, r), 'default', CASE r WHEN 1 THEN 'internal' ELSE 'beta-pro' END
FROM seq, (SELECT 1 AS r UNION ALL SELECT 2) WHERE i % 2 = 0;
INSERT INTO distributions (id, rule_id, variant_id, rollout)
SELECT printf('d-%05d-1', i), printf('r-%05d-1', i), printf('v-%05d-control', i), 100 FROM seq WHERE i % 2 = 0
UNION ALL
SELECT printf('d-%05d-2c', i), printf('r-%05d-2', i), printf('v-%05d-control', i), 50 FROM seq WHERE i % 2 = 0
UNION ALL
SELECT printf('d-%05d-2t', i), printf('r-%05d-2', i), printf('v-%05d-treatment', i), 50 FROM seq WHERE i % 2 = 0;

INSERT INTO rollouts (id, namespace_key, flag_key, type, description, "rank")
SELECT printf('ro-%05d-%d', i, r), 'default', printf('flag-%05d', i), r, '', r
FROM seq, (SELECT 1 AS r UNION ALL SELECT 2) WHERE i % 2 = 1;
INSERT INTO rollout_segments (id, rollout_id, value, segment_operator)
SELECT printf('rs-%05d', i), printf('ro-%05d-1', i), 1, 0 FROM seq WHERE i % 2 = 1;
INSERT INTO rollout_segment_references (rollout_segment_id, namespace_key, segment_key)
SELECT printf('rs-%05d', i), 'default', 'internal' FROM seq WHERE i % 2 = 1;
INSERT INTO rollout_thresholds (id, namespace_key, rollout_id, percentage, value)
SELECT printf('rt-%05d', i), 'default', printf('ro-%05d-2', i), 25, 1 FROM seq WHERE i % 2 = 1;

UPDATE namespaces SET revision = revision + 1, updated_at = CURRENT_TIMESTAMP,
  state_modified_at = CURRENT_TIMESTAMP WHERE "key" = 'default';
COMMIT;
SQL
}

LUA=$(mktemp "$WORK/eval.XXXXXX.lua")
cat >"$LUA" <<'LUA'
local n = 0
request = function()
  n = n % 1024 + 1
  local body = '{"flagKey":"flag-00000","entityId":"user-' .. n .. '","context":{"email":"jane@example.com","beta":"true","plan":"pro","seats":"25"}}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
LUA

echo
echo "| flags | loaded | after ${EVAL_SECONDS} s of evaluations | after the snapshot document | document bytes | gzip bytes |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  rm -f "$WORK"/flipt.db*
  FLIPT_DB_URL="file:$WORK/flipt.db" FLIPT_LOG_LEVEL=warn "$BIN/flipt-write" migrate >"$WORK/migrate.log" 2>&1 ||
    die "migrate failed: $(cat "$WORK/migrate.log")"
  seed_sql "$n" | sqlite3 -bail "$WORK/flipt.db" || die "seeding $n flags failed"
  count=$(sqlite3 "$WORK/flipt.db" 'SELECT count(*) FROM flags')
  [[ "$count" == "$n" ]] || die "expected $n flags, found $count"

  start_read_tier "$READ_HTTP" "$READ_GRPC" ""
  READ="http://127.0.0.1:$READ_HTTP"
  wait_post "$READ/evaluate/v1/variant" '{"flagKey":"flag-00000","entityId":"u"}'
  last=$(printf 'flag-%05d' $((n - 1)))
  wait_post "$READ/evaluate/v1/boolean" "{\"flagKey\":\"$last\",\"entityId\":\"u\"}"
  sleep 1
  loaded=$(rss_kb "$READ_PID")
  wrk -t1 -c16 -d"${EVAL_SECONDS}s" -s "$LUA" "$READ/evaluate/v1/variant" >"$WORK/wrk.log" 2>&1
  grep -q 'Requests/sec' "$WORK/wrk.log" || die "wrk failed: $(cat "$WORK/wrk.log")"
  evaluated=$(rss_kb "$READ_PID")
  doc_flags=$(curl -s "$READ/internal/v1/evaluation/snapshot/namespace/default" | jq '.flags | length')
  [[ "$doc_flags" == "$n" ]] || die "the snapshot document has $doc_flags flags, expected $n"
  doc_bytes=$(curl -s -o /dev/null -w '%{size_download}' "$READ/internal/v1/evaluation/snapshot/namespace/default")
  gz_bytes=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' \
    "$READ/internal/v1/evaluation/snapshot/namespace/default")
  document=$(rss_kb "$READ_PID")
  awk -v n="$n" -v a="$loaded" -v b="$evaluated" -v c="$document" -v d="$doc_bytes" -v g="$gz_bytes" \
    'BEGIN { printf "| %d | %.1f MiB | %.1f MiB | %.1f MiB | %d | %d |\n", n, a / 1024, b / 1024, c / 1024, d, g }'
  stop "$READ_PID"
done
echo
log "MiB = VmRSS kB / 1024; done"
