#!/usr/bin/env bash
# Draft-label export throughput against reading the same MCAP files, and memory at 1x and 10x the frames.
#   tools/bench/Datasets/run.sh [frames]      (default 10000; needs a Release build of edgectl and dce-agent)
# 1. The demo records clips with the box model (demo-perception.json); they are copied until the set
#    holds at least the asked number of frames.
# 2. Baseline: `clips export --format yolo --every 1000000` reads and checks every clip through the same
#    MCAP reader (all messages, CRCs) but writes one frame per clip: the read rate.
# 3. Export: `clips export --format coco` (every frame: JPEG file, COCO annotations, manifest).
# Runs alternate baseline, export, baseline, export; the medians and their ratio are printed, with the
# maximum RSS and CPU seconds of each run (/usr/bin/time), and the export's RSS on a tenth of the frames for comparison.
# Clips and output live on tmpfs (/dev/shm) when there is one: the figure is the tool's cost, not the
# disk's. Each copy gets its own clip id (copy-clip.py), so every exported frame is a distinct image file.
set -euo pipefail
frames=${1:-10000}
root=$(cd "$(dirname "$0")/../../.." && pwd)
edgectl="dotnet $root/src/DataCentric.Edge.Cli/bin/Release/net10.0/edgectl.dll"
agent_dir="$root/src/DataCentric.Edge.Agent/bin/Release/net10.0"
base=/tmp; [ -d /dev/shm ] && base=/dev/shm
work=$(mktemp -d "$base/dce-dataset-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

(cd "$agent_dir" && dotnet dce-agent.dll demo --config "$root/firmware-config/controller/demo-perception.json" --duration 40 --out "$work/received" >/dev/null)
mapfile -t recorded < <(find "$work/received" -name '*.mcap' -not -path '*/.partial/*' | sort)
[ ${#recorded[@]} -gt 0 ] || { echo "the demo recorded no clips" >&2; exit 1; }
per_clip=$(( $($edgectl clips export "${recorded[0]}" --format yolo --out "$work/probe" | awk '{print $1}') ))
rm -rf "$work/probe"
make_set() { # dir, frames: copies under distinct clip ids, so every exported frame is its own file
  mkdir -p "$1"
  python3 "$root/tools/bench/Datasets/copy-clip.py" "$1" $(( ($2 + per_clip - 1) / per_clip )) "${recorded[@]}"
}
make_set "$work/set" "$frames"
make_set "$work/small" $(( frames / 10 ))
echo "clips: $(ls "$work/set" | wc -l) x ~$per_clip frames (large), $(ls "$work/small" | wc -l) (small)"

run() { # label, args...
  local label=$1; shift; rm -rf "$work/out"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" -o "$work/rss" $edgectl "$@" --out "$work/out" > "$work/stdout" 2>/dev/null
  end=$(date +%s.%N)
  local n; n=$(awk '{print $1; exit}' "$work/stdout")
  echo "$label $(echo "$end - $start" | bc) $n $(cat "$work/rss")"
}
for i in 1 2 3; do
  run baseline clips export "$work/set" --format yolo --every 1000000
  run export clips export "$work/set" --format coco
done > "$work/runs"
run small-export clips export "$work/small" --format coco >> "$work/runs"
cat "$work/runs"
python3 - "$work/runs" "$frames" <<'PY'
import statistics, sys
runs = [l.split() for l in open(sys.argv[1])]
total = int(sys.argv[2])
def med(label, i): return statistics.median(float(r[i]) for r in runs if r[0] == label)
frames_export = med("export", 2)
read_rate = frames_export / med("baseline", 1)   # the same files' frames, read
export_rate = frames_export / med("export", 1)
print(f"read (baseline) {read_rate:.0f} frames/s, export {export_rate:.0f} frames/s, ratio {export_rate/read_rate:.2f} (target >= 0.8)")
print(f"CPU (user+sys, median): baseline {med('baseline', 4) + med('baseline', 5):.2f} s, export {med('export', 4) + med('export', 5):.2f} s")
print(f"max RSS: export of {frames_export:.0f} frames {med('export', 3)/1024:.0f} MiB, of a tenth {med('small-export', 3)/1024:.0f} MiB, baseline {med('baseline', 3)/1024:.0f} MiB")
PY
