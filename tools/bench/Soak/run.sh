#!/usr/bin/env bash
# Soak bench (not CI): the agent as a board runs it (`dce-agent run` against mosquitto, `edgectl
# receive` acknowledging in its own process) for --minutes, fed at twice the frame rate its
# inference can take, with a trigger that fires continuously, the broker killed and restarted every
# --broker-restart seconds, and a clip quota and a catalog history bound small enough to be reached within minutes.
# See README.md beside this script for what each figure means and the targets.
#   tools/bench/Soak/run.sh [--minutes 60] [--quota-mib 48] [--history 100] [--broker-restart 300] [--sample 10]
#                           [--no-resnet18] [--fps N] [--env NAME=VALUE]... [--agent DIR] [--keep]
# --fps skips the calibration: two builds compared on a shared VM then run at the same rate.
# --env adds to (or overrides) the unit file's Environment= lines: runtime settings compared side by side.
# --agent runs a published agent (e.g. tools/publish.sh linux-x64: Native AOT, what boards run)
#   instead of the JIT build in src/DataCentric.Edge.Agent/bin/Release.
# Prints a report at the end; samples go to $work/samples.csv (kept with --keep or on failure).
set -euo pipefail
cd "$(dirname "$0")/../../.."
minutes=60; quota_mib=48; history=100; restart_s=300; sample_s=10; resnet=true; keep=false; fixed_fps=""; extra_env=(); agent_dir="src/DataCentric.Edge.Agent/bin/Release/net10.0"
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2;;
    --quota-mib) quota_mib="$2"; shift 2;;
    --history) history="$2"; shift 2;;
    --broker-restart) restart_s="$2"; shift 2;;
    --sample) sample_s="$2"; shift 2;;
    --no-resnet18) resnet=false; shift;;
    --fps) fixed_fps="$2"; shift 2;;
    --env) extra_env+=("$2"); shift 2;;
    --agent) agent_dir="$2"; shift 2;;
    --keep) keep=true; shift;;
    *) echo "run.sh: unknown option $1" >&2; exit 2;;
  esac
done

mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
[ -x "$mosquitto_bin" ] || { echo "run.sh: needs mosquitto (apt-get install -y mosquitto)" >&2; exit 1; }
edgectl="src/DataCentric.Edge.Cli/bin/Release/net10.0/edgectl"
[ -x "$agent_dir/dce-agent" ] || [ "$agent_dir" != src/DataCentric.Edge.Agent/bin/Release/net10.0 ] || dotnet build src/DataCentric.Edge.Agent -c Release -v quiet -nologo >/dev/null
[ -x "$edgectl" ] || dotnet build src/DataCentric.Edge.Cli -c Release -v quiet -nologo >/dev/null
[ -x "$agent_dir/dce-agent" ] || { echo "run.sh: no dce-agent in $agent_dir" >&2; exit 1; }
cli_dir="$(dirname "$edgectl")"
resnet_model="$HOME/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx"
[ -f "$resnet_model" ] || resnet=false

# mosquitto as root drops to its own user: its folder must be readable and writable by it.
work="$(mktemp -d /tmp/dce-soak-XXXXXX)"; chmod 0777 "$work"
agent_pid=""; broker_pid=""; receiver_pid=""
# Run copies: a rebuild during an hour-long run must not change the binaries under the processes.
agent_from="$agent_dir"; cp -r "$agent_dir" "$work/agent"; cp -r "$cli_dir" "$work/cli"
agent_dir="$work/agent"; edgectl="$work/cli/edgectl"
cleanup() {
  for p in $agent_pid $receiver_pid $broker_pid; do kill -TERM "$p" 2>/dev/null || :; done
  wait 2>/dev/null || :
  if $keep; then echo "run.sh: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$((20000 + RANDOM % 20000)); broker_port=$((port + 1)); quota=$((quota_mib * 1024 * 1024))
mkdir -m 0777 "$work/broker"
printf 'listener %d 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nlog_dest none\n' \
  "$broker_port" "$work/broker" >"$work/mosquitto.conf"
chmod 0644 "$work/mosquitto.conf"
start_broker() {
  "$mosquitto_bin" -c "$work/mosquitto.conf" &
  broker_pid=$!
  for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$broker_port) 2>/dev/null && return 0; sleep 0.05; done
  echo "run.sh: mosquitto did not listen on $broker_port" >&2; exit 1
}
# A stop a real broker sees: SIGKILL, so nothing is flushed cleanly (persistence is from its last autosave).
restart_broker() { kill -KILL "$broker_pid"; wait "$broker_pid" 2>/dev/null || :; start_broker; }

# The scene brings an obstacle every 3 s (see start_agent) and the trigger fires on each: with 2 s
# before and 1 s after, the clips follow one another with no gap, so the recorder never rests.
cat >"$work/triggers.yaml" <<'YAML'
schemaVersion: 1
version: 1
description: Soak - fires on every obstacle of a fast scene
triggers:
  - id: soak-continuous
    description: the shadow model sees the obstacle
    when: shadow.obstacle > 0.5
    pre: 2s
    post: 1s
    cooldown: 500ms
    priority: 5
YAML

mapfile -t unit_env < <(sed -n 's/^Environment=//p' firmware-config/generic-x64/dce-agent.service)
unit_env+=("${extra_env[@]}")
model_env=()
if $resnet; then
  # A second, heavy model on every frame: inference, not the scene generator, is the bottleneck.
  model_env=(DCE_Inference__Models__1__Name=resnet18 DCE_Inference__Models__1__ModelPath="$resnet_model"
    DCE_Inference__Models__1__Input__Name=Input247 DCE_Inference__Models__1__Input__Scale=1
    DCE_Inference__Models__1__Output__Kind=Embedding DCE_Inference__Models__1__Output__Tensor=Pooling395_Output_0
    DCE_Inference__Models__1__IntraOpThreads=1 DCE_Inference__Models__1__EveryNthFrame=1)
fi

scrape() { curl -sf "http://127.0.0.1:$port/metrics" >"$work/scrape" 2>/dev/null || : >"$work/scrape"; }
metric() { awk -v k="$1" '$1==k {print $2; f=1} END {if (!f) print 0}' "$work/scrape"; }
kib() { awk -v k="$1" '$1==k {printf "%d", $2 / 1024; f=1} END {if (!f) print ""}' "$work/scrape"; }
dropped() { awk '/^dce_frames_dropped_total/ {n += $2} END {printf "%d", n}' "$work/scrape"; }
status_kib() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }
clip_bytes() { find "$work/data/clips" -maxdepth 1 -type f ! -name '*.tmp' -printf '%s\n' 2>/dev/null | awk '{n += $1} END {printf "%d", n}'; }

# start_agent FPS LOG
start_agent() {
  (cd "$agent_dir" && exec env "${unit_env[@]}" "${model_env[@]}" \
     DCE_Health__MetricsEnabled=true DCE_Health__MetricsPort=$port \
     DCE_Logging__LogLevel__Default=Warning DCE_Logging__LogLevel__DataCentric=Information \
     DCE_Uplink__Host=127.0.0.1 DCE_Uplink__Port="$broker_port" \
     DCE_Agent__TriggerSetPath="$work/triggers.yaml" \
     DCE_Sources__Synthetic__FramesPerSecond="$1" DCE_Sources__Synthetic__FirstEpisodeAt=00:00:00 \
     DCE_Sources__Synthetic__EpisodePeriod=00:00:03 DCE_Sources__Synthetic__ApproachDuration=00:00:01.5 \
     DCE_Sources__Synthetic__StandDuration=00:00:00.5 \
     DCE_Storage__ClipQuotaBytes="$quota" DCE_Storage__HistoryRecords="$history" DCE_Storage__MaintenanceInterval=00:00:10 \
     ./dce-agent run --data "$work/data" >"$2" 2>&1) &
  agent_pid=$!
  for _ in $(seq 1 1500); do
    scrape; [ "$(metric dce_frames_inferred_total)" != 0 ] && return 0
    kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.02
  done
  echo "run.sh: the agent never inferred a frame; log:" >&2; cat "$2" >&2; exit 1
}
stop_agent() { kill -TERM "$agent_pid"; wait "$agent_pid" 2>/dev/null || :; agent_pid=""; }

start_broker
"$edgectl" receive --broker "127.0.0.1:$broker_port" --fleet demo --out "$work/received" --client-id soak-receiver >"$work/receiver.log" 2>&1 &
receiver_pid=$!

# Frames the slowest model drops (each model has its own queue and drop counter).
worst_dropped() { awk '/^dce_frames_dropped_total\{stage="inference:/ {if ($2 > m) m = $2} END {printf "%d", m}' "$work/scrape"; }
# calibrate FPS: frames per second the slowest model takes while the scene runs at FPS.
calibrate() {
  start_agent "$1" "$work/calibrate.log"
  sleep 3; scrape; local a0 d0 a1 d1 t0 t1
  a0=$(metric dce_frames_captured_total); d0=$(worst_dropped); t0=$(date +%s.%N)
  sleep 15
  scrape; a1=$(metric dce_frames_captured_total); d1=$(worst_dropped); t1=$(date +%s.%N)
  stop_agent; rm -rf "$work/data"
  awk -v a="$((a1 - a0 - d1 + d0))" -v s="$t0" -v e="$t1" 'BEGIN {printf "%.1f", a / (e - s)}'
}
double() { awk -v c="$1" 'BEGIN {f = 2 * c; if (f > 120) f = 120; if (f < 1) f = 1; printf "%.0f", f}'; }
# Calibration in two steps: at the scene's top rate (120 fps) the scene generator itself takes CPU
# from inference, so the capacity is measured again at twice the first estimate, where the soak runs.
if [ -n "$fixed_fps" ]; then
  capacity="not measured"; fps="$fixed_fps"
  echo "calibration: skipped (--fps); soak at ${fps} fps (resnet18 on every frame: $resnet)"
else
  first_capacity=$(calibrate 120)
  capacity=$(calibrate "$(double "$first_capacity")")
  fps=$(double "$capacity")
  echo "calibration: the slowest model takes ${first_capacity} frames/s with the scene at 120 fps, ${capacity} at $(double "$first_capacity") fps (resnet18 on every frame: $resnet); soak at ${fps} fps"
fi

echo "agent: $(file -b "$agent_dir/dce-agent" | cut -d, -f1-2) from $agent_from"
echo "environment: ${unit_env[*]}"
start_agent "$fps" "$work/agent.log"
pid=$agent_pid
start_s=$(date +%s); end_s=$((start_s + minutes * 60)); next_restart=$((start_s + restart_s)); restarts=0
# RSS split as the kernel counts it: anonymous (managed heap, native heaps, ONNX Runtime arenas),
# file pages (code and mapped files, which the kernel may drop and fault back in) and shared memory
# (the runtime's double-mapped JIT code): a slope in one and not the others says where it comes from.
# And the managed heap as the collector reports it at the end of its last collection, with what it holds
# committed (the agent's dce_gc_* gauges): RSS less gc_committed_kib is everything outside the managed heap.
echo "elapsed_s,rss_kib,fds,threads,clip_bytes,captured,inferred,dropped,stored,uploaded,rss_anon_kib,rss_file_kib,rss_shmem_kib,gc_heap_kib,gc_committed_kib,gc_fragmented_kib,gc2_collections" >"$work/samples.csv"
sample() {
  scrape
  echo "$(( $(date +%s) - start_s )),$(status_kib "$pid" VmRSS),$(fds "$pid"),$(status_kib "$pid" Threads),$(clip_bytes),$(metric dce_frames_captured_total),$(metric dce_frames_inferred_total),$(dropped),$(metric dce_clips_stored_total),$(metric dce_clips_uploaded_total),$(status_kib "$pid" RssAnon),$(status_kib "$pid" RssFile),$(status_kib "$pid" RssShmem),$(kib dce_gc_heap_bytes),$(kib dce_gc_committed_bytes),$(kib dce_gc_fragmented_bytes),$(metric 'dce_gc_collections_total{generation="2"}')" >>"$work/samples.csv"
}
sample
while [ "$(date +%s)" -lt "$end_s" ]; do
  kill -0 "$pid" 2>/dev/null || { echo "run.sh: the agent exited during the soak; log tail:" >&2; tail -20 "$work/agent.log" >&2; keep=true; exit 1; }
  sleep "$sample_s"
  if [ "$(date +%s)" -ge "$next_restart" ]; then restart_broker; restarts=$((restarts + 1)); next_restart=$((next_restart + restart_s)); fi
  sample
done
first=$(sed -n 2p "$work/samples.csv"); last=$(tail -1 "$work/samples.csv")

# Drain: the broker stays up, so every clip still owed may go out and be acknowledged.
drain_s=120; deadline=$(( $(date +%s) + drain_s ))
pending() { scrape; metric dce_upload_backlog_clips; }
while [ "$(date +%s)" -lt "$deadline" ] && [ "$(pending)" != 0 ]; do sleep 2; done
backlog=$(pending)
stop_agent

# Log lines by event id: 400 clip stored, 503 acknowledged by the receiver, 420 evicted.
stored=$(grep -c '\[400\]' "$work/agent.log" || :)
acked=$(grep -c '\[503\]' "$work/agent.log" || :)
evicted=$(grep -c '\[420\]' "$work/agent.log" || :)
evicted_unacked=$(grep '\[420\]' "$work/agent.log" | grep -vc 'upload Acknowledged' || :)
# Distinct clips the receiver wrote (a clip resent after a broker restart is printed again).
received=$(grep ' bytes -> ' "$work/receiver.log" | awk '{print $2}' | sort -u | wc -l)
# RSS slope: least squares over the samples after the first 10 minutes (after the first third on a
# run shorter than 15 minutes, which is then only a smoke test of the script).
skip_s=600; [ "$minutes" -lt 15 ] && skip_s=$((minutes * 20))
slope=$(awk -F, -v skip="$skip_s" 'NR > 1 && $1 >= skip { x = $1 / 3600; y = $2 / 1024; n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
  END { d = n * sxx - sx * sx; if (n < 3 || d == 0) print "n/a"; else printf "%.2f", (n * sxy - sx * sy) / d }' "$work/samples.csv")
max_clip_bytes=$(awk -F, 'NR > 1 && $5 > m {m = $5} END {printf "%d", m}' "$work/samples.csv")
IFS=, read -r _ rss0 fd0 th0 _ _ _ _ _ _ <<<"$first"
IFS=, read -r _ rss1 fd1 th1 _ cap1 inf1 drop1 _ _ <<<"$last"

echo "soak: ${minutes} min at ${fps} fps (inference capacity ${capacity} fps), broker killed and restarted ${restarts} times, clip quota ${quota_mib} MiB, catalog history ${history} records"
# Each part of RSS, three fits each: where a slope comes from, whether a robust fit agrees with it, and the floor
# (what is left after the collections), which a leak raises and the collector's sawtooth does not.
fits=$(bash tools/bench/Soak/slopes.sh "$work/samples.csv" "$skip_s")
floor=$(sed -n 's/^rss_kib: floor (lowest sample of each 5 min) \([^ ]*\) .*/\1/p' <<<"$fits")
interval=$(sed -n 's/^rss_kib: means of 5-min windows [^ ]* MiB\/hour, \(95 % interval .*\) ([0-9]* windows)$/\1/p' <<<"$fits")
echo "rss: start $((rss0 / 1024)) MiB, end $((rss1 / 1024)) MiB, slope after $((skip_s / 60)) min: ${slope} MiB/hour (its 5-minute means: ${interval:-no interval}), of its floor ${floor:-n/a} MiB/hour (target <= 1)"
sed 's/^/  /' <<<"$fits"
echo "fds: start ${fd0}, end ${fd1}; threads: start ${th0}, end ${th1}"
echo "frames: captured ${cap1}, model runs ${inf1} (all models), dropped ${drop1} (dce_frames_dropped_total, all stages)"
echo "clips: stored ${stored}, acknowledged ${acked}, received ${received} distinct, evicted ${evicted} (${evicted_unacked} before acknowledgement), backlog after ${drain_s} s drain ${backlog}"
echo "disk: clip files at most ${max_clip_bytes} bytes of a ${quota} byte quota ($( [ "$max_clip_bytes" -le "$quota" ] && echo within || echo OVER))"
echo "samples: $work/samples.csv"
cp "$work/samples.csv" "${SOAK_SAMPLES_OUT:-/dev/null}" 2>/dev/null || :
