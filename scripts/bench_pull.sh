#!/usr/bin/env bash
# The pull backfill benchmark (BENCHMARKS.md): `pushback sync zendesk --once` against the local
# fake Zendesk (`pushback fake-zendesk`, in its own process, 1,000 tickets a page, no throttle)
# serving a generated history, into a fresh database; prints the sync's own summary (items/s
# over the pass), the command's wall time and its peak RSS.
#
#   scripts/bench_pull.sh                                  100,000 tickets into a fresh SQLite file
#   scripts/bench_pull.sh --tickets 20000
#   scripts/bench_pull.sh postgres://postgres@127.0.0.1:5432/pushback_bench_pull   (an empty database)
#
# Builds nothing: run `cargo build --release` first (PUSHBACK_BIN overrides target/release/pushback).
set -euo pipefail
cd "$(dirname "$0")/.."
tickets=100000 url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tickets) tickets=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) url=$1 ;;
  esac
  shift
done
bin=${PUSHBACK_BIN:-target/release/pushback}
[ -x "$bin" ] || { echo "$bin is missing: cargo build --release" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pushback-bench-pull.XXXXXX")
fake_pid=""
cleanup() { [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$bin" fake-zendesk --tickets "$tickets" >"$work/url" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 1 600); do [ -s "$work/url" ] && break; sleep 0.1; done
[ -s "$work/url" ] || { cat "$work/fake.log" >&2; exit 2; }

export PUSHBACK_DATABASE__URL=${url:-sqlite://$work/bench.db}
export PUSHBACK_SOURCES__ZENDESK__API_URL=$(head -n1 "$work/url")
export PUSHBACK_SOURCES__ZENDESK__SUBDOMAIN=bench PUSHBACK_SOURCES__ZENDESK__EMAIL=bench@example.com PUSHBACK_SOURCES__ZENDESK__API_TOKEN=bench
# The fake's history spans a year.
export PUSHBACK_SYNC__BACKFILL_DAYS=400
"$bin" migrate >/dev/null
/usr/bin/time -v "$bin" sync zendesk --once 2>"$work/run.txt"
grep '^zendesk:' "$work/run.txt"
grep -E 'Elapsed \(wall clock\)|Maximum resident set size' "$work/run.txt" | sed 's/^\s*/  /'
