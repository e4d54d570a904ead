#!/usr/bin/env bash
# Crash test: under a steady stream of signed generic webhooks, and while the server pulls a
# Zendesk history from a local fake Zendesk API (`pushback fake-zendesk`, each page slowed so
# kills land mid-page), kill `pushback serve` with SIGKILL several times and restart it;
# afterwards every item that got a 2xx and every ticket of the fake must be stored exactly once
# (no loss, no duplicates), compared against `pushback export`, and no page may have been
# fetched again more often than there were kills (a page and its cursor commit together, so a
# restart repeats at most the page that was in flight), and `pushback rollups check` must find
# the daily rollups equal to a recount of the items.
#
#   scripts/crash_test.sh                      CI scale: ~20 s of load at 300 requests/s, 4 kills
#   scripts/crash_test.sh --large              90 s at 1,500 requests/s, 10 kills, release build
#   scripts/crash_test.sh --rate 800 --seconds 40 --kills 6 --batch 5 [--tickets 20000] [--release] [--keep]
#   PUSHBACK_DATABASE__URL=postgres://postgres@127.0.0.1:5432/crash scripts/crash_test.sh
#       (the same against PostgreSQL; the database must exist and be empty)
#
# Also checks that the server's log never contains the webhook secret or ticket text.
# Exit status 0 on PASS, 1 on FAIL, 2 when the test could not run.
set -euo pipefail
cd "$(dirname "$0")/.."

rate=300 seconds=20 kills=4 batch=1 profile=debug keep=0 tickets=20000
while [ $# -gt 0 ]; do
  case "$1" in
    --large) rate=1500 seconds=90 kills=10 profile=release ;;
    --rate) rate=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --kills) kills=$2; shift ;;
    --batch) batch=$2; shift ;;
    --tickets) tickets=$2; shift ;;
    --release) profile=release ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

target=${CARGO_TARGET_DIR:-target}
if [ "$profile" = release ]; then cargo build --release --bins -q; else cargo build --bins -q; fi
bin="$target/$profile/pushback"
load="$target/$profile/pushback-load"

work=$(mktemp -d "${TMPDIR:-/tmp}/pushback-crash.XXXXXX")
server_pid=""
load_pid=""
fake_pid=""
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

secret="crash-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PUSHBACK_DATABASE__URL=${PUSHBACK_DATABASE__URL:-sqlite://$work/crash.db}
export PUSHBACK_HTTP__HOST=127.0.0.1 PUSHBACK_HTTP__PORT=$port
export PUSHBACK_SOURCES__GENERIC__SECRET=$secret
export PUSHBACK_LOG__LEVEL=info,sqlx=warn
# No Slack posting from this test.
unset PUSHBACK_SLACK__BOT_TOKEN PUSHBACK_SLACK__DIGEST_CHANNEL
url="http://127.0.0.1:$port"

# The Zendesk pull: a fake Zendesk (400 ms a page of 1,000 tickets) in its own process, so the
# kills hit the server with a page in flight; a short lease so a restarted server takes the
# killed one's over within seconds; a backfill reaching the fake's whole year.
"$bin" fake-zendesk --tickets "$tickets" --delay-ms 400 --log "$work/zendesk_pages.log" >"$work/fake_zendesk.url" 2>"$work/fake_zendesk.log" &
fake_pid=$!
for _ in $(seq 1 300); do [ -s "$work/fake_zendesk.url" ] && break; sleep 0.1; done
[ -s "$work/fake_zendesk.url" ] || { echo "the fake Zendesk did not start:" >&2; cat "$work/fake_zendesk.log" >&2; exit 2; }
export PUSHBACK_SOURCES__ZENDESK__API_URL=$(head -n1 "$work/fake_zendesk.url")
export PUSHBACK_SOURCES__ZENDESK__SUBDOMAIN=crash PUSHBACK_SOURCES__ZENDESK__EMAIL=crash@example.com
export PUSHBACK_SOURCES__ZENDESK__API_TOKEN="zd-$secret"
export PUSHBACK_SYNC__EVERY_SECS=1 PUSHBACK_SYNC__LEASE_SECS=5 PUSHBACK_SYNC__BACKFILL_DAYS=400

start_server() {
  "$bin" serve >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$url/readyz" 2>/dev/null; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then echo "server exited; log:" >&2; tail -20 "$work/server.log" >&2; exit 2; fi
    sleep 0.1
  done
  echo "server did not become ready in 30 s" >&2
  exit 2
}

echo "crash test: $PUSHBACK_DATABASE__URL, ${rate} requests/s x ${batch} items for ${seconds} s and a pull of $tickets Zendesk tickets, ${kills} kills ($profile build)"
start_server
"$load" --url "$url/webhooks/generic" --rate "$rate" --concurrency 64 --duration "$seconds" --batch "$batch" \
  --prefix "crash-" --timeout 5 --retries 40 --acked "$work/acked.txt" --allow-errors >"$work/load.txt" 2>&1 &
load_pid=$!

# Spread the kills over the run, leaving its last fifth undisturbed.
interval=$(python3 -c "print(round($seconds * 0.8 / ($kills + 1), 2))")
for k in $(seq 1 "$kills"); do
  sleep "$interval"
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  echo "  kill $k: SIGKILL at $(date +%T); restarting"
  sleep 0.3
  start_server
done

wait "$load_pid" || { echo "load client failed:"; cat "$work/load.txt"; exit 2; }
load_pid=""
sed 's/^/  load: /' "$work/load.txt"
# The pull goes on after the load: wait until a pass reached the end of the fake's stream.
synced=0
for _ in $(seq 1 240); do
  if "$bin" sync --status --format json 2>/dev/null | python3 -c 'import json,sys; s=[x for x in json.load(sys.stdin)["sources"] if x["source"]=="zendesk"][0]; sys.exit(0 if s["last_success"] else 1)'; then synced=1; break; fi
  sleep 0.5
done
[ "$synced" = 1 ] || { echo "the Zendesk pull did not finish within 2 minutes after the load"; "$bin" sync --status; exit 1; }
kill -TERM "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""

"$bin" export --out "$work/export.jsonl" 2>/dev/null
# The rollups are written in the items' transactions: after the kills a recount must agree.
if "$bin" rollups check >"$work/rollups.txt" 2>&1; then rollups_ok=1; else rollups_ok=0; fi
sed 's/^/  /' "$work/rollups.txt" | tail -n 21
python3 - "$work/acked.txt" "$work/export.jsonl" "$work/server.log" "$secret" "$work/zendesk_pages.log" "$tickets" "$kills" "$rollups_ok" <<'EOF'
import collections, json, sys
acked_path, export_path, log_path, secret, pages_path, tickets, kills = sys.argv[1:8]
acked = [l.strip() for l in open(acked_path) if l.strip()]
stored = collections.Counter()
pulled = collections.Counter()
bodies = []
for line in open(export_path):
    item = json.loads(line)
    if item["source"] == "generic":
        stored[item["external_id"]] += 1
        bodies.append(item["body"])
    elif item["source"] == "zendesk":
        pulled[item["external_id"]] += 1
        bodies.append(item["body"])
expected = {str(i) for i in range(int(tickets))}
pages = collections.Counter(line.split()[0] for line in open(pages_path) if line.strip() and line.split()[1] != "0")
again = sum(n - 1 for n in pages.values())
pull_missing = sorted(expected - set(pulled), key=int)
pull_extra = sorted(set(pulled) - expected)
pull_dup = sorted(i for i, n in pulled.items() if n > 1)
acked_set = set(acked)
missing = sorted(acked_set - set(stored))
duplicated = sorted(i for i, n in stored.items() if n > 1)
ack_dup = len(acked) - len(acked_set)
log = open(log_path, errors="replace").read()
# Ticket text: whole bodies and their longer sentences must not appear in the log.
leaked = [b for b in bodies[:500] if len(b) > 25 and b[:60] in log]
print(f"  acknowledged ids: {len(acked)} ({ack_dup} acknowledged twice)")
print(f"  stored ids: {len(stored)} ({sum(stored.values())} rows), of which acknowledged: {len(acked_set & set(stored))}, "
      f"stored without acknowledgement (answer lost in a crash): {len(set(stored) - acked_set)}")
print(f"  missing (acknowledged, not stored): {len(missing)}; stored more than once: {len(duplicated)}")
print(f"  server restarts in log: {log.count('pushback listening')}; secret in log: {secret in log}; ticket text in log: {len(leaked)}")
print(f"  zendesk pull: {len(pulled)} of {tickets} tickets stored ({sum(pulled.values())} rows); missing: {len(pull_missing)}, "
      f"stored more than once: {len(pull_dup)}, not in the fake: {len(pull_extra)}")
print(f"  zendesk pages served: {sum(pages.values())} for {len(pages)} distinct pages; fetched again after a kill: {again} (at most {kills})")
pull_ok = not pull_missing and not pull_dup and not pull_extra and 1 <= again <= int(kills)
if again == 0: print("  no page was in flight at a kill: the pull was not tested mid-page")
if pull_missing: print("  first missing tickets:", pull_missing[:10])
rollups_ok = sys.argv[8] == "1"
if not rollups_ok: print("  the rollups differ from a recount of the items (rows above)")
ok = rollups_ok and acked and not missing and not duplicated and ack_dup == 0 and secret not in log and not leaked and pull_ok
if missing: print("  first missing:", missing[:10])
if duplicated: print("  first duplicated:", duplicated[:10])
if leaked: print("  leaked text:", leaked[:3])
if not acked: print("  nothing was acknowledged: the test proved nothing")
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
EOF
