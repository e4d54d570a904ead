#!/usr/bin/env bash
# A throwaway Prometheus for the evidence-pack tests (tests/api/prometheus.rs), on a fresh machine:
# installs Debian's `prometheus` package if missing (no systemd: the binary is started here),
# backfills a known daily series with `promtool tsdb create-blocks-from openmetrics`, and starts
# it on a free loopback port with its own temporary storage.
#
#   eval "$(bash scripts/prometheus_test.sh start)"   # exports PUSHBACK_TEST_PROMETHEUS_URL, PROMETHEUS_TEST_PID, PROMETHEUS_TEST_DIR
#   bash scripts/prometheus_test.sh stop              # stops it and removes the storage
#
# Two series over the last 60 days, each with the value ((days since 1970-01-01 * 37) mod 11) + 0.5
# on a day (the test computes the same): `pushback_ci_checkout_latency_seconds` has one sample at
# 23:59 UTC each day (read with a range query, `max_over_time(...[1d])`), and
# `pushback_ci_checkout_latency_gauge` one every 10 minutes from 00:00 to 23:50 (read with an
# instant query, `max(...)`: a sample on each midnight is the next day's first).
set -euo pipefail

DAYS=60

install_if_missing() {
  if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
    echo "installing Prometheus from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends prometheus >&2
  fi
}

free_port() {
  for port in $(shuf -i 19000-19999 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found in 19000-19999" >&2; exit 1
}

openmetrics() {
  local today day ts
  today=$(( $(date -u +%s) / 86400 ))
  echo "# HELP pushback_ci_checkout_latency_seconds Known series for the pushback evidence-pack tests."
  echo "# TYPE pushback_ci_checkout_latency_seconds gauge"
  for (( day = today - DAYS; day < today; day++ )); do
    ts=$(( day * 86400 + 86340 ))
    echo "pushback_ci_checkout_latency_seconds $(( (day * 37) % 11 )).5 $ts"
  done
  echo "# HELP pushback_ci_checkout_latency_gauge Known series sampled every 10 minutes."
  echo "# TYPE pushback_ci_checkout_latency_gauge gauge"
  for (( day = today - DAYS; day < today; day++ )); do
    for (( ts = day * 86400; ts < (day + 1) * 86400; ts += 600 )); do
      echo "pushback_ci_checkout_latency_gauge $(( (day * 37) % 11 )).5 $ts"
    done
  done
  echo "# EOF"
}

start() {
  install_if_missing
  local dir port pid
  dir=$(mktemp -d -t pushback-prometheus.XXXXXX)
  openmetrics > "$dir/series.om"
  promtool tsdb create-blocks-from openmetrics "$dir/series.om" "$dir/data" >"$dir/promtool.log" 2>&1 || { cat "$dir/promtool.log" >&2; exit 1; }
  printf 'global:\n  scrape_interval: 1m\nscrape_configs: []\n' > "$dir/prometheus.yml"
  port=$(free_port)
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --storage.tsdb.retention.time=10y --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$dir/prometheus.log" >&2; echo "Prometheus exited at start" >&2; exit 1; fi
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null || { cat "$dir/prometheus.log" >&2; exit 1; }
  echo "Prometheus $(prometheus --version 2>&1 | head -n1 | awk '{print $3}') on 127.0.0.1:$port with $DAYS days backfilled" >&2
  echo "export PUSHBACK_TEST_PROMETHEUS_URL=http://127.0.0.1:$port PROMETHEUS_TEST_PID=$pid PROMETHEUS_TEST_DIR=$dir"
}

stop() {
  if [ -n "${PROMETHEUS_TEST_PID:-}" ]; then
    kill "$PROMETHEUS_TEST_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$PROMETHEUS_TEST_PID" 2>/dev/null || break; sleep 0.5; done
  fi
  if [ -n "${PROMETHEUS_TEST_DIR:-}" ] && [ -d "$PROMETHEUS_TEST_DIR" ]; then rm -rf "$PROMETHEUS_TEST_DIR"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
