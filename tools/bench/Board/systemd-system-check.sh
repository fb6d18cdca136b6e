#!/usr/bin/env bash
# A board's install under the real system manager, where systemd is not PID 1 here (CI VMs,
# containers): systemd boots as PID 1 of a container (systemd-nspawn, its own network namespace)
# whose root is an overlay of this machine's root on a tmpfs, so the host is not changed. Inside,
# tools/install.sh installs the board as on a board (user, groups, unit, config, enable, start);
# then the checks the user-manager check (systemd-check.sh) cannot make: User= and the groups, the
# namespace sandbox (ProtectSystem, ReadWritePaths, ProtectProc), Type=notify readiness under all
# of it, writes to the data directory from inside the sandbox, and a clean stop.
#   tools/bench/Board/systemd-system-check.sh [BOARD] [PUBLISHED_DIR]   (as root; generic-x64 default)
# Needs systemd-container (tools/test.sh installs it; Agent.Tests/Install runs this script).
set -euo pipefail
cd "$(dirname "$0")/../../.."
board="${1:-generic-x64}"; app="$(cd "${2:-artifacts/publish/linux-x64}" && pwd)"
command -v systemd-nspawn >/dev/null || { echo "systemd-system-check: needs systemd-nspawn (apt-get install systemd-container)" >&2; exit 1; }
[ -x "$app/dce-agent" ] || { echo "systemd-system-check: no published agent in $app (tools/publish.sh linux-x64)" >&2; exit 1; }
work="$(mktemp -d /tmp/dce-system-check.XXXXXX)"; nspawn=""
say() { echo "systemd-system-check ($board): $*"; }
cleanup() {
  if [ -n "$nspawn" ]; then kill -TERM "$nspawn" 2>/dev/null || :; wait "$nspawn" 2>/dev/null || :; fi
  umount "$work/root" 2>/dev/null || :; umount "$work/t" 2>/dev/null || :
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/t" "$work/root"
mount -t tmpfs tmpfs "$work/t"; mkdir "$work/t/up" "$work/t/wk"
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/t/up,workdir=$work/t/wk" "$work/root"
# What the container installs from: copies in its writable layer (the lower layer must not change).
cp -a "$app" "$work/root/root/dce-publish"
mkdir -p "$work/root/root/dce-repo"; cp -a tools firmware-config "$work/root/root/dce-repo/"
systemd-nspawn -D "$work/root" --boot --register=no --keep-unit --link-journal=no --private-network --machine=dce-system-check \
  --console=pipe >"$work/boot.log" 2>&1 &
nspawn=$!

init=""
for _ in $(seq 1 300); do
  for child in $(pgrep -P "$nspawn" 2>/dev/null); do
    [ "$(cat "/proc/$child/comm" 2>/dev/null)" = systemd ] && init="$child"
    for grandchild in $(pgrep -P "$child" 2>/dev/null); do [ "$(cat "/proc/$grandchild/comm" 2>/dev/null)" = systemd ] && init="$grandchild"; done
  done
  [ -n "$init" ] && break; sleep 0.1
done
[ -n "$init" ] || { echo "systemd-system-check: the container did not boot:"; cat "$work/boot.log"; exit 1; } >&2
inside() { nsenter -t "$init" -a "$@"; }
for _ in $(seq 1 300); do
  state="$(inside systemctl is-system-running 2>/dev/null || :)"; [ "$state" = running ] || [ "$state" = degraded ] && break; sleep 0.1
done
[ "$state" = running ] || [ "$state" = degraded ] || { echo "systemd-system-check: the container did not boot (state '$state'):"; cat "$work/boot.log"; exit 1; } >&2
say "systemd $(inside systemctl --version | head -1 | cut -d' ' -f2) booted as the container's PID 1 ($state)"

# Install as on a board: it creates the user, installs, enables and starts the unit.
# --device-id auto: the live path, from the container's /etc/machine-id.
inside bash /root/dce-repo/tools/install.sh --board "$board" --from /root/dce-publish --device-id auto >/dev/null
show() { inside systemctl show dce-agent.service -p "$1" --value; }
for _ in $(seq 1 200); do [ "$(show ActiveState)" = active ] && break; sleep 0.1; done
started=$(show ExecMainStartTimestampMonotonic); ready=$(show ActiveEnterTimestampMonotonic)
say "state $(show ActiveState)/$(show SubState), READY=1 $(( (ready - started) / 1000 )) ms after exec, restarts $(show NRestarts)"
[ "$(show ActiveState)" = active ] || { inside journalctl -u dce-agent --no-pager | tail -20; exit 1; }
main=$(show MainPID)
say "runs as $(inside stat -c '%U:%G' "/proc/$main"), supplementary groups: $(inside id -Gn dce-agent | tr ' ' ',')"
# As the service user, in the service's mount namespace (root would see through ProtectProc).
as_service() { inside nsenter -t "$main" -m setpriv --reuid dce-agent --regid dce-agent --init-groups "$@"; }
say "mounts seen by the service: / $(inside nsenter -t "$main" -m findmnt -no OPTIONS / | cut -d, -f1), /var/lib/dce-agent $(inside nsenter -t "$main" -m findmnt -no OPTIONS -T /var/lib/dce-agent | cut -d, -f1); /proc/1 readable by the service user: $(as_service cat /proc/1/comm >/dev/null 2>&1 && echo yes || echo 'no (ProtectProc=invisible)')"
metrics="$(inside curl -s --max-time 5 http://127.0.0.1:9464/metrics || :)"
say "metrics endpoint: camera dce_device_ok $(grep -m1 '^dce_device_ok{component="camera"' <<<"$metrics" | awk '{print $2}') (no /dev/video0 here)"

# The demo's scene and controller in place of the camera and controller this machine lacks, so
# clips are recorded and stored through the sandbox into the data directory.
inside mkdir -p /etc/systemd/system/dce-agent.service.d
printf '[Service]\nEnvironment=DCE_Sources__Camera__Kind=Synthetic DCE_Sources__Controller__Kind=Simulated\n' \
  | inside tee /etc/systemd/system/dce-agent.service.d/10-synthetic.conf >/dev/null
inside systemctl daemon-reload; inside systemctl restart dce-agent.service
for _ in $(seq 1 300); do
  stored="$(inside curl -s --max-time 2 http://127.0.0.1:9464/metrics | awk '/^dce_clips_stored_total/ {print $2}')"
  [ -n "$stored" ] && [ "${stored%.*}" -ge 1 ] && break; sleep 0.1
done
say "synthetic scene: clips stored ${stored:-0}, files in the data directory: $(inside find /var/lib/dce-agent -type f | wc -l) ($(inside du -sh /var/lib/dce-agent | cut -f1)), owner $(inside stat -c %U /var/lib/dce-agent)"

begin=$(date +%s%N); inside systemctl stop dce-agent.service; end=$(date +%s%N)
say "systemctl stop: $(( (end - begin) / 1000000 )) ms, result $(show Result), exit status $(show ExecMainStatus)"
