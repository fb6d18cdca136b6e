#!/usr/bin/env bash
# Start-up and memory of the published agent on the demo load, against the board targets
# (first processed frame <= 1 s, idle and steady RSS <= 120 MiB) and a baseline taken in the same
# run: the same binary's bare runtime start (`dce-agent --help`). See README.md beside this script.
#   tools/bench/Board/measure.sh [PUBLISHED_DIR] [--before DIR] [--resnet18 PATH] [--resnet18-int8 PATH]
#                                [--seconds N] [--edgectl PATH] [--only demo|agent] [--smaps] [--env NAME=VALUE]...
# PUBLISHED_DIR defaults to artifacts/publish/linux-x64 (tools/publish.sh linux-x64).
# --before DIR: an older publish measured the same way in the same run; ratios new/old are printed.
# --env NAME=VALUE: set for this build's agent only (not --before's): with --before set to the same
#   directory it measures one runtime knob against none, e.g. --env DOTNET_TieredPGO=0.
# --smaps: also print the steady RSS grouped by mapping (/proc/PID/smaps).
# --resnet18-int8 PATH: also measure ResNet18 quantized to int8 by tools/Quantize (its README has the
#   command), as a third model variant '+resnet18-int8' configured like '+resnet18'.
#
# Two set-ups, each with the generated obstacle model alone and with ResNet18 added as a second
# shadow model (the embedder, every 3rd frame = 5 fps of the scene's 15, 2 intra-op threads):
#   demo   `dce-agent demo`: the agent plus, in the same process, the embedded MQTT broker and the
#          fleet-side clip receiver. What a user runs first; not what a board runs.
#   agent  `dce-agent run` against mosquitto, with `edgectl receive` as its own process: the board's
#          set-up (the broker and the receiver are elsewhere), so the agent's RSS is the device figure.
# first frame: median of 3 starts, read from the agent's dce_first_frame_seconds (process start to
# the first frame out of the shadow model).
# idle RSS: 2 s after the first frame, before the scene's first episode (no trigger, no clip yet);
# steady RSS: after N seconds of episodes (triggers, clips recorded, stored and uploaded);
# peak: VmHWM, which includes the model load's transients.
# CPU: utime + stime over the steady window, as % of one core.
set -euo pipefail
cd "$(dirname "$0")/../../.."
app="artifacts/publish/linux-x64"; seconds=30; before=""; edgectl=""; only=""; smaps=false; extra_env=(); resnet_int8=""
resnet="$HOME/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx"
while [ $# -gt 0 ]; do
  case "$1" in
    --resnet18) resnet="$2"; shift 2;;
    --resnet18-int8) resnet_int8="$2"; shift 2;;
    --seconds) seconds="$2"; shift 2;;
    --before) before="$2"; shift 2;;
    --edgectl) edgectl="$2"; shift 2;;
    --only) only="$2"; shift 2;;
    --smaps) smaps=true; shift;;
    --env) extra_env+=("$2"); shift 2;;
    *) app="$1"; shift;;
  esac
done
app="$(cd "$app" && pwd)"
# The agent starts in its own directory: model paths must be absolute.
absolute() { echo "$(cd "$(dirname "$1")" 2>/dev/null && pwd)/$(basename "$1")"; }
[ ! -f "$resnet" ] || resnet="$(absolute "$resnet")"
if [ -n "$resnet_int8" ]; then
  [ -f "$resnet_int8" ] || { echo "measure.sh: --resnet18-int8: no model at $resnet_int8 (tools/Quantize/README.md writes one)" >&2; exit 1; }
  resnet_int8="$(absolute "$resnet_int8")"
fi
[ -x "$app/dce-agent" ] || { echo "measure.sh: no published agent in $app (tools/publish.sh linux-x64)" >&2; exit 1; }
if [ -n "$before" ]; then
  before="$(cd "$before" && pwd)"
  [ -x "$before/dce-agent" ] || { echo "measure.sh: no published agent in $before" >&2; exit 1; }
fi
work="$(mktemp -d)"
broker_pid=""; receiver_pid=""; agent_pid=""
cleanup() {
  for p in $agent_pid $receiver_pid $broker_pid; do kill -TERM "$p" 2>/dev/null || :; done
  wait 2>/dev/null || :
  rm -rf "$work"
}
trap cleanup EXIT
port=$((20000 + RANDOM % 20000))

if [ "$only" != demo ]; then
  command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || {
    echo "measure.sh: the agent set-up needs mosquitto (apt-get install -y mosquitto), or pass --only demo" >&2; exit 1; }
  if [ -z "$edgectl" ]; then
    edgectl="src/DataCentric.Edge.Cli/bin/Release/net10.0/edgectl"
    [ -x "$edgectl" ] || dotnet build src/DataCentric.Edge.Cli -c Release -v quiet -nologo >/dev/null
  fi
  edgectl="$(cd "$(dirname "$edgectl")" && pwd)/$(basename "$edgectl")"
  broker_port=$((port + 1))
  printf 'listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n' "$broker_port" >"$work/mosquitto.conf"
  "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$work/mosquitto.conf" &
  broker_pid=$!
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$broker_port) 2>/dev/null && break; sleep 0.05; done
  "$edgectl" receive --broker "127.0.0.1:$broker_port" --fleet demo --out "$work/received" --client-id bench-receiver >"$work/receiver.log" 2>&1 &
  receiver_pid=$!
fi

scrape() { curl -sf "http://127.0.0.1:$port/metrics" >"$work/scrape" || : >"$work/scrape"; }
metric() { awk -v k="$1" '$1==k {print $2}' "$work/scrape"; }
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
anon_mib() { awk '/^RssAnon|^RssShmem/ {n += $2} END {printf "%.1f", n/1024}' "/proc/$1/status"; }
hwm_mib() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
# utime + stime of the process in clock ticks (fields 14 and 15 of /proc/PID/stat, after the "(comm)").
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# RSS grouped by mapping: a file's name, [heap] (the C heap: ONNX Runtime, SkiaSharp), [anon]
# (the GC heap, thread stacks, large mallocs), memfd:doublemapper (JIT code, W^X double mapping).
smaps_top() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / { n = split((NF >= 6) ? $6 : "[anon]", p, "/"); name = p[n]; next }
       /^Rss:/ { rss[name] += $2 }
       END { for (k in rss) printf "%.1f %s\n", rss[k] / 1024, k }' "/proc/$1/smaps" |
    sort -rn | head -8 | awk '{printf "%s%s %s MiB", (NR > 1 ? ", " : ""), $2, $1}'
}

# Baseline: the runtime starting this binary and exiting, median of 5.
baseline=$(for _ in 1 2 3 4 5; do
  s=$(date +%s%N); "$app/dce-agent" --help >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
done | sort -n | sed -n 3p)
echo "baseline: bare runtime start (dce-agent --help) ${baseline} ms"

# Every build runs with the environment its systemd unit gives it (generic-x64: this machine's kind).
mapfile -t unit_env < <(sed -n 's/^Environment=//p' firmware-config/generic-x64/dce-agent.service)

# start_agent DIR MODE [ENV...]
start_agent() {
  local dir="$1" mode="$2"; shift 2
  rm -rf "$work/data" "$work/out"
  local args=(demo --duration $((seconds + 30)) --out "$work/out" --data "$work/data")
  local uplink=()
  if [ "$mode" = agent ]; then args=(run --data "$work/data"); uplink=(DCE_Uplink__Host=127.0.0.1 DCE_Uplink__Port="$broker_port"); fi
  (cd "$dir" && exec env "${unit_env[@]}" DCE_Health__MetricsEnabled=true DCE_Health__MetricsPort=$port \
     DCE_Logging__LogLevel__Default=Warning DCE_Sources__Synthetic__FirstEpisodeAt=00:00:06 \
     "${uplink[@]}" "$@" \
     ./dce-agent "${args[@]}" >"$work/agent.log" 2>&1) &
  agent_pid=$!
  first=""
  for _ in $(seq 1 1000); do scrape; first=$(metric dce_first_frame_seconds); [ -n "$first" ] && break; sleep 0.02; done
  [ -n "$first" ] || { echo "measure.sh: the agent never processed a frame; log:" >&2; cat "$work/agent.log" >&2; exit 1; }
}

stop_agent() { kill -TERM "$agent_pid"; while kill -0 "$agent_pid" 2>/dev/null; do sleep 0.02; done; agent_pid=""; }

# run_variant LABEL DIR MODE [ENV...]; leaves "first idle steady hwm" in $work/LABEL.
run_variant() {
  local name="$1" dir="$2" mode="$3"; shift 3
  local starts=()
  for _ in 1 2 3; do start_agent "$dir" "$mode" "$@"; starts+=("$first"); stop_agent; done
  local median; median=$(printf '%s\n' "${starts[@]}" | sort -g | sed -n 2p)
  start_agent "$dir" "$mode" "$@"
  local pid=$agent_pid
  sleep 2
  local idle; idle=$(rss_mib "$pid")
  local ticks0; ticks0=$(cpu_ticks "$pid")
  sleep "$seconds"
  local steady hwm anon p50 p99 clips fps top="" cpu
  cpu=$(awk -v a="$ticks0" -v b="$(cpu_ticks "$pid")" -v hz="$(getconf CLK_TCK)" -v s="$seconds" 'BEGIN {printf "%.1f", (b - a) / hz / s * 100}')
  steady=$(rss_mib "$pid"); hwm=$(hwm_mib "$pid"); anon=$(anon_mib "$pid"); scrape
  $smaps && top=$(smaps_top "$pid")
  local models; models=$(grep -o 'dce_inference_latency_seconds{model="[^"]*",quantile="0.5"}' "$work/scrape" | sed 's/.*model="\([^"]*\)".*/\1/' | sort -u)
  p50=""; p99=""
  for m in $models; do
    p50="$p50 $m $(awk -v k="dce_inference_latency_seconds{model=\"$m\",quantile=\"0.5\"}" '$1==k {printf "%.1f", $2*1000}' "$work/scrape")"
    p99="$p99 $m $(awk -v k="dce_inference_latency_seconds{model=\"$m\",quantile=\"0.99\"}" '$1==k {printf "%.1f", $2*1000}' "$work/scrape")"
  done
  clips=$(metric dce_clips_uploaded_total); fps=$(metric dce_frames_per_second)
  local stop_start; stop_start=$(date +%s%N)
  stop_agent
  local stop_ms=$(( ($(date +%s%N) - stop_start) / 1000000 ))
  echo "$median $idle $steady $hwm $cpu" >"$work/$name"
  awk -v n="$name" -v f="$median" -v b="$baseline" -v i="$idle" -v s="$steady" -v h="$hwm" -v p50="$p50" -v p99="$p99" -v c="$clips" -v fps="$fps" -v st="$stop_ms" -v a="$anon" -v cpu="$cpu" 'BEGIN {
    worst = (i > s ? i : s);
    printf "%-22s first frame %5.0f ms (%.1fx baseline, target 1000 ms: %s)  idle RSS %5.1f MiB  steady RSS %5.1f MiB (target 120: %s)  peak %5.1f MiB\n",
      n, f*1000, f*1000/b, (f <= 1 ? "met" : "MISSED"), i, s, (worst <= 120 ? "met" : "MISSED"), h;
    printf "%-22s steady RSS is %.1f MiB private (anon+shmem) and %.1f MiB file-backed (mapped code, shared and reclaimable)\n", n, a, s - a;
    printf "%-22s inference ms p50:%s  p99:%s;  %.1f fps, %d clips uploaded, SIGTERM to exit %d ms\n", n, p50, p99, fps, c, st;
    printf "%-22s CPU over the steady window: %.1f %% of one core\n", n, cpu }'
  [ -z "$top" ] || printf '%-22s steady RSS by mapping: %s\n' "$name" "$top"
}

# resnet_env NAME PATH: ResNet18 (float or int8, same input and output) as the second shadow model.
resnet_env() {
  env=(DCE_Inference__Models__1__Name="$1" DCE_Inference__Models__1__ModelPath="$2"
    DCE_Inference__Models__1__Input__Name=Input247 DCE_Inference__Models__1__Input__Scale=1
    DCE_Inference__Models__1__Output__Kind=Embedding DCE_Inference__Models__1__Output__Tensor=Pooling395_Output_0
    DCE_Inference__Models__1__IntraOpThreads=2 DCE_Inference__Models__1__EveryNthFrame=3)
}
[ -f "$resnet" ] || echo "resnet18: skipped, no ResNet18 at $resnet"
models=("" +resnet18); [ -z "$resnet_int8" ] || models+=(+resnet18-int8)

labels=()
for mode in demo agent; do
  [ -z "$only" ] || [ "$only" = "$mode" ] || continue
  for model in "${models[@]}"; do
    env=()
    case "$model" in
      +resnet18) [ -f "$resnet" ] || continue; resnet_env resnet18-embedder "$resnet";;
      +resnet18-int8) resnet_env resnet18-int8-embedder "$resnet_int8";;
    esac
    if [ -n "$before" ]; then run_variant "before:$mode$model" "$before" "$mode" "${env[@]}"; fi
    run_variant "$mode$model" "$app" "$mode" "${env[@]}" "${extra_env[@]}"
    labels+=("$mode$model")
  done
done

if [ -n "$before" ]; then
  echo "ratios, this build / --before build (same run):"
  for l in "${labels[@]}"; do
    read -r f1 i1 s1 h1 c1 <"$work/$l"; read -r f0 i0 s0 h0 c0 <"$work/before:$l"
    awk -v n="$l" -v f1="$f1" -v f0="$f0" -v i1="$i1" -v i0="$i0" -v s1="$s1" -v s0="$s0" -v h1="$h1" -v h0="$h0" -v c1="$c1" -v c0="$c0" 'BEGIN {
      printf "%-22s first frame %.2fx  idle RSS %.2fx (%+.1f MiB)  steady RSS %.2fx (%+.1f MiB)  peak %.2fx  CPU %.2fx\n",
        n, f1/f0, i1/i0, i1-i0, s1/s0, s1-s0, h1/h0, c1/c0 }'
  done
fi
if [ -n "$receiver_pid" ]; then
  echo "agent set-up: mosquitto and edgectl receive ran as their own processes; receiver RSS $(rss_mib "$receiver_pid") MiB, $(grep -c ' -> ' "$work/receiver.log" || :) clips received"
fi
