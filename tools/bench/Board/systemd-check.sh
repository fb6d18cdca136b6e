#!/usr/bin/env bash
# Runs a board's installed unit under a real systemd where systemd is not PID 1 (containers, CI
# VMs): a systemd user manager started for the check. It shows what the offline verifier cannot:
# Type=notify readiness (`systemctl start` returns only after READY=1), Nice and the memory limits
# applied to the cgroup, and a clean stop on SIGTERM. User=, the groups and the namespace sandbox
# need the system manager and are left out here (the install test verifies them offline).
#   tools/bench/Board/systemd-check.sh [BOARD] [PUBLISHED_DIR]      (as root; defaults: generic-x64)
# BOARD must be this machine's board: the agent refuses another board's config (exit 2, which the
# unit does not restart).
set -euo pipefail
cd "$(dirname "$0")/../../.."
board="${1:-generic-x64}"; app="${2:-artifacts/publish/linux-x64}"
root="$(mktemp -d)"; port=$((20000 + RANDOM % 20000))
export XDG_RUNTIME_DIR="/run/user/$(id -u)"
units="$HOME/.config/systemd/user"; unit="$units/dce-agent-check.service"
made_marker=false; manager=""
cleanup() {
  if [ "$manager" = started ]; then
    systemctl --user stop dce-agent-check.service 2>/dev/null || :
    systemctl --user exit 2>/dev/null || :
  fi
  rm -f "$unit"; rm -rf "$root"
  # The marker makes other tools (apt's postinst scripts) believe systemd is running: never leave it.
  if [ "$made_marker" = true ]; then rmdir /run/systemd/system 2>/dev/null || :; fi
}
trap cleanup EXIT

bash tools/install.sh --board "$board" --from "$app" --prefix "$root" --allow-default-id >/dev/null
if [ ! -d /run/systemd/system ]; then mkdir -p /run/systemd/system; made_marker=true; fi
mkdir -p "$XDG_RUNTIME_DIR" "$units"; chmod 700 "$XDG_RUNTIME_DIR"
setsid -f /lib/systemd/systemd --user >/dev/null 2>&1; manager=started
for _ in $(seq 1 100); do systemctl --user is-system-running >/dev/null 2>&1 && break; sleep 0.1; done

# The installed unit, pointed at the staging root, running the demo on its embedded broker.
sed -E -e "s|/opt/dce-agent|$root/opt/dce-agent|g" \
  -e "s|^ExecStart=.*|ExecStart=$root/opt/dce-agent/dce-agent demo --duration 600 --out $root/received --config $root/etc/dce-agent/agent.json\nEnvironment=DCE_Agent__DataDirectory=$root/data DCE_Health__MetricsEnabled=true DCE_Health__MetricsPort=$port DCE_Uplink__Port=0|" \
  -e '/^(User|Group|SupplementaryGroups|Protect|Private|ReadWritePaths|StateDirectory|RestrictNamespaces|NoNewPrivileges|CapabilityBoundingSet|AmbientCapabilities|RemoveIPC|IOScheduling)/d' \
  "$root/etc/systemd/system/dce-agent.service" > "$unit"
systemctl --user daemon-reload

s=$(date +%s%N); systemctl --user start dce-agent-check.service; ready_ms=$(( ($(date +%s%N) - s) / 1000000 ))
state=$(systemctl --user show -p ActiveState --value dce-agent-check.service)
pid=$(systemctl --user show -p MainPID --value dce-agent-check.service)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/metrics" | grep -q '^dce_frames_inferred_total [1-9]' && break; sleep 0.1; done
inferred=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '$1=="dce_frames_inferred_total" {print $2}')
nice=$(ps -o ni= -p "$pid" | tr -d ' ')
limits="MemoryHigh=$(systemctl --user show -p MemoryHigh --value dce-agent-check.service) MemoryMax=$(systemctl --user show -p MemoryMax --value dce-agent-check.service) CPUQuotaPerSecUSec=$(systemctl --user show -p CPUQuotaPerSecUSec --value dce-agent-check.service)"
s=$(date +%s%N); systemctl --user stop dce-agent-check.service; stop_ms=$(( ($(date +%s%N) - s) / 1000000 ))
result=$(systemctl --user show -p Result --value dce-agent-check.service)
status=$(systemctl --user show -p ExecMainStatus --value dce-agent-check.service)

echo "systemd-check ($board): start returned after READY=1 in ${ready_ms} ms, state $state, nice $nice, $limits"
echo "systemd-check ($board): ${inferred:-0} frames inferred; SIGTERM stop ${stop_ms} ms, result $result, exit status $status"
[ "$state" = active ] && [ "$nice" = 10 ] && [ "${inferred:-0}" -gt 0 ] && [ "$result" = success ] && [ "$status" = 0 ]
