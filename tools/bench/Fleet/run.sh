#!/usr/bin/env bash
# Fleet benchmark: simulated devices (MQTTnet clients in one process) upload clips through one
# loopback mosquitto to (a) mosquitto_sub > /dev/null, the broker's ceiling, (b) one and (c) two
# dce-fleet receivers into s3rver + PostgreSQL, alternating; prints MiB/s, the ratios (b)/(a) and
# (c)/(a), and the receivers' RSS. See README.md. Options go to the bench:
#   run.sh [--modes a,b,c] [--mib 200] [--devices 50] [--clip-kib 2048] [--chunk-kib 128]
#          [--rounds 2] [--ack-timeout 60] [--in-flight 16] [--warmup-clips 4] [--out DIR]
# Installs nothing but s3rver's npm packages (from tools/s3rver's lock file, when missing and
# modes b/c are asked for). Every server runs from one temp folder, removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo=$PWD

# Which modes: only b and c need dce-fleet, PostgreSQL and s3rver.
modes=a,b,c
out=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --modes) modes=${args[i + 1]:-} ;;
    --out) out=${args[i + 1]:-} ;;
  esac
done
needs_fleet=false
[[ $modes == *b* || $modes == *c* ]] && needs_fleet=true
[[ -n $out ]] || { out=$repo/artifacts/fleet-bench/$(date +%Y%m%d-%H%M%S); args+=(--out "$out"); }

# Prerequisites: say what is missing and how to get it, install nothing behind the user's back.
missing=()
command -v mosquitto >/dev/null 2>&1 || missing+=(mosquitto)
command -v mosquitto_sub >/dev/null 2>&1 || missing+=(mosquitto-clients)
command -v dotnet >/dev/null 2>&1 || { echo "run.sh: dotnet (SDK 10, global.json) is not on PATH" >&2; exit 2; }
pg_bin=""
if $needs_fleet; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n $pg_bin && -x $pg_bin/initdb ]] || missing+=(postgresql)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
if ((${#missing[@]})); then
  echo "run.sh: missing ${missing[*]}: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 2
fi
s3rver_js=$repo/tools/s3rver/node_modules/s3rver/bin/s3rver.js
if $needs_fleet && [[ ! -f $s3rver_js ]]; then
  echo "run.sh: s3rver is not installed: npm ci --prefix tools/s3rver (pinned by its package-lock.json)"
  npm ci --prefix tools/s3rver --no-audit --no-fund --loglevel=error
fi

# One temp folder for every server; traversable by the users mosquitto and PostgreSQL drop to as root.
tmp=$(mktemp -d /tmp/dce-fleet-bench.XXXXXX)
chmod 755 "$tmp"
mosquitto_pid="" s3rver_pid="" pg_started=false
as_postgres() { if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
cleanup() {
  set +e
  [[ -n $s3rver_pid ]] && kill "$s3rver_pid" 2>/dev/null && wait "$s3rver_pid" 2>/dev/null
  $pg_started && as_postgres "$pg_bin/pg_ctl" -D "$tmp/postgres/data" -m fast -w stop >/dev/null
  [[ -n $mosquitto_pid ]] && kill "$mosquitto_pid" 2>/dev/null && wait "$mosquitto_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# A port nobody listens on (a connect to it fails); the bench runs alone on loopback.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
wait_port() { # port, what, log
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done
  echo "run.sh: $2 did not listen on port $1; its log:" >&2; cat "$3" >&2; exit 1
}

echo "building the bench$($needs_fleet && echo " and publishing dce-fleet") (Release)"
dotnet build tools/bench/Fleet -c Release --nologo -v quiet -clp:ErrorsOnly
if $needs_fleet; then
  dotnet publish src/DataCentric.Edge.FleetService -c Release -o "$tmp/dce-fleet" --nologo -v quiet -clp:ErrorsOnly
fi

# mosquitto: plain TCP on loopback, subscriptions logged (the bench reads them to know a subscriber is
# ready), in-flight and queue limits raised so a slow subscriber is queued for, not dropped.
broker_port=$(free_port)
touch "$tmp/mosquitto.log" && chmod 666 "$tmp/mosquitto.log"
cat >"$tmp/mosquitto.conf" <<CONF
listener $broker_port 127.0.0.1
allow_anonymous true
persistence false
log_dest file $tmp/mosquitto.log
log_type error
log_type warning
log_type notice
log_type subscribe
max_inflight_messages 100
max_queued_messages 0
max_queued_bytes 0
CONF
mosquitto -c "$tmp/mosquitto.conf" >"$tmp/mosquitto.out" 2>&1 &
mosquitto_pid=$!
wait_port "$broker_port" mosquitto "$tmp/mosquitto.log"
echo "mosquitto $(mosquitto -h 2>/dev/null | head -n 1 | awk '{print $3}') on 127.0.0.1:$broker_port (pid $mosquitto_pid)"
bench_args=(--broker-port "$broker_port" --broker-log "$tmp/mosquitto.log" --broker-pid "$mosquitto_pid")

if $needs_fleet; then
  # PostgreSQL as an unprivileged user (it refuses root), in the temp folder, on a free port.
  pg_port=$(free_port)
  mkdir -p "$tmp/postgres"
  ((EUID == 0)) && chown postgres: "$tmp/postgres"
  as_postgres "$pg_bin/initdb" -D "$tmp/postgres/data" -U postgres -A trust -E UTF8 --locale=C --no-sync --no-instructions >/dev/null
  # Durable defaults (fsync, synchronous_commit) as a fleet would run it; PG_BENCH_OPTIONS adds settings.
  as_postgres "$pg_bin/pg_ctl" -D "$tmp/postgres/data" -l "$tmp/postgres/server.log" -w -t 30 \
    -o "-p $pg_port -k $tmp/postgres -c listen_addresses=127.0.0.1 ${PG_BENCH_OPTIONS:-}" start >/dev/null
  pg_started=true
  "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres dce
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, database dce"

  # s3rver over a folder in the temp folder, with the bench's bucket.
  s3_port=$(free_port)
  node "$s3rver_js" --directory "$tmp/s3" --address 127.0.0.1 --port "$s3_port" --no-vhost-buckets \
    --configure-bucket dce-bench >"$tmp/s3rver.log" 2>&1 &
  s3rver_pid=$!
  wait_port "$s3_port" s3rver "$tmp/s3rver.log"
  echo "s3rver on 127.0.0.1:$s3_port, bucket dce-bench"
  bench_args+=(--fleet "$tmp/dce-fleet/dce-fleet"
    --catalog "Host=127.0.0.1;Port=$pg_port;Database=dce;Username=postgres"
    --s3-url "http://127.0.0.1:$s3_port" --s3-bucket dce-bench)
fi

dotnet tools/bench/Fleet/bin/Release/net10.0/dce-fleet-bench.dll "${bench_args[@]}" "${args[@]}"
