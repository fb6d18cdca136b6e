#!/usr/bin/env bash
# Says where a hung test host was waiting. The blame collector's hang guard (tools/test.sh) ends a
# test host that ran 10 minutes and leaves a dump of it and its .NET children; a hung await holds no
# thread, so thread stacks say nothing: this prints the pending async call chains (SOS `dumpasync`)
# that pass through our code, from every hang dump under the results folder given (TestResults).
set -uo pipefail
cd "$(dirname "$0")/.."
results="${1:-TestResults}"
mapfile -t dumps < <(find "$results" -name '*hangdump*.dmp' 2>/dev/null)
[ ${#dumps[@]} -eq 0 ] && exit 0
# dotnet-dump at the version .config/dotnet-tools.json pins.
dotnet tool restore >/dev/null 2>&1 || { echo "hang-stacks: could not restore dotnet-dump; dumps left in $results"; exit 0; }
for dump in "${dumps[@]}"; do
  echo "--- hang dump $(basename "$dump"): async calls still waiting in DataCentric code ---"
  timeout 300 dotnet tool run dotnet-dump analyze "$dump" -c "dumpasync --coalesce" -c exit 2>&1 |
    awk '/^STACKS/ { if (ours) printf "%s", block; block = ""; ours = 0; started = 1 }
         started { block = block $0 "\n"; if ($0 ~ /DataCentric/) ours = 1 }
         END { if (ours) printf "%s", block }' | head -n 200
done
