#!/usr/bin/env bash
# Draft-label export throughput against reading the same MCAP files, and memory at 1x and 10x the frames.
#   tools/bench/Datasets/run.sh [frames] [rounds]   (default 10000 frames, 5 rounds; needs a Release build of edgectl and dce-agent)
# 1. The demo records clips with the box model (demo-perception.json); they are copied until the set
#    holds at least the asked number of frames.
# 2. Baseline: `clips export --format yolo --every 1000000` reads and checks every clip through the same
#    MCAP reader (all messages, CRCs) but writes one frame per clip: the read rate.
# 3. Export: `clips export --format coco` (every frame: JPEG file, COCO annotations, manifest).
# Runs alternate baseline, export, baseline, export (one round = one of each); the medians, their
# spread (min-max) and the ratio of each round's pair are printed, with the maximum RSS and CPU seconds
# of each run (/usr/bin/time), and the export's RSS on a tenth of the frames for comparison.
# Clips and output live on tmpfs (/dev/shm) when there is one: the figure is the tool's cost, not the
# disk's. Each copy gets its own clip id (copy-clip.py), so every exported frame is a distinct image file.
set -euo pipefail
frames=${1:-10000}
rounds=${2:-5}
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
for i in $(seq "$rounds"); do
  run baseline clips export "$work/set" --format yolo --every 1000000
  run export clips export "$work/set" --format coco
done > "$work/runs"
run small-export clips export "$work/small" --format coco >> "$work/runs"
cat "$work/runs"
python3 - "$work/runs" <<'PY'
import statistics, sys
runs = [l.split() for l in open(sys.argv[1])]
def values(label, i): return [float(r[i]) for r in runs if r[0] == label]
def med(label, i): return statistics.median(values(label, i))
frames = med("export", 2)
read = [frames / t for t in values("baseline", 1)]      # the same files' frames, read
export = [frames / t for t in values("export", 1)]
pairs = [e / r for r, e in zip(read, export)]
def spread(xs, fmt): return f"{fmt.format(statistics.median(xs))} (min {fmt.format(min(xs))}, max {fmt.format(max(xs))})"
print(f"{len(pairs)} rounds, {frames:.0f} frames")
print(f"read (baseline) frames/s: {spread(read, '{:.0f}')}")
print(f"export frames/s:          {spread(export, '{:.0f}')}")
print(f"ratio of the medians {statistics.median(export) / statistics.median(read):.2f}; per round: {spread(pairs, '{:.2f}')} (target >= 0.8)")
cpu = lambda label: [u + s for u, s in zip(values(label, 4), values(label, 5))]
print(f"CPU s (user+sys): baseline {spread(cpu('baseline'), '{:.2f}')}, export {spread(cpu('export'), '{:.2f}')}")
print(f"max RSS: export of {frames:.0f} frames {med('export', 3)/1024:.0f} MiB, of a tenth {med('small-export', 3)/1024:.0f} MiB, baseline {med('baseline', 3)/1024:.0f} MiB")
PY
