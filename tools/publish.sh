#!/usr/bin/env bash
# Publishes the agent for one board architecture, ready for tools/install.sh. `--help` says how and
# what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

help() {
  cat <<'EOF'
usage: tools/publish.sh <linux-arm64|linux-x64> [--out DIR] [--jit | --framework-dependent] [--gpu]

Publishes the agent (dce-agent) for one board architecture into artifacts/publish/<rid>, ready for
tools/install.sh --from. linux-arm64: Raspberry Pi 4/5, Jetson Orin Nano; linux-x64: generic-x64.

Default: Native AOT, one self-contained executable with no JIT, so the board needs no .NET runtime
(Raspberry Pi OS and JetPack ship none for .NET 10), starts without compiling anything and keeps no
IL or JIT'd code resident (tools/bench/Board/README.md).

options:
  --out DIR               where to publish (default artifacts/publish/<rid>; emptied first)
  --jit                   self-contained, trimmed (partial) and ReadyToRun, for A/B measurements
  --framework-dependent   ReadyToRun against a .NET 10 runtime installed on the board
  --gpu                   linux-x64 only: ONNX Runtime with the CUDA provider (Microsoft.ML.OnnxRuntime.Gpu.Linux)
                          in place of the CPU package; default out artifacts/publish/linux-x64-gpu. The board
                          needs the NVIDIA driver, CUDA 13 (cudart, cublas, curand) and cuDNN 9 on its library
                          path. Jetson (arm64) boards load their own libonnxruntime.so instead
                          (src/DataCentric.Edge.Device/README.md, "GPU inference")
  -h, --help              show this help

prerequisites (on the machine that publishes, not on the board):
  - the .NET SDK named in global.json (10.0.401 or a later feature band), and the NuGet feed or a
    warm package cache: the restore is locked (packages.lock.json)
  - Native AOT (the default): clang and the GNU linker (Debian: apt-get install clang)
  - Native AOT for linux-arm64 on an x64 machine, as well: the aarch64 binutils and C runtime
    (Debian: apt-get install binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross);
    tools/test.sh installs all of these
  - --jit and --framework-dependent need the SDK only
The RID is always set: without it every platform's native libraries are copied (239 MB, STACK-NOTES).
EOF
}
usage() { echo "usage: tools/publish.sh <linux-arm64|linux-x64> [--out DIR] [--jit | --framework-dependent] [--gpu]; --help for more" >&2; exit 2; }
[ $# -ge 1 ] || usage
case "$1" in -h|--help) help; exit 0;; esac
rid="$1"; shift
case "$rid" in linux-arm64|linux-x64) ;; *) echo "publish.sh: unsupported runtime '$rid'" >&2; usage;; esac
out=""
mode=aot
gpu=false
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || usage; out="$2"; shift 2;;
    --jit) mode=jit; shift;;
    --framework-dependent) mode=framework-dependent; shift;;
    --gpu) gpu=true; shift;;
    -h|--help) help; exit 0;;
    *) echo "publish.sh: unknown option '$1'" >&2; usage;;
  esac
done

if [ "$gpu" = true ] && [ "$rid" != linux-x64 ]; then
  echo "publish.sh: --gpu is for linux-x64 (no NuGet package ships ONNX Runtime with CUDA for arm64); a Jetson loads the board's own libonnxruntime.so: see src/DataCentric.Edge.Device/README.md" >&2
  exit 2
fi
[ -n "$out" ] || { out="artifacts/publish/$rid"; [ "$gpu" = false ] || out="$out-gpu"; }

# The trim is partial (TrimMode=partial) in every mode: the framework and the libraries that declare
# themselves trimmable are trimmed; our assemblies and the others stay whole, so LiteDB's and the
# validator's reflection over our types finds what it looks for.
# PublishAot=false is given to the publish only: the restore keeps the agent's own PublishAot=true,
# so its lock file (which holds the AOT compiler package) is the same in every mode.
case "$mode" in
  aot) props=(-p:SelfContained=true -p:TrimMode=partial); publish_only=();;
  jit) props=(-p:SelfContained=true -p:PublishReadyToRun=true -p:PublishTrimmed=true -p:TrimMode=partial); publish_only=(-p:PublishAot=false);;
  framework-dependent) props=(-p:SelfContained=false -p:PublishReadyToRun=true); publish_only=(-p:PublishAot=false);;
esac
if [ "$mode" = aot ] && [ "$rid" = linux-arm64 ] && [ "$(uname -m)" != aarch64 ]; then
  # clang targets aarch64 and links with aarch64-linux-gnu-ld; stripping needs the aarch64 objcopy.
  publish_only+=(-p:ObjCopyName=aarch64-linux-gnu-objcopy)
fi

# The GPU flavour swaps the ONNX Runtime package (OnnxRuntimeFlavour=gpu) and restores against its own
# lock files (packages.gpu.lock.json, locked: they are committed) into its own obj folders
# (artifacts/gpu-build), so the default build's restore state is never touched.
if [ "$gpu" = true ]; then
  props+=(-p:OnnxRuntimeFlavour=gpu --artifacts-path artifacts/gpu-build)
  restore_only=(--locked-mode)
else
  restore_only=()
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rm -rf "$out"
# Restore without a global RID (the agent's RuntimeIdentifiers already name both boards), then
# publish without restoring: a `publish -r` restore would give every library's lock file a RID
# section and fail in locked mode.
dotnet restore src/DataCentric.Edge.Agent "${props[@]}" "${restore_only[@]}" -v quiet -nologo
dotnet publish src/DataCentric.Edge.Agent --no-restore -c Release -r "$rid" "${props[@]}" "${publish_only[@]}" \
  -p:DebugType=none -o "$out" -v quiet -nologo
echo "publish.sh: $rid ($mode$([ "$gpu" = false ] || echo ', gpu')) -> $out ($(du -sh "$out" | cut -f1))"
