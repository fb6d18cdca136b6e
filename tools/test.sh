#!/usr/bin/env bash
# Runs every test (Unit and Integration; Hardware needs a board) on a fresh machine: installs what
# the tests use (mosquitto, ffmpeg, postgresql, node/npm, openssl, can-utils, systemd-analyze, systemd-nspawn,
# clang and the aarch64 cross toolchain for Native AOT, qemu-user with arm64 libraries), restores the
# locked packages, builds once, tests, and ends with "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_missing() {
  local missing=()
  command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto mosquitto-clients)
  command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
  # The fleet catalog's tests start a real PostgreSQL (TestKit/Fleet/PostgresServer): the server's
  # initdb, not psql, which a machine with only the client package has too.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  # The web console's browser tests (FleetService.Tests/WebConsole) drive Debian's chromium through Playwright.
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v cansend >/dev/null 2>&1 || missing+=(can-utils)
  command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
  # The install under systemd as PID 1 (Agent.Tests/Install: tools/bench/Board/systemd-system-check.sh).
  command -v systemd-nspawn >/dev/null 2>&1 || missing+=(systemd-container)
  # Native AOT links through clang with the GNU linker (tools/publish.sh); the arm64 cross-link needs
  # the aarch64 binutils and C runtime. No zlib: the runtime pack links its own.
  command -v clang >/dev/null 2>&1 || missing+=(clang)
  # The power-loss test compiles its LD_PRELOAD write-log shim (Agent.Tests/PowerLoss/writelog.c).
  command -v gcc >/dev/null 2>&1 && [ -f /usr/include/stdio.h ] || missing+=(gcc libc6-dev)
  command -v aarch64-linux-gnu-objcopy >/dev/null 2>&1 || missing+=(binutils-aarch64-linux-gnu)
  [ -d /usr/lib/gcc-cross/aarch64-linux-gnu ] || missing+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    apt_install "${missing[@]}"
  fi
}

# The arm64 publish runs under qemu-user (Agent.Tests/Install): the emulator and the arm64 libraries
# the agent loads (libc, libstdc++ for ONNX Runtime and SkiaSharp, OpenSSL, fontconfig for SkiaSharp).
# A mirror without arm64 packages leaves that one test skipped, loudly, rather than no test run at all.
install_arm64_emulation() {
  local wanted=(libc6:arm64 libstdc++6:arm64 libssl3:arm64 libfontconfig1:arm64)
  command -v qemu-aarch64-static >/dev/null 2>&1 && dpkg -s "${wanted[@]}" >/dev/null 2>&1 && return 0
  echo "test.sh: installing qemu-user-static ${wanted[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  { dpkg --print-foreign-architectures | grep -qx arm64 || $sudo dpkg --add-architecture arm64; } &&
    apt_install qemu-user-static "${wanted[@]}" ||
    echo "test.sh: WARNING: could not install the arm64 emulation; Arm64EmulationTests will be skipped"
}

install_missing
install_arm64_emulation
# s3rver, the S3-compatible server of the fleet's object-store tests (TestKit/Fleet/S3rverServer), from its lock file.
npm ci --prefix tools/s3rver --no-audit --no-fund --loglevel=error
# Foxglove's reference MCAP reader (tools/mcap-check), which the recorder's tests check clips with.
npm ci --prefix tools/mcap-check --no-audit --no-fund --loglevel=error
# ONNX Runtime's telemetry off in the test hosts too: they load it in-process without the agent's opt-out
# (OnnxRuntimeTelemetryProcessTests removes this to check the agent's own).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ORT_DISABLE_TELEMETRY=1
dotnet restore --locked-mode
dotnet build --no-restore -c Release

# The boards are arm64: the agent cross-publishes for them, and Agent.Tests/Install runs that publish
# under qemu-user. The linux-x64 publish is what the install tests install and run.
bash tools/publish.sh linux-arm64 --out artifacts/publish/linux-arm64
bash tools/publish.sh linux-x64 --out artifacts/publish/linux-x64
# The board-only paths as Native AOT code, for both architectures (Agent.Tests/Install/AotChecksTests
# runs them, the arm64 one under qemu-user).
dotnet publish tests/DataCentric.Edge.AotChecks --no-restore -c Release -r linux-x64 -p:DebugType=none \
  -o artifacts/aot-checks/linux-x64 -v quiet -nologo
dotnet publish tests/DataCentric.Edge.AotChecks --no-restore -c Release -r linux-arm64 -p:DebugType=none \
  -p:ObjCopyName=aarch64-linux-gnu-objcopy -o artifacts/aot-checks/linux-arm64 -v quiet -nologo

# The shipped models must be exactly what the generator makes.
generated="$(mktemp -d)"
dotnet run --project tools/ModelGen -c Release --no-build -- "$generated" >/dev/null
for model in "$generated"/*.onnx; do
  cmp "$model" "firmware-config/models/$(basename "$model")" || { echo "test.sh: $(basename "$model") differs from the generator's output; run: dotnet run --project tools/ModelGen"; exit 1; }
done
rm -rf "$generated"

rm -rf TestResults
status=0
# A test still running after 10 minutes (none takes one) is a hang: the blame collector names it, dumps
# and ends its test host, so the run fails saying where instead of stalling until CI's limit, and
# hang-stacks.sh prints the awaits it was stuck on.
dotnet test --no-build -c Release --filter "Category!=Hardware" --logger "trx" --results-directory TestResults \
  --blame-hang-timeout 10m --blame-hang-dump-type full "$@" || status=$?
bash tools/hang-stacks.sh TestResults

passed=0; failed=0
for counters in $(grep -ho '<Counters [^>]*>' TestResults/*.trx 2>/dev/null | tr ' ' '\n' | grep -E '^(passed|failed)='); do
  value="${counters#*=\"}"; value="${value%%\"*}"
  case "$counters" in passed=*) passed=$((passed + value));; failed=*) failed=$((failed + value));; esac
done
# A skipped test is no pass: count it on its own. The TRX's <Counters notExecuted=...> stays 0 for
# xUnit's skips (they count in total only), so count the results whose outcome is NotExecuted.
skipped=$(grep -ho '<UnitTestResult [^>]*outcome="NotExecuted"' TestResults/*.trx 2>/dev/null | wc -l || :)
# A test host ended by the hang guard (or a crash) has no result for the test it was running, which
# the output above names: each such run counts as one failure.
aborted=$(grep -l 'The active test run was aborted' TestResults/*.trx 2>/dev/null | wc -l || :)
failed=$((failed + aborted))
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then status=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
