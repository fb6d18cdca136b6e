#!/usr/bin/env bash
# Publishes the agent for one board architecture, ready for tools/install.sh.
#   tools/publish.sh <linux-arm64|linux-x64> [--out DIR] [--framework-dependent]
# Default: self-contained, trimmed + ReadyToRun, so the board needs no .NET runtime (Raspberry Pi OS and
# JetPack ship none for .NET 10) and start-up skips most JIT work. The RID is always set: without
# it every platform's native libraries are copied (239 MB, STACK-NOTES).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: tools/publish.sh <linux-arm64|linux-x64> [--out DIR] [--framework-dependent]" >&2; exit 2; }
[ $# -ge 1 ] || usage
rid="$1"; shift
case "$rid" in linux-arm64|linux-x64) ;; *) echo "publish.sh: unsupported runtime '$rid'" >&2; usage;; esac
out="artifacts/publish/$rid"
self_contained=true
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || usage; out="$2"; shift 2;;
    --framework-dependent) self_contained=false; shift;;
    *) echo "publish.sh: unknown option '$1'" >&2; usage;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rm -rf "$out"
# Restore without a global RID (the agent's RuntimeIdentifiers already name both boards), then
# publish without restoring: a `publish -r` restore would give every library's lock file a RID
# section and fail in locked mode.
# Self-contained publishes are trimmed, partially (TrimMode=partial): the framework and the libraries
# that declare themselves trimmable; our assemblies and the others stay whole (tools/bench/Board/README.md).
props=(-p:SelfContained="$self_contained" -p:PublishReadyToRun=true -p:PublishTrimmed="$self_contained" -p:TrimMode=partial)
dotnet restore src/DataCentric.Edge.Agent "${props[@]}" -v quiet -nologo
dotnet publish src/DataCentric.Edge.Agent --no-restore -c Release -r "$rid" --self-contained "$self_contained" "${props[@]}" \
  -p:DebugType=none -o "$out" -v quiet -nologo
echo "publish.sh: $rid ($([ "$self_contained" = true ] && echo self-contained || echo framework-dependent)) -> $out ($(du -sh "$out" | cut -f1))"
