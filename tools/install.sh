#!/usr/bin/env bash
# Installs the published agent on a board (or into a staging root), idempotently.
#   tools/install.sh --board <raspberry-pi-4|raspberry-pi-5|jetson-orin-nano|generic-x64>
#                    [--from DIR] [--prefix ROOT] [--uninstall [--purge]]
# --from     the output of tools/publish.sh (default artifacts/publish/<rid of this machine>)
# --prefix   a staging root (image build, tests): files go under ROOT with their final absolute
#            paths inside them; no user is created and no service is started there.
# Layout: /opt/dce-agent (app), /etc/dce-agent/agent.json (board config, kept if edited),
# /var/lib/dce-agent (data), /etc/systemd/system/dce-agent.service, /etc/udev/rules.d/70-dce-agent.rules.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

usage() { echo "usage: tools/install.sh --board <raspberry-pi-4|raspberry-pi-5|jetson-orin-nano|generic-x64> [--from DIR] [--prefix ROOT] [--uninstall [--purge]]" >&2; exit 2; }
board=""; from=""; root=""; uninstall=false; purge=false
while [ $# -gt 0 ]; do
  case "$1" in
    --board) [ $# -ge 2 ] || usage; board="$2"; shift 2;;
    --from) [ $# -ge 2 ] || usage; from="$2"; shift 2;;
    --prefix) [ $# -ge 2 ] || usage; root="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2;;
    --uninstall) uninstall=true; shift;;
    --purge) purge=true; shift;;
    *) echo "install.sh: unknown option '$1'" >&2; usage;;
  esac
done

user=dce-agent
app="$root/opt/dce-agent"; etc="$root/etc/dce-agent"; data="$root/var/lib/dce-agent"
unit="$root/etc/systemd/system/dce-agent.service"
wants="$root/etc/systemd/system/multi-user.target.wants/dce-agent.service"
rules="$root/etc/udev/rules.d/70-dce-agent.rules"
live=false; [ -z "$root" ] && live=true
systemd_running=false; [ "$live" = true ] && [ -d /run/systemd/system ] && systemd_running=true

if [ "$uninstall" = true ]; then
  if [ "$systemd_running" = true ]; then systemctl disable --now dce-agent.service 2>/dev/null || true; fi
  rm -f "$wants" "$unit" "$rules"
  rm -rf "$app"
  if [ "$purge" = true ]; then rm -rf "$etc" "$data"; fi
  if [ "$systemd_running" = true ]; then systemctl daemon-reload; udevadm control --reload-rules 2>/dev/null || true; fi
  echo "install.sh: uninstalled$([ "$purge" = true ] && echo ' (config and data purged)' || echo " (kept $etc and $data; --purge removes them)")"
  exit 0
fi

case "$board" in
  raspberry-pi-4) config=appsettings.RaspberryPi4.json;;
  raspberry-pi-5) config=appsettings.RaspberryPi5.json;;
  jetson-orin-nano) config=appsettings.JetsonOrinNano.json;;
  generic-x64) config=appsettings.GenericX64.json;;
  "") echo "install.sh: --board is required" >&2; usage;;
  *) echo "install.sh: unknown board '$board'" >&2; usage;;
esac
boarddir="$repo/firmware-config/$board"
if [ -z "$from" ]; then
  case "$(uname -m)" in aarch64) from="$repo/artifacts/publish/linux-arm64";; *) from="$repo/artifacts/publish/linux-x64";; esac
fi
[ -x "$from/dce-agent" ] || { echo "install.sh: no published agent in '$from' (run tools/publish.sh first)" >&2; exit 1; }
if [ "$live" = true ] && [ "$(id -u)" -ne 0 ]; then echo "install.sh: run as root (or use --prefix for a staging root)" >&2; exit 1; fi

if [ "$live" = true ]; then
  for group in video gpio i2c; do getent group "$group" >/dev/null || groupadd --system "$group"; done
  if ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /var/lib/dce-agent --shell /usr/sbin/nologin --user-group "$user"
  fi
  usermod -a -G video,gpio,i2c "$user"
fi

# The app: replaced whole, through a staging copy, so a failed copy leaves the old one.
mkdir -p "$(dirname "$app")"
rm -rf "$app.new"
cp -a "$from" "$app.new"
rm -rf "$app.old"; [ -d "$app" ] && mv "$app" "$app.old"
mv "$app.new" "$app"; rm -rf "$app.old"

# The config: an operator's edits survive a reinstall; the shipped one lands beside it.
mkdir -p "$etc"
cp "$repo/firmware-config/agent-config.schema.json" "$etc/agent-config.schema.json"
sed 's|"\$schema": "../agent-config.schema.json"|"$schema": "agent-config.schema.json"|' "$boarddir/$config" > "$etc/agent.json.dist"
if [ ! -f "$etc/agent.json" ]; then
  cp "$etc/agent.json.dist" "$etc/agent.json"
elif ! cmp -s "$etc/agent.json" "$etc/agent.json.dist"; then
  echo "install.sh: kept the edited $etc/agent.json; the shipped one is $etc/agent.json.dist"
fi

mkdir -p "$data" "$(dirname "$unit")" "$(dirname "$wants")" "$(dirname "$rules")"
install -m 0644 "$boarddir/dce-agent.service" "$unit"
install -m 0644 "$boarddir/70-dce-agent.rules" "$rules"
ln -sfn /etc/systemd/system/dce-agent.service "$wants"

if [ "$live" = true ]; then
  chown -R root:root "$app" && chmod 0755 "$app"
  chown -R "$user:$user" "$data" && chmod 0750 "$data"
  chown root:"$user" "$etc/agent.json" && chmod 0640 "$etc/agent.json"
  "$app/dce-agent" --help >/dev/null
  if command -v udevadm >/dev/null; then udevadm control --reload-rules && udevadm trigger || true; fi
  if [ "$systemd_running" = true ]; then
    systemctl daemon-reload
    systemctl enable dce-agent.service
    systemctl restart dce-agent.service
  else
    echo "install.sh: systemd is not running here; enabled for the next boot"
  fi
fi
echo "install.sh: $board installed under ${root:-/}"
