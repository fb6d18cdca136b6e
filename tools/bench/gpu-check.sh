#!/usr/bin/env bash
# The GPU check of issue 20 in one call: build, publish --gpu, the inference bench on CUDA, and a
# 30-second agent run with ResNet18 on CUDA beside the same run on the CPU; prints the figures.
# `--help` says how and what it needs.
set -euo pipefail
cd "$(dirname "$0")/../.."

help() {
  cat <<'EOF'
usage: tools/bench/gpu-check.sh [--dry] [--frames N] [--seconds S] [--jit] [--out DIR]
       tools/bench/gpu-check.sh --pack DIR [--jit]           (a machine with the SDK, no GPU needed)
       tools/bench/gpu-check.sh --prebuilt DIR [--dry] [--frames N] [--seconds S] [--out DIR]

On an x64 machine with an NVIDIA GPU, from a fresh checkout:
  1. finds the GPU (nvidia-smi) and the CUDA 13 / cuDNN 9 libraries ONNX Runtime's CUDA provider
     loads (ldconfig, /usr/local/cuda*, or the nvidia-* Python wheels), and puts them on LD_LIBRARY_PATH
  2. publishes the agent with tools/publish.sh linux-x64 --gpu (Native AOT; --jit for a faster build)
  3. builds tools/bench/Inference against the GPU package (OnnxRuntimeFlavour=gpu, its own lock file)
  4. runs the bench with --provider cuda: (a) bare ONNX Runtime with I/O binding in pinned memory,
     (b) the engine's whole path from a JPEG, alternating; per-frame ratio, frames/s, CPU ms/frame,
     GPU memory
  5. runs the published agent (demo: synthetic camera, embedded broker) for S seconds with ResNet18
     on CUDA, then the same on the CPU, and prints from its metrics endpoint and /proc: frames
     inferred, p50/p99 run time, the provider, and CPU ms per frame

options:
  --dry          no GPU here: run every step up to where a GPU is needed, expect the clean
                 "no CUDA" outcomes (the bench refuses, the agent falls back to the CPU and says
                 why), and fail if any step before that breaks
  --frames N     bench frames per path (default 200)
  --seconds S    agent run length (default 30)
  --jit          publish the agent JIT (ReadyToRun) instead of Native AOT: minutes faster to build
  --out DIR      where the published agent, configs, logs and figures go (default artifacts/gpu-check)
  --pack DIR     build everything steps 2-3 make, on a machine with the SDK (no GPU needed), into DIR:
                 agent/ (published --gpu), bench/ (the bench built against the GPU package), dotnet/
                 (this SDK's .NET host and runtime, to run the bench where no .NET is installed),
                 models/ResNet18.onnx; then DIR.tar.xz and DIR.tar.xz.part-NN pieces of at most 60 MiB
                 (to carry to a GPU machine in pieces; join with cat), and stop
  --prebuilt DIR run steps 1, 4 and 5 from a DIR made by --pack: no SDK, no NuGet, no build. Where DIR
                 is missing, DIR.tar.xz or its .part-NN pieces beside it are joined and unpacked first
                 (the archive unpacks to the folder name given to --pack: use the same name)

needs (not with --prebuilt, which needs only python3, the driver and the CUDA libraries): the .NET SDK of global.json and the NuGet feed (or a cache holding the packages of
packages.gpu.lock.json: Microsoft.ML.OnnxRuntime.Gpu.Linux is 540 MB unpacked), clang for Native
AOT, python3 (reads the metrics), nvidia-smi and the NVIDIA driver (not in --dry).
EOF
}

dry=false; frames=200; seconds=30; out=artifacts/gpu-check; publish_mode=(); pack=""; prebuilt=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry) dry=true; shift;;
    --pack) pack="$2"; shift 2;;
    --prebuilt) prebuilt="$2"; shift 2;;
    --frames) frames="$2"; shift 2;;
    --seconds) seconds="$2"; shift 2;;
    --jit) publish_mode=(--jit); shift;;
    --out) out="$2"; shift 2;;
    -h|--help) help; exit 0;;
    *) echo "gpu-check.sh: unknown option '$1'; --help for usage" >&2; exit 2;;
  esac
done

step() { echo; echo "== $*"; }
fail() { echo "gpu-check.sh: $*" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
nuget_root="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
resnet="$nuget_root/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx"
[ -z "$pack" ] || [ -z "$prebuilt" ] || fail "--pack and --prebuilt: one or the other"

# Steps 2 and 3: the published agent and the bench built against the GPU package.
build_agent_and_bench() { # agent-dir
  tools/publish.sh linux-x64 --gpu "${publish_mode[@]}" --out "$1"
  ls "$1" | grep -E '^libonnxruntime' | sed 's/^/  /'
  dotnet build tools/bench/Inference -c Release -p:OnnxRuntimeFlavour=gpu -p:RestoreLockedMode=true \
    --artifacts-path artifacts/gpu-build -v quiet -nologo
  bench_dir=artifacts/gpu-build/bin/InferenceBench/release
  [ -f "$bench_dir/InferenceBench.dll" ] || fail "bench not built in $bench_dir"
  [ -f "$resnet" ] || fail "ResNet18 not found at $resnet (the bench's restore downloads it)"
}

if [ -n "$pack" ]; then
  command -v dotnet >/dev/null || fail "--pack needs the .NET SDK named in global.json"
  rm -rf "$pack" "$pack".tar.xz*
  mkdir -p "$pack/models"
  pack="$(cd "$pack" && pwd)"
  step "pack 1/4 publish the agent (--gpu ${publish_mode[*]:-aot}) and build the bench"
  build_agent_and_bench "$pack/agent"
  step "pack 2/4 the bench, the .NET runtime to run it, ResNet18"
  cp -r "$bench_dir" "$pack/bench"
  # Only this platform's assets (unix: managed assemblies for any Unix).
  find "$pack/bench/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 ! -name unix -exec rm -rf {} +
  # The same native libraries as the agent's: links, not a second 300 MB copy.
  for lib in "$pack"/bench/runtimes/linux-x64/native/libonnxruntime*.so; do
    name=$(basename "$lib")
    if cmp -s "$lib" "$pack/agent/$name"; then ln -sf "../../../../agent/$name" "$lib"; fi
  done
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  runtime_version="$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" {v=$2} END {print v}')"
  mkdir -p "$pack/dotnet/shared/Microsoft.NETCore.App" "$pack/dotnet/host"
  cp "$dotnet_root/dotnet" "$pack/dotnet/"
  cp -r "$dotnet_root/host/fxr" "$pack/dotnet/host/"
  cp -r "$dotnet_root/shared/Microsoft.NETCore.App/$runtime_version" "$pack/dotnet/shared/Microsoft.NETCore.App/"
  cp "$resnet" "$pack/models/ResNet18.onnx"
  { echo "made $(date -u +%FT%TZ) from $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "agent: tools/publish.sh linux-x64 --gpu ${publish_mode[*]:-(aot)}; .NET runtime $runtime_version"
    (cd "$pack" && du -sh agent bench dotnet models | sed 's/^/  /'); } >"$pack/MANIFEST"
  step "pack 3/4 one archive"
  (cd "$(dirname "$pack")" && tar -cf - "$(basename "$pack")" | xz -T0 -6 >"$pack.tar.xz")
  step "pack 4/4 pieces of at most 60 MiB"
  split -b 60M -d -a 2 "$pack.tar.xz" "$pack.tar.xz.part-"
  cat "$pack/MANIFEST"
  ls -l "$pack.tar.xz" "$pack".tar.xz.part-* | awk '{printf "  %s %.1f MiB\n", $NF, $5 / 1048576}'
  echo "gpu-check.sh: packed; on the GPU machine, with the pieces beside DIR: tools/bench/gpu-check.sh --prebuilt DIR"
  exit 0
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
if [ -n "$prebuilt" ]; then
  if [ ! -d "$prebuilt" ]; then
    if [ ! -f "$prebuilt.tar.xz" ] && ls "$prebuilt".tar.xz.part-* >/dev/null 2>&1; then
      cat "$prebuilt".tar.xz.part-* >"$prebuilt.tar.xz"
    fi
    [ -f "$prebuilt.tar.xz" ] || fail "--prebuilt: no $prebuilt, $prebuilt.tar.xz or $prebuilt.tar.xz.part-NN (make them with --pack)"
    mkdir -p "$(dirname "$prebuilt")"
    xz -dc "$prebuilt.tar.xz" | tar -xf - -C "$(dirname "$prebuilt")" || fail "--prebuilt: could not unpack $prebuilt.tar.xz"
  fi
  prebuilt="$(cd "$prebuilt" && pwd)"
  for f in agent/dce-agent bench/InferenceBench.dll dotnet/dotnet models/ResNet18.onnx; do
    [ -e "$prebuilt/$f" ] || fail "--prebuilt: $prebuilt/$f is missing (make DIR with --pack)"
  done
  resnet="$prebuilt/models/ResNet18.onnx"
fi

step "1/5 machine"
if [ -n "$prebuilt" ]; then
  echo "prebuilt $prebuilt: $(head -1 "$prebuilt/MANIFEST" 2>/dev/null); $(nproc) cores, $(uname -m)"
else
  command -v dotnet >/dev/null || fail "no dotnet: install the .NET SDK named in global.json, or use --prebuilt (see --help)"
  echo "dotnet $(dotnet --version), $(nproc) cores, $(uname -m)"
fi
if [ "$dry" = false ]; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || fail "nvidia-smi failed: no NVIDIA GPU or driver"
else
  echo "dry run: no GPU expected"
fi
# The CUDA provider (ONNX Runtime 1.31, CUDA 13) needs these at run time; it loads cuDNN lazily.
cuda_libs=(libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libcudnn.so.9)
search_dirs=(/usr/local/cuda/lib64 /usr/local/cuda-13*/lib64 /usr/lib/x86_64-linux-gnu)
# The nvidia-* wheels (PyTorch's CUDA): nvidia/<lib>/lib up to CUDA 12, nvidia/cu13/lib from CUDA 13.
while IFS= read -r d; do search_dirs+=("$d"); done < <(python3 - 2>/dev/null <<'PY' || true
import glob, site, sys
for root in site.getsitepackages() + [site.getusersitepackages()]:
    for d in sorted(set(glob.glob(root + "/nvidia/*/lib") + glob.glob(root + "/nvidia/*/*/lib"))):
        print(d)
PY
)
missing=()
for lib in "${cuda_libs[@]}"; do
  found=""
  if ldconfig -p 2>/dev/null | grep -q "$lib"; then found=system; fi
  for d in "${search_dirs[@]}"; do
    if [ -z "$found" ] && [ -e "$d/$lib" ]; then found="$d"; export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi
  done
  [ -n "$found" ] && echo "  $lib: $found" || missing+=("$lib")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$dry" = true ] || fail "CUDA libraries not found: ${missing[*]} (install CUDA 13 and cuDNN 9, or set LD_LIBRARY_PATH)"
  echo "  not found (expected in a dry run): ${missing[*]}"
fi

if [ -n "$prebuilt" ]; then
  step "2-3/5 prebuilt: nothing to build"
  agent_dir="$prebuilt/agent"
  bench=("$prebuilt/dotnet/dotnet" "$prebuilt/bench/InferenceBench.dll")
else
  step "2-3/5 publish the agent (--gpu ${publish_mode[*]:-aot}) and build the inference bench against the GPU package"
  agent_dir="$out/agent"
  build_agent_and_bench "$agent_dir"
  bench=(dotnet "$bench_dir/InferenceBench.dll")
fi

step "4/5 inference bench --provider cuda ($frames frames per path)"
set +e
"${bench[@]}" "$frames" --provider cuda --model "$resnet" 2>&1 | tee "$out/bench-cuda.txt"
bench_rc=${PIPESTATUS[0]}
set -e
if [ "$dry" = true ]; then
  [ "$bench_rc" = 3 ] || fail "dry run: the bench should refuse CUDA with exit code 3, got $bench_rc"
  echo "dry run: the bench refused CUDA cleanly (exit 3), as it must without a GPU"
elif [ "$bench_rc" != 0 ]; then
  fail "the bench failed (exit $bench_rc): $out/bench-cuda.txt"
fi

step "5/5 agent: ${seconds} s with ResNet18 on CUDA, then on the CPU"
port=$((19000 + RANDOM % 1000))
run_agent() { # name provider-json
  local name="$1" providers="$2" config="$out/agent-$1.json" log="$out/agent-$1.log" data="$out/data-$1"
  rm -rf "$data"
  cat >"$config" <<EOF
{
  "Logging": { "LogLevel": { "Default": "Warning", "DataCentric.Edge.Device.Inference": "Information" } },
  "Health": { "MetricsEnabled": true, "MetricsPort": $port },
  "Inference": {
    "Models": [
      { "ExecutionProviders": $providers },
      {
        "Name": "resnet18",
        "ModelPath": "$resnet",
        "IntraOpThreads": 2,
        "ExecutionProviders": $providers,
        "Input": { "Name": "Input247", "Scale": 1, "Mean": [123.675, 116.28, 103.53], "Std": [58.395, 57.12, 57.375] },
        "Output": { "Kind": "Embedding", "Tensor": "Pooling395_Output_0" }
      }
    ]
  }
}
EOF
  "$agent_dir/dce-agent" demo --duration "$seconds" --data "$data" --out "$out/clips-$name" --config "$config" >"$log" 2>&1 &
  local pid=$!
  sleep $((seconds - 2))
  # The agent's own CPU time (all threads) and its metrics, just before the demo stops.
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
  python3 - "$port" "$ticks" "$(getconf CLK_TCK)" "$name" <<'PY' | tee "$out/agent-$name.txt" || true
import re, sys, urllib.request
port, ticks, hz, name = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
def values(metric):
    return {m.group(1): float(m.group(2)) for m in re.finditer(rf'^{metric}\{{(.*?)\}} (\S+)$', text, re.M)}
def total(metric):
    m = re.search(rf'^{metric} (\S+)$', text, re.M)
    return float(m.group(1)) if m else 0.0
inferred = total("dce_frames_inferred_total")
cpu_ms = ticks * 1000.0 / hz
print(f"agent ({name}): {inferred:.0f} frames inferred; CPU {cpu_ms/1000:.1f} s = {cpu_ms/max(inferred,1):.1f} ms per inferred frame")
for labels, v in values("dce_inference_latency_seconds").items():
    print(f"  run time {labels}: {v*1000:.2f} ms")
for labels, v in values("dce_model_provider").items():
    if v == 1: print(f"  provider {labels}")
for labels, v in values("dce_model_provider_fallback").items():
    print(f"  fallback {labels}: {int(v)}")
PY
  wait "$pid" || fail "the agent ($name) failed: $log"
  grep -E 'ONNX Runtime|runs on|No shadow model' "$log" | sed 's/^/  log: /' || true
}
run_agent cuda '["Cuda"]'
if [ "$dry" = true ]; then
  grep -q 'runs on Cpu: Cuda' "$out/agent-cuda.log" || fail "dry run: the agent did not log its fallback from CUDA to the CPU"
  echo "dry run: the agent fell back from CUDA to the CPU and said why, as it must without a GPU"
fi
run_agent cpu '[]'

echo
echo "gpu-check.sh: done$([ "$dry" = false ] || echo ' (dry run: no GPU figures)'); figures in $out (bench-cuda.txt, agent-*.txt, agent-*.log)"
