#!/usr/bin/env bash
# Kill loop (not CI): the agent (`dce-agent run` against mosquitto, `edgectl receive` acknowledging
# in its own process) is stopped mid-upload --kills times, alternately SIGKILL and SIGTERM, at a
# chunk picked at random inside the clip on the wire, and started again on the same data directory.
# An outside client, mosquitto_sub following firmware-config/broker/CONTRACT.md alone, watches the
# chunks (their `chunk-index` user property) and says where each next run resumed that clip.
# At the end every clip the agent logged stored must have been received whole, with the SHA-256 of
# the agent's own file.
#   tools/bench/KillLoop/run.sh [--kills 20] [--signal both|KILL|TERM] [--agent DIR] [--keep]
# See README.md beside this script for the figures and the bound they are held to.
set -euo pipefail
cd "$(dirname "$0")/../../.."
kills=20; signals=both; keep=false; agent_dir="src/DataCentric.Edge.Agent/bin/Release/net10.0"
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) kills="$2"; shift 2;;
    --signal) signals="$2"; shift 2;;
    --agent) agent_dir="$2"; shift 2;;
    --keep) keep=true; shift;;
    *) echo "run.sh: unknown option $1" >&2; exit 2;;
  esac
done
case "$signals" in both|KILL|TERM) ;; *) echo "run.sh: --signal is both, KILL or TERM" >&2; exit 2;; esac

mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
[ -x "$mosquitto_bin" ] && command -v mosquitto_sub >/dev/null \
  || { echo "run.sh: needs mosquitto and mosquitto_sub (apt-get install -y mosquitto mosquitto-clients)" >&2; exit 1; }
edgectl="src/DataCentric.Edge.Cli/bin/Release/net10.0/edgectl"
[ -x "$agent_dir/dce-agent" ] || [ "$agent_dir" != src/DataCentric.Edge.Agent/bin/Release/net10.0 ] || dotnet build src/DataCentric.Edge.Agent -c Release -v quiet -nologo >/dev/null
[ -x "$edgectl" ] || dotnet build src/DataCentric.Edge.Cli -c Release -v quiet -nologo >/dev/null
[ -x "$agent_dir/dce-agent" ] || { echo "run.sh: no dce-agent in $agent_dir" >&2; exit 1; }

work="$(mktemp -d /tmp/dce-killloop-XXXXXX)"; chmod 0777 "$work"
agent_pid=""; broker_pid=""; receiver_pid=""; watcher_pid=""
cleanup() {
  for p in $agent_pid $receiver_pid $watcher_pid $broker_pid; do kill -TERM "$p" 2>/dev/null || :; done
  wait 2>/dev/null || :
  if $keep; then echo "run.sh: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$((20000 + RANDOM % 20000)); broker_port=$((port + 1))
mkdir -m 0777 "$work/broker"
printf 'listener %d 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nlog_dest none\n' \
  "$broker_port" "$work/broker" >"$work/mosquitto.conf"
chmod 0644 "$work/mosquitto.conf"
"$mosquitto_bin" -c "$work/mosquitto.conf" & broker_pid=$!
for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$broker_port) 2>/dev/null && break; sleep 0.05; done

# One clip every 8 s of the scene (2 s before the obstacle, 1 s after), 8 KiB chunks at most 12 a
# second: each clip is some 60-90 chunks on the wire for several seconds, room for a stop inside it.
cat >"$work/triggers.yaml" <<'YAML'
schemaVersion: 1
version: 1
description: Kill loop - one clip per obstacle
triggers:
  - id: kill-loop
    description: the shadow model sees the obstacle
    when: shadow.obstacle > 0.5
    pre: 2s
    post: 1s
    cooldown: 2s
    priority: 5
YAML
triggers="$work/triggers.yaml"
mapfile -t unit_env < <(sed -n 's/^Environment=//p' firmware-config/generic-x64/dce-agent.service)
chunk_bytes=8192

scrape() { curl -sf "http://127.0.0.1:$port/metrics" 2>/dev/null || :; }
metric() { scrape | awk -v k="$1" '$1==k {print $2; f=1} END {if (!f) print ""}'; }
start_agent() {
  (cd "$agent_dir" && exec env "${unit_env[@]}" \
     DCE_Health__MetricsEnabled=true DCE_Health__MetricsPort=$port \
     DCE_Logging__LogLevel__Default=Warning DCE_Logging__LogLevel__DataCentric=Information \
     DCE_Uplink__Host=127.0.0.1 DCE_Uplink__Port="$broker_port" \
     DCE_Uplink__ChunkBytes=$chunk_bytes DCE_Uplink__MinChunkBytes=$chunk_bytes \
     DCE_Uplink__MaxBytesPerSecond=$((12 * chunk_bytes)) \
     DCE_Agent__TriggerSetPath="$triggers" \
     DCE_Sources__Synthetic__FramesPerSecond=10 DCE_Sources__Synthetic__FirstEpisodeAt=00:00:02 \
     DCE_Sources__Synthetic__EpisodePeriod=00:00:08 \
     ./dce-agent run --data "$work/data" >>"$work/agent.log" 2>&1) &
  agent_pid=$!
}

"$edgectl" receive --broker "127.0.0.1:$broker_port" --fleet demo --out "$work/received" --client-id killloop-receiver >"$work/receiver.log" 2>&1 &
receiver_pid=$!
# The outside client: a line per chunk, its topic and user properties, in arrival order.
stdbuf -oL mosquitto_sub -V mqttv5 -p "$broker_port" -i killloop-watcher -q 1 -t 'dce/v1/+/+/clips/+/chunk' -F '%t %P' \
  >"$work/wire.raw" &
watcher_pid=$!
for _ in $(seq 1 100); do grep -q 'connected to' "$work/receiver.log" 2>/dev/null && break; sleep 0.1; done

# wait_for CONDITION_FN SECONDS WHAT
wait_for() { local deadline=$(( $(date +%s) + $2 )); until "$1"; do [ "$(date +%s)" -lt "$deadline" ] || { echo "run.sh: timed out waiting for $3" >&2; keep=true; exit 1; }; sleep 0.1; done; }
# The chunks seen so far, a line each: "<seq> <clip id> <index> <count>".
wire() { awk '{ n = split($1, t, "/"); idx = cnt = ""; for (i = 2; i <= NF; i++) { split($i, kv, ":"); if (kv[1] == "chunk-index") idx = kv[2]; if (kv[1] == "chunk-count") cnt = kv[2] } print NR, t[n - 1], idx, cnt }' "$work/wire.raw"; }
last_line() { wire | tail -1; }
# The clip on the wire now, and the chunk to stop it at: past the one on the wire, before nine tenths.
target_clip=""; target_k=0
pick_target() {
  local seq clip idx cnt; read -r seq clip idx cnt <<<"$(last_line)"
  [ -n "${cnt:-}" ] && [ "$cnt" -ge 20 ] && [ "$idx" -lt $((cnt * 6 / 10)) ] || return 1
  target_clip="$clip"; target_k=$(( idx + 2 + RANDOM % (cnt * 9 / 10 - idx - 2) ))
}
reached_target() { awk -v c="$target_clip" -v k="$target_k" '$2 == c && $3 >= k {f = 1} END {exit !f}' <(wire); }
clip_complete_since() { awk -v c="$target_clip" -v s="$mark" '$2 == c && $1 > s {seen[$3] = 1; n = $4} END {m = 0; for (i in seen) m++; exit !(n > 0 && m >= n - first)}' first="$first" <(wire); }
agent_up() { [ -n "$(metric dce_frames_captured_total)" ]; }

start_agent; wait_for agent_up 60 "the agent's metrics"
echo "kill,signal,clip,chunks,last_seen_before,first_after,resent" >"$work/kills.csv"
for i in $(seq 1 "$kills"); do
  case "$signals" in both) sig=$([ $((i % 2)) -eq 1 ] && echo KILL || echo TERM);; *) sig="$signals";; esac
  wait_for pick_target 120 "a clip on the wire with room for a stop (kill $i)"
  wait_for reached_target 120 "chunk $target_k of clip $target_clip (kill $i)"
  kill -"$sig" "$agent_pid"; wait "$agent_pid" 2>/dev/null || :; agent_pid=""
  sleep 0.5   # chunks already on their way to the watcher land before the mark
  mark=$(wc -l <"$work/wire.raw")
  last_seen=$(awk -v c="$target_clip" '$2 == c && $3 > m {m = $3} END {print m + 0}' <(wire))
  count=$(awk -v c="$target_clip" '$2 == c {n = $4} END {print n}' <(wire))
  start_agent; wait_for agent_up 60 "the agent's metrics after stop $i"
  resumed() { awk -v c="$target_clip" -v s="$mark" '$2 == c && $1 > s {f = 1} END {exit !f}' <(wire); }
  wait_for resumed 180 "clip $target_clip on the wire again after stop $i"
  first=$(awk -v c="$target_clip" -v s="$mark" '$2 == c && $1 > s {print $3; exit}' <(wire))
  wait_for clip_complete_since 180 "clip $target_clip completed after stop $i"
  echo "$i,$sig,$target_clip,$count,$last_seen,$first,$((last_seen + 1 - first))" >>"$work/kills.csv"
  echo "stop $i ($sig): clip $target_clip ($count chunks) stopped after chunk $last_seen, the next run started at chunk $first"
done

# Drain: one more run with a trigger that never fires, so no clip is stored after the count, until
# every clip still owed has gone out and been acknowledged; then a clean stop.
kill -TERM "$agent_pid"; wait "$agent_pid" 2>/dev/null || :; agent_pid=""
sed -e 's/^version: 1/version: 2/' -e 's/shadow.obstacle > 0.5/shadow.obstacle > 2/' "$work/triggers.yaml" >"$work/quiet.yaml"
triggers="$work/quiet.yaml"; start_agent; wait_for agent_up 60 "the agent's metrics for the drain"
backlog_empty() { [ "$(metric dce_upload_backlog_clips)" = 0 ]; }
wait_for backlog_empty 600 "the upload backlog to drain"
kill -TERM "$agent_pid"; wait "$agent_pid" 2>/dev/null || :; agent_pid=""
sleep 1

# Every clip logged stored (event 400, any run) was received, and its bytes are the agent's file's.
grep '\[400\]' "$work/agent.log" | sed -E 's/.*Clip ([0-9a-f]+) stored.*/\1/' | sort -u >"$work/stored.txt"
sed -E 's/.*"clipId":"([0-9a-f]+)".*"relativePath":"([^"]+)".*"sha256":"([0-9a-f]+)".*/\1 \2 \3/' "$work/received/index.jsonl" | sort -u -k1,1 >"$work/received.txt"
missing=$(join -v1 "$work/stored.txt" "$work/received.txt" | wc -l)
mismatched=0; checked=0
while read -r id path sha; do
  local_file="$work/data/clips/$id.mcap"
  [ -f "$local_file" ] || continue
  checked=$((checked + 1))
  [ "$(sha256sum "$work/received/$path" | cut -d' ' -f1)" = "$sha" ] && [ "$(sha256sum "$local_file" | cut -d' ' -f1)" = "$sha" ] || mismatched=$((mismatched + 1))
done <"$work/received.txt"
received_twice=$(grep ' bytes -> ' "$work/receiver.log" | awk '{print $2}' | sort | uniq -d | wc -l)

# MqttClipUploader: 16 chunks in flight, the position written every 8 acknowledged ones.
bound=$((16 + 8))
echo "stops: $kills ($(grep -c ',KILL,' "$work/kills.csv" || :) SIGKILL, $(grep -c ',TERM,' "$work/kills.csv" || :) SIGTERM), the agent started again after each"
for s in KILL TERM; do
  awk -F, -v s="$s" -v b="$bound" 'NR > 1 && $2 == s { n++; r = $7; sum += r; if (r > max) max = r; if (n == 1 || r < min) min = r; if (r > b) over++ }
    END { if (n) printf "  %s: chunks resent per stop min %d, mean %.1f, max %d; more than %d (in flight plus not yet saved): %d\n", s, min, sum / n, max, b, over + 0 }' "$work/kills.csv"
done
echo "clips: stored $(wc -l <"$work/stored.txt"), received $(wc -l <"$work/received.txt"), stored but not received $missing; SHA-256 of received file = agent's file = manifest for $((checked - mismatched)) of $checked still on the device; received more than once: $received_twice"
echo "per stop: $work/kills.csv"
