#!/usr/bin/env bash
# Deployment proven, not parsed (issue 16). Run as root from anywhere in a clone:
#
#   deploy/verify.sh
#
# 1. Static checks: the monitoring profile's Prometheus and Grafana provisioning
#    (verify/check_grafana.py), `systemd-analyze verify` of systemd/pushback.service (in a
#    temporary root holding the real binary), and a structural check of kubernetes/
#    (verify/check_kubernetes.py; `kubectl apply --dry-run=client` needs an API server).
# 2. Docker: installs Debian's docker.io (and docker-compose, debootstrap) when missing and
#    starts dockerd when none answers. When Docker Hub cannot be reached, makes the base images
#    from Debian's packages: `debootstrap --variant=minbase bookworm`, trimmed as the official
#    slim image is, imported as debian:bookworm-slim; PostgreSQL, nginx and a fake Slack built
#    FROM it (verify/*.Dockerfile).
# 3. The image: `cargo build --profile dist --locked` on the host, then the runtime stage of
#    deploy/Dockerfile (its text, with the `COPY --from=builder` line replaced by a COPY of that
#    binary) built as pushback:local. Fails when it is over 100 MB, runs as root, or writes
#    colour codes to a log that is not a terminal.
# 4. The stack of docker-compose.yml, run by Debian's docker-compose (1.29) from a copy of the
#    real file, with an override that only swaps in the local images and adds the fake Slack:
#    PostgreSQL, pushback-a and pushback-b, nginx in front. Through nginx:
#    - signed webhooks (pushback-load, each delivery sent twice) are stored exactly once, and
#      both replicas took part;
#    - the weekly digest (due at once: Monday 00:00 UTC, checked every second by both replicas)
#      is posted exactly once for each claimed week (this one, and the next when the run crosses
#      Monday 00:00 UTC), counted at the fake Slack and in the database, at the start and again
#      at the end after the restarts below;
#    - `docker stop` of one replica mid-load loses nothing acknowledged;
#    - /readyz answers 503 (each replica, and through nginx) while PostgreSQL is stopped and 200
#      after it restarts; webhooks acknowledged around the outage are all stored once, and every
#      item's topic rows match its topics (nothing half-written).
#    - the `monitoring` profile's Prometheus (a stand-in from Debian's package when Docker Hub is
#      unreachable) has both replicas as targets, up, and holds their pushback series. Grafana is
#      not run (not in Debian): verify/check_grafana.py checks its provisioning files instead.
#
# Everything it starts (containers, networks, volumes, temporary files) is removed on exit, also
# on failure. What it keeps for the next run: the Debian packages, dockerd (left running), the
# base and helper images, and target/dist. Exit 0 when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export CARGO_TERM_COLOR=never

started=$(date +%s)
last=$started
step() {
  local now; now=$(date +%s)
  echo
  echo "== verify: $* (at $((now - started))s; previous step took $((now - last))s)"
  last=$now
}
fail() { echo "verify FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (it installs packages and starts dockerd)"

work=$(mktemp -d "${TMPDIR:-/tmp}/pushback-verify.XXXXXX")
project="pbverify$$"
compose_files=()
extra_containers=()
cleanup() {
  local rc=$?
  set +e
  if [ "${#compose_files[@]}" -gt 0 ]; then
    if [ "$rc" != 0 ]; then
      echo "-- last log lines of the stack:"
      (cd "$work/deploy" && docker-compose -p "$project" "${compose_files[@]}" --profile monitoring logs --no-color --tail 15 2>&1 | tail -80)
    fi
    (cd "$work/deploy" && docker-compose -p "$project" "${compose_files[@]}" --profile monitoring down -v --remove-orphans --timeout 5 >/dev/null 2>&1)
  fi
  for c in "${extra_containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1; done
  # Anything of this project's still there (down failed half-way): containers, networks, volumes.
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    docker ps -aq --filter "label=com.docker.compose.project=$project" | xargs -r docker rm -f >/dev/null 2>&1
    docker network ls -q --filter "label=com.docker.compose.project=$project" | xargs -r docker network rm >/dev/null 2>&1
    docker volume ls -q --filter "label=com.docker.compose.project=$project" | xargs -r docker volume rm >/dev/null 2>&1
  fi
  rm -rf "$work"
  echo "verify: cleaned up (exit $rc, $(( $(date +%s) - started ))s in all)"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------
step "packages: docker.io, docker-compose, debootstrap, python3-yaml, systemd, curl"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v curl >/dev/null || missing+=(curl)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$work/apt.log" 2>&1 \
    || { tail -20 "$work/apt.log"; fail "apt-get install ${missing[*]}"; }
fi
docker --version
docker-compose version --short

step "dockerd"
if ! docker info >/dev/null 2>&1; then
  echo "no Docker engine answers; starting dockerd (left running for later runs; log /var/log/pushback-dockerd.log)"
  setsid dockerd >>/var/log/pushback-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
docker info >/dev/null 2>&1 || { tail -20 /var/log/pushback-dockerd.log; fail "dockerd did not start"; }
docker version --format 'engine {{.Server.Version}}, kernel {{.Server.KernelVersion}}' 2>/dev/null || true

step "monitoring profile: Prometheus and Grafana provisioning, structural check (deploy/verify/check_grafana.py)"
/usr/bin/python3 deploy/verify/check_grafana.py

# ------------------------------------------------------------------------------------------
# The load generator runs on the host only: PUSHBACK_LOAD_BIN may name one already built (.ci/run
# passes the test build's), which spares a whole-program LTO build of it.
if [ -n "${PUSHBACK_LOAD_BIN:-}" ]; then
  step "cargo build --profile dist --locked --bin pushback (load generator: $PUSHBACK_LOAD_BIN)"
  nice -n 10 cargo build --profile dist --locked --bin pushback
  load="$PUSHBACK_LOAD_BIN"
else
  step "cargo build --profile dist --locked --bin pushback --bin pushback-load"
  nice -n 10 cargo build --profile dist --locked --bin pushback --bin pushback-load
  load="${CARGO_TARGET_DIR:-target}/dist/pushback-load"
fi
[ -x "$load" ] || fail "no load generator at $load"
bin="${CARGO_TARGET_DIR:-target}/dist/pushback"
echo "binary: $(du -h "$bin" | cut -f1) ($bin)"

step "systemd-analyze verify deploy/systemd/pushback.service (temporary root with the real binary)"
sroot="$work/systemd-root"
mkdir -p "$sroot/usr/local/bin" "$sroot/etc/systemd/system" "$sroot/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$sroot/usr/lib/systemd/"
install -m 0755 "$bin" "$sroot/usr/local/bin/pushback"
install -m 0644 deploy/systemd/pushback.service "$sroot/etc/systemd/system/pushback.service"
# systemd-analyze verify exits 0 on unknown keys and only prints them: any output fails too.
out=$(systemd-analyze verify --root="$sroot" /etc/systemd/system/pushback.service 2>&1) \
  || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify printed: $out"
echo "ok ($(systemd-analyze --version | head -n1))"

step "kubernetes: structural check (deploy/verify/check_kubernetes.py)"
if command -v kubectl >/dev/null && kubectl kustomize deploy/kubernetes >"$work/k8s.yaml" 2>"$work/k8s.err"; then
  echo "rendered with kubectl kustomize ($(kubectl version --client 2>/dev/null | head -n1))"
  /usr/bin/python3 deploy/verify/check_kubernetes.py --rendered "$work/k8s.yaml"
else
  echo "no kubectl: checking the files the kustomization lists"
  /usr/bin/python3 deploy/verify/check_kubernetes.py
fi

# ------------------------------------------------------------------------------------------
step "base images"
hub=0
if curl -sS -m 10 -o /dev/null https://registry-1.docker.io/v2/ 2>/dev/null; then hub=1; fi
echo "Docker Hub reachable: $([ $hub = 1 ] && echo yes || echo no)"
if docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
  echo "debian:bookworm-slim present: $(docker image inspect -f '{{index .Config.Labels "org.pushback.base"}}' debian:bookworm-slim | sed 's/^$/pulled/')"
elif [ $hub = 1 ] && docker pull -q debian:bookworm-slim; then
  echo "pulled debian:bookworm-slim"
else
  echo "making debian:bookworm-slim with debootstrap --variant=minbase bookworm"
  rootfs="$work/rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
  cp deploy/verify/base-slim.sh "$rootfs/base-slim.sh"
  chroot "$rootfs" /bin/sh /base-slim.sh
  rm -f "$rootfs/base-slim.sh"
  tar --numeric-owner -C "$rootfs" -c . | docker import \
    --change 'LABEL org.pushback.base="debootstrap --variant=minbase bookworm, trimmed (deploy/verify/base-slim.sh)"' \
    --change 'CMD ["bash"]' - debian:bookworm-slim >/dev/null
  rm -rf "$rootfs"
fi
echo "debian:bookworm-slim: $(docker image inspect -f '{{.Size}}' debian:bookworm-slim | awk '{printf "%.1f MB", $1/1e6}')"

# PostgreSQL, nginx and Prometheus: the compose file's images when they are here or can be
# pulled, else stand-ins from Debian's packages. The fake Slack is always local.
pg_image=postgres:16 nginx_image=nginx:1.28-alpine
prom_image=$(awk '$1 == "image:" && $2 ~ /^prom\/prometheus:/ { print $2 }' deploy/docker-compose.yml)
[ -n "$prom_image" ] || fail "docker-compose.yml names no prom/prometheus image"
standins=0
for image in "$pg_image" "$nginx_image" "$prom_image"; do
  docker image inspect "$image" >/dev/null 2>&1 && continue
  if [ $hub = 1 ] && docker pull -q "$image"; then :; else standins=1; fi
done
build_helper() {  # tag, Dockerfile under deploy/verify
  docker build -q --network host -t "$1" -f "deploy/verify/$2" deploy/verify >"$work/build.log" 2>&1 \
    || { cat "$work/build.log"; fail "docker build $1"; }
  echo "$1: $(docker image inspect -f '{{.Size}}' "$1" | awk '{printf "%.1f MB", $1/1e6}')"
}
if [ $standins = 1 ]; then
  pg_image=pushback-verify/postgres:15-bookworm nginx_image=pushback-verify/nginx:1.22-bookworm
  build_helper "$pg_image" postgres.Dockerfile
  build_helper "$nginx_image" nginx.Dockerfile
  prom_image=pushback-verify/prometheus:2.42-bookworm
  build_helper "$prom_image" prometheus.Dockerfile
fi
build_helper pushback-verify/fake-slack:bookworm fake-slack.Dockerfile

# ------------------------------------------------------------------------------------------
step "image pushback:local: the runtime stage of deploy/Dockerfile with the host-built binary"
ctx="$work/image"
mkdir -p "$ctx"
copy_line='COPY --from=builder /usr/local/bin/pushback /usr/local/bin/pushback'
[ "$(grep -cxF "$copy_line" deploy/Dockerfile)" = 1 ] \
  || fail "deploy/Dockerfile no longer has exactly one line '$copy_line'; update verify.sh with it"
# From the first runtime stage's FROM (the CA bundle's) to the end; the binary comes from the
# build context instead.
awk -v line="$copy_line" '
  /^FROM debian:bookworm-slim( |$)/ { on = 1 }
  on && $0 == line { print "COPY pushback /usr/local/bin/pushback"; next }
  on { print }' deploy/Dockerfile >"$ctx/Dockerfile"
grep -q '^COPY pushback /usr/local/bin/pushback$' "$ctx/Dockerfile" || fail "could not derive the runtime stage"
cp -r config "$ctx/config"
install -m 0755 "$bin" "$ctx/pushback"
old_id=$(docker image inspect -f '{{.Id}}' pushback:local 2>/dev/null || true)
docker build -q --network host -t pushback:local "$ctx" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; fail "docker build pushback:local"; }
new_id=$(docker image inspect -f '{{.Id}}' pushback:local)
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then docker rmi "$old_id" >/dev/null 2>&1 || true; fi

size=$(docker image inspect -f '{{.Size}}' pushback:local)
user=$(docker image inspect -f '{{.Config.User}}' pushback:local)
echo "IMAGE SIZE: pushback:local is $(awk -v s="$size" 'BEGIN { printf "%.1f MB (%d bytes)", s/1e6, s }'); limit 100 MB"
[ "$size" -le 100000000 ] || fail "the image is over 100 MB"
echo "image user: $user"
case "$user" in ""|0|0:*|root|root:*) fail "the image runs as root" ;; esac

step "logs without a terminal carry no colour codes (text format); with one they do"
has_escape() { grep -q $'\x1b\\[' "$1"; }
run_logged() {  # name, extra docker args...
  local name=$1; shift
  extra_containers+=("$name")
  docker run -d --name "$name" -e PUSHBACK_LOG__FORMAT=text "$@" pushback:local >/dev/null
  for _ in $(seq 1 60); do
    docker logs "$name" >"$work/$name.log" 2>&1
    grep -q 'listening' "$work/$name.log" && break
    sleep 0.5
  done
  docker logs "$name" >"$work/$name.log" 2>&1
  docker rm -f "$name" >/dev/null
  grep -q 'listening' "$work/$name.log" || { cat "$work/$name.log"; fail "$name did not start"; }
}
run_logged "$project-notty"
run_logged "$project-tty" -t
if has_escape "$work/$project-notty.log"; then fail "colour codes in the log without a terminal: $(head -n2 "$work/$project-notty.log" | cat -v)"; fi
has_escape "$work/$project-tty.log" || fail "no colour codes even on a terminal: the escape check would not see them"
echo "no terminal: $(wc -l <"$work/$project-notty.log") lines, no ESC[; with -t: colour codes present (the check can see them)"
head -n1 "$work/$project-notty.log"

# ------------------------------------------------------------------------------------------
step "the compose stack: PostgreSQL, pushback-a, pushback-b, nginx, fake Slack"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
secret=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
token="xoxb-verify-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
mkdir -p "$work/deploy"
cp deploy/docker-compose.yml "$work/deploy/docker-compose.yml"
cp -r deploy/prometheus deploy/grafana "$work/deploy/"
if [ $standins = 1 ]; then
  # Debian's nginx 1.22 has no `resolve` on upstream servers (1.27.3+): drop that word only.
  sed 's/ resolve max_fails/ max_fails/' deploy/nginx.conf >"$work/deploy/nginx.conf"
  [ "$(diff deploy/nginx.conf "$work/deploy/nginx.conf" | grep -c '^>')" = 2 ] || fail "nginx.conf: expected two upstream servers with resolve"
else
  cp deploy/nginx.conf "$work/deploy/nginx.conf"
fi
# The .env an admin writes (deploy/.env.example), plus the Slack settings for the fake Slack
# and a digest that is due at once (Monday 00:00 UTC has always passed) and checked every second.
cat >"$work/deploy/.env" <<EOF
POSTGRES_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
PUSHBACK_PUBLIC_PORT=$port
PUSHBACK_SOURCES__GENERIC__SECRET=$secret
PUSHBACK_SLACK__BOT_TOKEN=$token
PUSHBACK_SLACK__SIGNING_SECRET=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
PUSHBACK_SLACK__DIGEST_CHANNEL=C0VERIFY
PUSHBACK_SLACK__API_URL=http://fake-slack:8000/api/
PUSHBACK_SLACK__DIGEST_WEEKDAY=monday
PUSHBACK_SLACK__DIGEST_TIME=00:00
PUSHBACK_SLACK__DIGEST_TIMEZONE=UTC
PUSHBACK_SLACK__DIGEST_CHECK_SECS=1
PUSHBACK_LOG__LEVEL=info,sqlx=warn,tower_http=warn
EOF
cat >"$work/deploy/docker-compose.verify.yml" <<EOF
# deploy/verify.sh: local images for the compose file's, and a fake Slack.
services:
  postgres:
    image: $pg_image
  nginx:
    image: $nginx_image
  prometheus:
    image: $prom_image
  fake-slack:
    image: pushback-verify/fake-slack:bookworm
    environment:
      FAKE_SLACK_TOKEN: "$token"
EOF
compose_files=(-f docker-compose.yml -f docker-compose.verify.yml)
dc() { (cd "$work/deploy" && docker-compose -p "$project" "${compose_files[@]}" "$@"); }
cid() { dc ps -q "$1"; }
dc up -d --no-build fake-slack 2>&1 | grep -v '^Creating network\|^Creating volume' || true
dc up -d --no-build 2>&1 | tail -n +1 | grep -v '^$' || true
# The monitoring profile's Prometheus only: Grafana's image is not to be had here.
dc --profile monitoring up -d --no-build prometheus 2>&1 | grep -v '^$' || true
url="http://127.0.0.1:$port"
ready=""
for _ in $(seq 1 120); do
  ready=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$url/readyz" || true)
  [ "$ready" = 200 ] && break
  sleep 0.5
done
[ "$ready" = 200 ] || fail "the stack did not become ready through nginx (last /readyz: $ready)"
dc ps
echo "through nginx: $(curl -s "$url/readyz")"

# A probe from inside the compose network: the status of GET http://HOST:8080/PATH.
probe() { docker exec "$(cid fake-slack)" python3 -c '
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=4).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception as e:
    print("error:" + type(e).__name__)' "$1"; }
fake_calls() { docker exec "$(cid fake-slack)" python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:8000/calls").read().decode())'; }
psql_pb() { docker exec "$(cid postgres)" psql -U pushback -d pushback -Atc "$1"; }
export_items() { docker exec "$(cid pushback-a)" pushback export >"$1" 2>/dev/null; }

step "containers: non-root, JSON logs (the compose default)"
for s in pushback-a pushback-b; do
  c=$(cid "$s")
  uid=$(docker exec "$c" awk '/^Uid:/ { print $2 }' /proc/1/status)
  fmt=$(docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$c" | grep '^PUSHBACK_LOG__FORMAT=' || true)
  docker logs "$c" >"$work/$s.log" 2>&1
  first=$(sed -n 1p "$work/$s.log")
  echo "$s: pid 1 uid $uid, $fmt, first log line: ${first:0:120}"
  [ "$uid" != 0 ] || fail "$s runs as root"
  [ "$fmt" = PUSHBACK_LOG__FORMAT=json ] || fail "$s does not log JSON by default"
  python3 -c 'import json, sys; json.loads(sys.argv[1])' "$first" || fail "$s: the log line is not JSON"
done

check_digest() {  # label
  local calls digests outbox
  for _ in $(seq 1 60); do
    n=$(psql_pb "SELECT count(*) FROM slack_outbox WHERE dedupe_key LIKE 'digest:%' AND status <> 'sent'")
    d=$(psql_pb "SELECT count(*) FROM digests")
    [ "$d" -ge 1 ] && [ "$n" = 0 ] && break
    sleep 1
  done
  # Both replicas keep checking every second: give them a few more chances to post twice.
  sleep 4
  echo "$1:"
  # Each claimed week must be posted exactly once. A run that crosses Monday 00:00 UTC claims the
  # new week as well; a snapshot taken while that week's messages are in flight is taken again.
  for attempt in 1 2 3; do
    fake_calls >"$work/calls.json"
    psql_pb "SELECT week, messages, claimed_by FROM digests ORDER BY week" >"$work/digests.tsv"
    psql_pb "SELECT dedupe_key, status, coalesce(slack_ts, '') FROM slack_outbox ORDER BY id" >"$work/outbox.tsv"
    python3 deploy/verify/check_digest.py "$work/calls.json" "$work/digests.tsv" "$work/outbox.tsv" && return 0
    [ "$attempt" = 3 ] || { echo "  (again in 5 s: a week may have been claimed during the snapshot)"; sleep 5; }
  done
  fail "a claimed weekly digest was not posted exactly once ($1)"
}

step "weekly digest: both replicas race for this week's claim at start"
for s in pushback-a pushback-b; do
  docker logs "$(cid "$s")" >"$work/$s.log" 2>&1
  grep -q 'weekly digest scheduled' "$work/$s.log" || fail "$s did not schedule the digest"
done
echo "both replicas run the digest scheduler"
check_digest "after start"

step "webhooks through nginx: each stored exactly once across both replicas"
export PUSHBACK_SOURCES__GENERIC__SECRET=$secret
# The same ids and texts twice (same --prefix and --seed): the second delivery of an id often
# lands on the other replica, which must find the row and store nothing new.
for pass in 1 2; do
  "$load" --url "$url/webhooks/generic" --rate 150 --requests 1200 --concurrency 16 --prefix "vfy-once-" \
    --seed 7 --timeout 10 --acked "$work/once-$pass.txt" >"$work/load-once-$pass.txt" 2>&1 \
    || { cat "$work/load-once-$pass.txt"; fail "pushback-load pass $pass: some deliveries were not acknowledged"; }
  grep -E 'requests/s|^status|acknowledged' "$work/load-once-$pass.txt" | sed "s/^/  pass $pass: /"
done
export_items "$work/export-1.jsonl"
python3 deploy/verify/check_stored.py "$work/export-1.jsonl" "$work/once-1.txt" "$work/once-2.txt" \
  || fail "webhooks not stored exactly once"
metric() { probe_metrics=$(docker exec "$(cid fake-slack)" python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "http://$1:8080/metrics"); echo "$probe_metrics" | awk -v k="pushback_ingested_items_total{source=\"generic\",outcome=\"$2\"}" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'; }
ins_a=$(metric pushback-a inserted) ins_b=$(metric pushback-b inserted)
unch_a=$(metric pushback-a unchanged) unch_b=$(metric pushback-b unchanged)
stored=$(python3 -c 'import json, sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["external_id"].startswith("vfy-once-")))' "$work/export-1.jsonl")
echo "  inserted: pushback-a $ins_a, pushback-b $ins_b (sum $((ins_a + ins_b)), stored $stored); unchanged (second deliveries): a $unch_a, b $unch_b"
[ "$ins_a" -gt 0 ] && [ "$ins_b" -gt 0 ] || fail "one replica inserted nothing: nginx did not spread the load"
[ "$((ins_a + ins_b))" = "$stored" ] || fail "the replicas inserted $((ins_a + ins_b)) items but $stored are stored"
[ "$unch_a" -gt 0 ] && [ "$unch_b" -gt 0 ] || fail "second deliveries did not reach both replicas"

step "monitoring profile: Prometheus scrapes both replicas"
# Prometheus's HTTP API from inside the compose network (its port is only on the host's loopback).
prom_api() { docker exec "$(cid fake-slack)" python3 -c '
import json, sys, urllib.parse, urllib.request
url = "http://prometheus:9090/api/v1/" + sys.argv[1]
if len(sys.argv) > 2:
    url += "?" + urllib.parse.urlencode({"query": sys.argv[2]})
try:
    print(json.dumps(json.load(urllib.request.urlopen(url, timeout=4))))
except Exception as e:
    print(json.dumps({"status": "unreachable", "error": repr(e)}))' "$@"; }
# Up, and holding each replica's own count of the inserts above (read from its /metrics; no
# webhooks arrive meanwhile, so the next scrape after the load must show exactly that).
prom_check() { prom_api targets >"$work/targets.json"; prom_api query "$1" >"$work/series.json"; python3 -c '
import json, sys
targets = json.load(open(sys.argv[1])).get("data", {}).get("activeTargets", [])
up = sorted(t["labels"]["instance"] for t in targets if t.get("health") == "up")
seen = json.load(open(sys.argv[2])).get("data", {}).get("result", [])
series = {s["metric"].get("instance"): float(s["value"][1]) for s in seen}
want = {"pushback-a:8080": float(sys.argv[4]), "pushback-b:8080": float(sys.argv[5])}
print("targets up: %s; %s: %s (the replicas say %s)" % (", ".join(up) or "none", sys.argv[3], series or "none", want))
sys.exit(0 if up == sorted(want) and series == want else 1)' "$work/targets.json" "$work/series.json" "$1" "$ins_a" "$ins_b"; }
prom_query='sum by (instance) (pushback_ingested_items_total{source="generic",outcome="inserted"})'
scraped=0
for _ in $(seq 1 45); do
  if prom_check "$prom_query" >"$work/prom.txt" 2>&1; then scraped=1; break; fi
  sleep 2
done
sed 's/^/  /' "$work/prom.txt"
[ $scraped = 1 ] || { cat "$work/targets.json"; fail "Prometheus does not scrape both replicas, or its pushback series differ from their /metrics"; }
echo "  Prometheus $(prom_api status/buildinfo | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["version"])') ($prom_image)"

step "docker stop of pushback-a mid-load: nothing acknowledged is lost"
"$load" --url "$url/webhooks/generic" --rate 200 --duration 16 --concurrency 32 --prefix "vfy-stop-" \
  --timeout 5 --retries 40 --allow-errors --acked "$work/stop.txt" >"$work/load-stop.txt" 2>&1 &
load_pid=$!
sleep 4
t=$(date +%s.%N)
docker stop "$(cid pushback-a)" >/dev/null
echo "  docker stop pushback-a took $(python3 -c "import time; print(round(time.time() - $t, 1))") s (SIGTERM: drain, then exit)"
sleep 4
docker start "$(cid pushback-a)" >/dev/null
echo "  pushback-a started again"
wait "$load_pid" || { cat "$work/load-stop.txt"; fail "pushback-load failed"; }
sed 's/^/  load: /' "$work/load-stop.txt" | head -n 8
export_items "$work/export-2.jsonl"
python3 deploy/verify/check_stored.py "$work/export-2.jsonl" "$work/stop.txt" || fail "a replica stop lost acknowledged webhooks"

step "PostgreSQL stopped: /readyz 503, restarted: 200; webhooks around it stored once"
"$load" --url "$url/webhooks/generic" --rate 50 --duration 30 --concurrency 16 --prefix "vfy-pg-" \
  --timeout 5 --retries 240 --allow-errors --acked "$work/pg.txt" >"$work/load-pg.txt" 2>&1 &
load_pid=$!
sleep 3
docker stop "$(cid postgres)" >/dev/null
echo "  PostgreSQL stopped"
seen_a="" seen_b="" seen_nginx=""
for _ in $(seq 1 30); do
  seen_a=$(probe http://pushback-a:8080/readyz) seen_b=$(probe http://pushback-b:8080/readyz)
  seen_nginx=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$url/readyz" || true)
  [ "$seen_a" = 503 ] && [ "$seen_b" = 503 ] && [ "$seen_nginx" = 503 ] && break
  sleep 1
done
echo "  /readyz while PostgreSQL is down: pushback-a $seen_a, pushback-b $seen_b, through nginx $seen_nginx"
[ "$seen_a" = 503 ] && [ "$seen_b" = 503 ] && [ "$seen_nginx" = 503 ] || fail "/readyz did not answer 503 while PostgreSQL was down"
healthz=$(probe http://pushback-a:8080/healthz)
echo "  /healthz meanwhile: $healthz (the process is alive)"
[ "$healthz" = 200 ] || fail "/healthz is not 200 while PostgreSQL is down"
sleep 3
docker start "$(cid postgres)" >/dev/null
echo "  PostgreSQL started again"
for _ in $(seq 1 60); do
  seen_a=$(probe http://pushback-a:8080/readyz) seen_b=$(probe http://pushback-b:8080/readyz)
  seen_nginx=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$url/readyz" || true)
  [ "$seen_a" = 200 ] && [ "$seen_b" = 200 ] && [ "$seen_nginx" = 200 ] && break
  sleep 1
done
echo "  /readyz after the restart: pushback-a $seen_a, pushback-b $seen_b, through nginx $seen_nginx"
[ "$seen_a" = 200 ] && [ "$seen_b" = 200 ] && [ "$seen_nginx" = 200 ] || fail "/readyz did not come back to 200"
wait "$load_pid" || { cat "$work/load-pg.txt"; fail "pushback-load failed"; }
sed 's/^/  load: /' "$work/load-pg.txt" | head -n 8
export_items "$work/export-3.jsonl"
python3 deploy/verify/check_stored.py "$work/export-3.jsonl" "$work/once-1.txt" "$work/stop.txt" "$work/pg.txt" \
  || fail "acknowledged webhooks lost or doubled around the PostgreSQL restart"
half=$(psql_pb "SELECT count(*) FROM feedback f WHERE json_array_length(f.topics::json) <> (SELECT count(*) FROM feedback_topics t WHERE t.item_id = f.id)")
with_topics=$(psql_pb "SELECT count(DISTINCT item_id) FROM feedback_topics")
echo "  items whose topic rows do not match their topics: $half (items with topic rows: $with_topics)"
[ "$half" = 0 ] || fail "$half items are half-written"
[ "$with_topics" -gt 0 ] || fail "no item has topic rows: the half-written check proves nothing"

step "weekly digest: still exactly once after the replica and PostgreSQL restarts"
check_digest "at the end"

step "logs of every pushback container: no colour codes"
for s in pushback-a pushback-b; do
  docker logs "$(cid "$s")" >"$work/$s.log" 2>&1
  if has_escape "$work/$s.log"; then fail "$s: colour codes in its log"; fi
  grep -q "$secret" "$work/$s.log" && fail "$s: the webhook secret is in its log"
  echo "  $s: $(wc -l <"$work/$s.log") lines, no ESC[, no secret"
done

step "PASS: verify.sh"
echo "image pushback:local $(awk -v s="$size" 'BEGIN { printf "%.1f MB", s/1e6 }'), user $user; base: $([ $standins = 1 ] && echo "local stand-ins from Debian's packages" || echo "registry images"); monitoring: Prometheus run ($prom_image), Grafana's provisioning checked, Grafana not run"
