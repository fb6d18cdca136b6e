#!/usr/bin/env bash
# Trigger fuzz bench: generated hostile trigger sets through parse → bind → compile → evaluate; counts
# accepted / refused / crash / hang and lists the slowest inputs. See README.md. Options go to the bench:
#   run.sh [--seed 1] [--count 100000] [--time-limit-ms 1000] [--threads N] [--ticks 300] [--out DIR]
#   run.sh --seed S --only I        # reproduce one set
# Exit status: 0 when no crash and no hang, 1 otherwise, 2 on bad options.
set -euo pipefail
cd "$(dirname "$0")/../../.."
command -v dotnet >/dev/null 2>&1 || { echo "run.sh: dotnet (SDK 10, global.json) is not on PATH" >&2; exit 2; }

echo "building the bench (Release)"
dotnet build tools/bench/TriggerFuzz -c Release --nologo -v quiet -clp:ErrorsOnly
status=0
dotnet tools/bench/TriggerFuzz/bin/Release/net10.0/dce-bench-trigger-fuzz.dll "$@" || status=$?
if ((status > 2)); then
  # A stack overflow or an abort is not catchable: the process dies without a summary.
  echo "run.sh: the bench died (exit $status) — a crash the process could not survive; bisect with --start/--count, then --only" >&2
fi
exit "$status"
