#!/usr/bin/env bash
# Start-up and memory of the published agent on the demo load, against the board targets
# (first processed frame <= 1 s, RSS <= 120 MiB) and a baseline taken in the same run: the same
# binary's bare runtime start (`dce-agent --help`).
#   tools/bench/Board/measure.sh [PUBLISHED_DIR] [--resnet18 PATH] [--seconds N]
# PUBLISHED_DIR defaults to artifacts/publish/linux-x64 (tools/publish.sh linux-x64).
# Variants: "demo" (the generated obstacle model) and, when the ResNet18 file is found,
# "demo+resnet18": the same plus ResNet18 as a second shadow model, the embedder, on every 3rd
# frame (5 fps of the scene's 15) with 2 intra-op threads.
# first frame: median of 3 starts, read from the agent's dce_first_frame_seconds (process start to
# the first frame out of the shadow model).
# idle RSS: 2 s after the first frame, before the scene's first episode (no trigger, no clip yet);
# steady RSS: after N seconds of episodes (triggers, clips recorded, stored and uploaded).
set -euo pipefail
cd "$(dirname "$0")/../../.."
app="artifacts/publish/linux-x64"; seconds=30
resnet="$HOME/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx"
while [ $# -gt 0 ]; do
  case "$1" in
    --resnet18) resnet="$2"; shift 2;;
    --seconds) seconds="$2"; shift 2;;
    *) app="$1"; shift;;
  esac
done
app="$(cd "$app" && pwd)"
[ -x "$app/dce-agent" ] || { echo "measure.sh: no published agent in $app (tools/publish.sh linux-x64)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))

scrape() { curl -sf "http://127.0.0.1:$port/metrics" >"$work/scrape" || : >"$work/scrape"; }
metric() { awk -v k="$1" '$1==k {print $2}' "$work/scrape"; }
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
anon_mib() { awk '/^RssAnon|^RssShmem/ {n += $2} END {printf "%.1f", n/1024}' "/proc/$1/status"; }
hwm_mib() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

# Baseline: the runtime starting this binary and exiting, median of 5.
baseline=$(for _ in 1 2 3 4 5; do
  s=$(date +%s%N); "$app/dce-agent" --help >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
done | sort -n | sed -n 3p)
echo "baseline: bare runtime start (dce-agent --help) ${baseline} ms"

start_agent() {
  local dir="$1"; shift
  rm -rf "$work/data" "$work/out"
  (cd "$dir" && exec env DOTNET_hostBuilder__reloadConfigOnChange=false DCE_Health__MetricsEnabled=true DCE_Health__MetricsPort=$port \
     DCE_Sources__Synthetic__FirstEpisodeAt=00:00:06 "$@" \
     ./dce-agent demo --duration $((seconds + 30)) --out "$work/out" --data "$work/data" >"$work/agent.log" 2>&1) &
  agent_pid=$!
  first=""
  for _ in $(seq 1 1000); do scrape; first=$(metric dce_first_frame_seconds); [ -n "$first" ] && break; sleep 0.02; done
  [ -n "$first" ] || { echo "measure.sh: the agent never processed a frame; log:" >&2; cat "$work/agent.log" >&2; exit 1; }
}

stop_agent() { kill -TERM "$agent_pid"; while kill -0 "$agent_pid" 2>/dev/null; do sleep 0.02; done; }

run_variant() {
  local name="$1" dir="$2"; shift 2
  local starts=()
  for _ in 1 2 3; do start_agent "$dir" "$@"; starts+=("$first"); stop_agent; done
  local median; median=$(printf '%s\n' "${starts[@]}" | sort -g | sed -n 2p)
  start_agent "$dir" "$@"
  local pid=$agent_pid
  sleep 2
  local idle; idle=$(rss_mib "$pid")
  sleep "$seconds"
  local steady hwm anon p50 p99 clips fps
  steady=$(rss_mib "$pid"); hwm=$(hwm_mib "$pid"); anon=$(anon_mib "$pid"); scrape
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
  awk -v n="$name" -v f="$median" -v b="$baseline" -v i="$idle" -v s="$steady" -v h="$hwm" -v p50="$p50" -v p99="$p99" -v c="$clips" -v fps="$fps" -v st="$stop_ms" -v a="$anon" 'BEGIN {
    printf "%-14s first frame %6.0f ms (%.1fx baseline, target 1000 ms: %s)  idle RSS %6.1f MiB  steady RSS %6.1f MiB  peak %6.1f MiB (target 120: %s)\n",
      n, f*1000, f*1000/b, (f <= 1 ? "met" : "MISSED"), i, s, h, (h <= 120 ? "met" : "MISSED");
    printf "%-14s steady RSS is %.1f MiB private (anon+shmem) and %.1f MiB file-backed (mapped code, shared and reclaimable)\n", n, a, s - a;
    printf "%-14s inference ms p50:%s  p99:%s;  %.1f fps, %d clips uploaded, SIGTERM to exit %d ms\n", n, p50, p99, fps, c, st }'
}

run_variant demo "$app"
if [ -f "$resnet" ]; then
  run_variant demo+resnet18 "$app" DCE_Inference__Models__1__Name=resnet18-embedder DCE_Inference__Models__1__ModelPath="$resnet" \
    DCE_Inference__Models__1__Input__Name=Input247 DCE_Inference__Models__1__Input__Scale=1 \
    DCE_Inference__Models__1__Output__Kind=Embedding DCE_Inference__Models__1__Output__Tensor=Pooling395_Output_0 \
    DCE_Inference__Models__1__IntraOpThreads=2 DCE_Inference__Models__1__EveryNthFrame=3
else
  echo "demo+resnet18: skipped, no ResNet18 at $resnet"
fi
