#!/usr/bin/env bash
# Power-loss replay at bench scale (not CI): the same test as CI (Agent.Tests PowerLossTests), asked
# for --cuts cut points instead of about 30. Every distinct crash state starts the agent as a process.
#   tools/bench/PowerLoss/run.sh [--cuts 300]
# Needs gcc and libc6-dev (the test compiles its LD_PRELOAD shim) and a Release build of the tests.
set -euo pipefail
cd "$(dirname "$0")/../../.."
cuts=300
while [ $# -gt 0 ]; do
  case "$1" in
    --cuts) cuts="$2"; shift 2;;
    *) echo "run.sh: unknown option $1" >&2; exit 2;;
  esac
done
dll=tests/DataCentric.Edge.Agent.Tests/bin/Release/net10.0/DataCentric.Edge.Agent.Tests.dll
[ -f "$dll" ] || dotnet build tests/DataCentric.Edge.Agent.Tests -c Release -v quiet -nologo >/dev/null
DCE_POWERLOSS_CUTS="$cuts" dotnet "$dll" -method 'DataCentric.Edge.Agent.Tests.PowerLoss.PowerLossTests.*' -diagnostics -longRunning 600
