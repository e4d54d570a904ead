#!/usr/bin/env bash
# Durable webhooks against the server's own ceiling (issue 22): one `pushback serve` on a fresh
# SQLite file (or the database in PUSHBACK_DATABASE__URL), then wrk with 2 threads and 64
# connections, first against /healthz, then against correctly signed generic webhooks (one item
# each, every id new, answered 202 only after its group commit), and the ratio of the two.
#
#   scripts/bench_webhooks.sh                      20 s each, release build (built if missing)
#   scripts/bench_webhooks.sh --seconds 30 --requests 900000 [--keep]
#   PUSHBACK_BIN=/path/to/pushback scripts/bench_webhooks.sh   another build (A/B runs)
#   PERF=1 scripts/bench_webhooks.sh               also `perf record -e cpu-clock -g` of the
#                                                  server during the webhook run (perf.data here)
#
# The signed requests are written just before the webhook run (wrk's Lua cannot sign fast
# enough), from a synthetic history (`pushback gen --out`), each with a fresh id; the signature
# timestamps must stay inside the server's 300 s window, so keep runs under a few minutes.
# Needs wrk and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=20 requests=0 keep=0 port=${PORT:-18080}
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift ;;
    --requests) requests=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
# Enough for 40,000 webhooks/s: a thread that runs out resends old ids (redeliveries).
[ "$requests" -gt 0 ] || requests=$((seconds * 40000))
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

bin=${PUSHBACK_BIN:-${CARGO_TARGET_DIR:-target}/release/pushback}
[ -x "$bin" ] || cargo build --release --bin pushback -q
dir=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  if [ "$keep" = 1 ]; then echo "kept $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

export PUSHBACK_SOURCES__GENERIC__SECRET=bench-secret PUSHBACK_HTTP__PORT=$port PUSHBACK_LOG__LEVEL=warn
export PUSHBACK_DATABASE__URL=${PUSHBACK_DATABASE__URL:-sqlite://$dir/hooks.db}
"$bin" gen --count 20000 --seed 1 --days 90 --out "$dir/pool.jsonl" >/dev/null
"$bin" serve >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

# The server's CPU time (user + system, clock ticks) from /proc: CPU per request is steadier than
# requests/s on a machine shared with other work.
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== /healthz"
c0=$(cpu)
wrk -t2 -c64 -d"${seconds}s" --latency "http://127.0.0.1:$port/healthz" | tee "$dir/healthz.txt"
c1=$(cpu)

python3 - "$dir" "$requests" <<'PY'
import hashlib, hmac, json, sys, time
d, n = sys.argv[1], int(sys.argv[2])
pool = [json.loads(l) for l in open(f"{d}/pool.jsonl")]
run, ts, key = int(time.time()), str(int(time.time())), b"bench-secret"
out = [open(f"{d}/requests.{t}.tsv", "w") for t in (0, 1)]
for i in range(n):
    item = pool[i % len(pool)]
    item["id"] = f"wrk-{run}-{i}"
    body = json.dumps(item, separators=(",", ":"))
    sig = hmac.new(key, f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
    out[i % 2].write(f"{ts}\tv1={sig}\t{body}\n")
PY

echo "== signed webhooks (load average $(cut -d' ' -f1-3 /proc/loadavg))"
if [ "${PERF:-0}" = 1 ]; then
  perf record -e cpu-clock -g -p "$server" -o perf.data -- sleep "$seconds" 2>/dev/null &
  perf_pid=$!
fi
c2=$(cpu)
wrk -t2 -c64 -d"${seconds}s" --latency -s scripts/wrk_webhooks.lua "http://127.0.0.1:$port/webhooks/generic" -- "$dir/requests" | tee "$dir/webhooks.txt"
c3=$(cpu)
[ "${PERF:-0}" = 1 ] && wait "$perf_pid"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

rate() { awk '/^Requests\/sec/ {print $2}' "$1"; }
count() { awk '/requests in/ {print $1}' "$1"; }
h=$(rate "$dir/healthz.txt") w=$(rate "$dir/webhooks.txt")
awk -v h="$h" -v w="$w" 'BEGIN { printf "healthz %.0f/s, webhooks %.0f/s, ratio %.3f\n", h, w, w / h }'
awk -v hc=$((c1 - c0)) -v wc=$((c3 - c2)) -v hn="$(count "$dir/healthz.txt")" -v wn="$(count "$dir/webhooks.txt")" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { h = hc / hz / hn * 1e6; w = wc / hz / wn * 1e6; printf "server CPU per request: healthz %.1f us, webhook %.1f us, ratio %.3f\n", h, w, h / w }'
