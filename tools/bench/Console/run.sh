#!/usr/bin/env bash
# Fleet console timings at 10 000 clips and 100 devices (issue 16 "Measure"); see README.md.
#   tools/bench/Console/run.sh [--clips 10000] [--devices 100] [--runs 20] [--out DIR]
# 1. The demo runs for 40 s and its receiver keeps the real clips it got (MCAP, camera frames and boxes).
# 2. The bench starts PostgreSQL and s3rver (as the tests do), dce-fleet on them, seeds the catalog with
#    copies of those clips (distinct ids, devices and times), then times the API from an HTTP client and
#    the clips page and clip view in Debian's chromium (Playwright). Prints figures; exits non-zero only
#    on an error, never on a slow figure.
# Needs: postgresql, nodejs + npm (s3rver from tools/s3rver's lock file, installed here when missing), chromium.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ((${#missing[@]})); then
  echo "run.sh: missing ${missing[*]}: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 2
fi
if [[ ! -f tools/s3rver/node_modules/s3rver/bin/s3rver.js ]]; then
  echo "run.sh: installing s3rver from tools/s3rver/package-lock.json"
  npm ci --prefix tools/s3rver --no-audit --no-fund --loglevel=error
fi

echo "building the bench (with dce-fleet) and the agent (Release)"
dotnet build tools/bench/Console -c Release --nologo -v quiet "-clp:ErrorsOnly;NoSummary"
dotnet build src/DataCentric.Edge.Agent -c Release --nologo -v quiet "-clp:ErrorsOnly;NoSummary"

work=$(mktemp -d /tmp/dce-console-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "recording real clips: dce-agent demo --duration 40"
(cd src/DataCentric.Edge.Agent/bin/Release/net10.0 && dotnet dce-agent.dll demo --duration 40 --out "$work/demo-clips" --data "$work/agent-data" >"$work/demo.log")
tail -n 1 "$work/demo.log"

out_given=false
for arg in "$@"; do [[ $arg == --out ]] && out_given=true; done
extra=()
$out_given || extra=(--out "$root/artifacts/console-bench/$(date +%Y%m%d-%H%M%S)")
dotnet tools/bench/Console/bin/Release/net10.0/dce-console-bench.dll --demo-clips "$work/demo-clips" --repository "$root" "${extra[@]}" "$@"
