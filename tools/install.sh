#!/usr/bin/env bash
# Installs the published agent on a board (or into a staging root) and provisions it: who it is, which
# broker it reaches with which certificate, and whose trigger sets it accepts. `--help` says how.
# Every input is checked before anything is written. Walkthrough: firmware-config/PROVISIONING.md.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
boards="raspberry-pi-4|raspberry-pi-5|jetson-orin-nano|generic-x64"

help() {
  cat <<EOF
usage: tools/install.sh --board <$boards> [provisioning] [--from DIR] [--prefix ROOT]
       tools/install.sh --board <board> --show-device-id [--prefix ROOT]
       tools/install.sh --uninstall [--purge] [--prefix ROOT]

Installs the agent published by tools/publish.sh as the dce-agent systemd service, with the board's
config as /etc/dce-agent/agent.json, and writes the values below into that config. Run it again to
upgrade: an edited agent.json is kept (the shipped one lands beside it as agent.json.dist) and only
the values given on the command line change in it. Every input is checked first; a bad one stops
the install with nothing written.

provisioning (written into /etc/dce-agent/agent.json):
  --fleet NAME          Agent:Fleet, the fleet's topic segment (letters, digits, '_', '.', '-')
  --device-id ID|auto   Agent:DeviceId, unique in the fleet; it is the device's MQTT identity and
                        must be the CN of its client certificate (broker ACL). 1-64 letters, digits,
                        '_', '.', '-', starting with a letter or digit; not dce-receiver/dce-operator.
                        auto: <board>-<first 12 hex of the SHA-256 of the board serial
                        (/proc/device-tree/serial-number) or else of /etc/machine-id>; the same on
                        every reinstall of the same machine (see --show-device-id)
  --allow-default-id    install with the board's shipped id (<board>-0001) anyway: one bench board
                        only, two of them take over each other's broker session
  --broker HOST:PORT    Uplink:Host and Uplink:Port (IPv6 as [addr]:port); turns off an embedded broker
  --ca FILE             PEM CA of the broker's certificate -> /etc/dce-agent/tls/ca.crt,
                        Uplink:CaCertificatePath; turns Uplink:UseTls on
  --cert FILE           PEM client certificate, CN = the device id -> /etc/dce-agent/tls/client.crt,
                        Uplink:ClientCertificatePath; turns Uplink:UseTls on
  --key FILE            its PEM private key -> /etc/dce-agent/tls/client.key (mode 0600, owned by
                        dce-agent), Uplink:ClientKeyPath; --cert and --key go together
  --trusted-key FILE    a fleet manager's trigger-set public key (P-256 PEM, from edgectl keys new)
                        -> /etc/dce-agent/trusted-keys/<key id>.pem, RemoteConfig:TrustedKeyPaths;
                        repeatable; replaces the installed list. With none, pushed sets are refused
  --group NAME          RemoteConfig:Groups, a group whose pushed sets this device takes; repeatable;
                        replaces the installed list

install:
  --board NAME          $boards
  --from DIR            the output of tools/publish.sh (default artifacts/publish/<rid of this machine>)
  --prefix ROOT         a staging root (image build, tests): files go under ROOT with their final
                        absolute paths inside them; no user is created and no service is started;
                        --device-id auto reads ROOT/etc/machine-id (or ROOT's board serial)
  --show-device-id      print the id --device-id auto gives on this machine (or ROOT) and exit:
                        make the device's certificate with it before installing
  --uninstall           remove the app, unit and udev rules; keep config and data
  --purge               with --uninstall: remove /etc/dce-agent (config, certificates, keys) and
                        /var/lib/dce-agent (clips, catalog) too
  -h, --help            show this help

Layout: /opt/dce-agent (app), /etc/dce-agent/agent.json (config), /etc/dce-agent/tls and
/etc/dce-agent/trusted-keys, /var/lib/dce-agent (data), /etc/systemd/system/dce-agent.service,
/etc/udev/rules.d/70-dce-agent.rules. Needs python3 (to edit the JSON); openssl, when present, also
checks that the certificate matches its key and names the device.

example:
  sudo tools/install.sh --board raspberry-pi-5 --from artifacts/publish/linux-arm64 \\
    --fleet fleet-1 --device-id auto --broker broker.example.com:8883 \\
    --ca ca.crt --cert device.crt --key device.key --trusted-key fleet.pub
EOF
}

usage() { echo "usage: tools/install.sh --board <$boards> [options]; tools/install.sh --help for all of them" >&2; exit 2; }
fail() { echo "install.sh: $*" >&2; exit 2; }
needs_value() { [ $# -ge 2 ] && [ -n "$2" ] && [[ "$2" != --* ]] || fail "$1 needs a value"; }

board=""; from=""; root=""; uninstall=false; purge=false; show_id=false; allow_default=false
fleet=""; device_id=""; broker=""; ca=""; cert=""; key=""; trusted=(); groups=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) help; exit 0;;
    --board) needs_value "$@"; board="$2"; shift 2;;
    --from) needs_value "$@"; from="$2"; shift 2;;
    --prefix) needs_value "$@"; root="$(realpath -m -- "$2")"; shift 2;;
    --uninstall) uninstall=true; shift;;
    --purge) purge=true; shift;;
    --show-device-id) show_id=true; shift;;
    --allow-default-id) allow_default=true; shift;;
    --fleet) needs_value "$@"; fleet="$2"; shift 2;;
    --device-id) needs_value "$@"; device_id="$2"; shift 2;;
    --broker) needs_value "$@"; broker="$2"; shift 2;;
    --ca) needs_value "$@"; ca="$2"; shift 2;;
    --cert) needs_value "$@"; cert="$2"; shift 2;;
    --key) needs_value "$@"; key="$2"; shift 2;;
    --trusted-key) needs_value "$@"; trusted+=("$2"); shift 2;;
    --group) needs_value "$@"; groups+=("$2"); shift 2;;
    *) echo "install.sh: unknown option '$1'" >&2; usage;;
  esac
done
[ "$root" = / ] && root=""

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
command -v python3 >/dev/null || fail "python3 is needed to write /etc/dce-agent/agent.json (Debian: apt-get install python3-minimal)"
agent_config() { python3 "$repo/tools/install/agent_config.py" "$@"; }

# --- the device id ------------------------------------------------------------------------------
# auto: a hash (the raw serial or machine id is not published) of the board's serial, which survives
# a re-flashed SD card, or else of the machine id, which survives reinstalls of the agent.
auto_device_id() {
  local source
  for source in "$root/proc/device-tree/serial-number" "$root/sys/firmware/devicetree/base/serial-number" "$root/etc/machine-id"; do
    if [ -r "$source" ] && [ -n "$(tr -d '\0[:space:]' < "$source")" ]; then
      auto_source="$source"
      auto_id="$board-$(tr -d '\0[:space:]' < "$source" | sha256sum | cut -c1-12)"
      return 0
    fi
  done
  if [ -n "$root" ]; then
    fail "--device-id auto: no board serial and no machine id under the staging root $root (ROOT/etc/machine-id); an image is not a machine yet: give --device-id, or provision on the board"
  fi
  fail "--device-id auto: no board serial and no /etc/machine-id on this machine; give --device-id"
}
if [ "$show_id" = true ]; then auto_device_id; echo "$auto_id"; exit 0; fi
if [ "$device_id" = auto ]; then
  auto_device_id; device_id="$auto_id"
  echo "install.sh: device id $device_id (auto, from $auto_source)"
fi

# --- every input, checked before anything is written ---------------------------------------------
name_pattern='^[A-Za-z0-9_.-]{1,64}$'
if [ -n "$fleet" ] && ! [[ "$fleet" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$ ]]; then
  fail "--fleet '$fleet': 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit (it is an MQTT topic segment: no '/', '+', '#' or spaces; '_' first is for _groups and _fleet)"
fi
if [ -n "$device_id" ]; then
  if ! [[ "$device_id" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$ ]]; then
    fail "--device-id '$device_id': 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit (it is an MQTT topic segment and the certificate's CN: no '/', '+', '#' or spaces; '_' first is for _groups and _fleet)"
  fi
  case "$device_id" in
    dce-receiver|dce-operator) fail "--device-id '$device_id' is a fleet tool's identity in the broker ACL; pick another id";;
  esac
fi

host=""; port=""
if [ -n "$broker" ]; then
  if [[ "$broker" =~ ^\[([0-9A-Fa-f:.]+)\]:([0-9]+)$ ]] || [[ "$broker" =~ ^([A-Za-z0-9.-]+):([0-9]+)$ ]]; then
    host="${BASH_REMATCH[1]}"; port="${BASH_REMATCH[2]}"
  else
    fail "--broker '$broker' is not HOST:PORT (e.g. broker.example.com:8883, 10.0.0.5:8883, [fd00::5]:8883)"
  fi
  if [ "${#port}" -gt 5 ] || [ "$((10#$port))" -lt 1 ] || [ "$((10#$port))" -gt 65535 ]; then
    fail "--broker '$broker': port $port is not in 1-65535"
  fi
  port="$((10#$port))"
fi

readable() { [ -f "$2" ] && [ -r "$2" ] || fail "$1 '$2': no such readable file"; }
pem_holds() { grep -q -- "-----BEGIN $3" "$2" || fail "$1 '$2' is not a PEM $4 (no '-----BEGIN $3' line)"; }
if [ -n "$ca" ]; then readable --ca "$ca"; pem_holds --ca "$ca" "CERTIFICATE-----" certificate; fi
if [ -n "$cert" ] || [ -n "$key" ]; then
  [ -n "$cert" ] || fail "--key needs --cert (the client certificate it belongs to)"
  [ -n "$key" ] || fail "--cert needs --key (the certificate's private key)"
  readable --cert "$cert"; pem_holds --cert "$cert" "CERTIFICATE-----" certificate
  readable --key "$key"; grep -Eq -- "-----BEGIN ([A-Z]+ )?PRIVATE KEY-----" "$key" || fail "--key '$key' is not a PEM private key (no '-----BEGIN ... PRIVATE KEY' line)"
fi
trusted_ids=()
for file in ${trusted[@]+"${trusted[@]}"}; do
  readable --trusted-key "$file"
  id="$(agent_config public-key "$file" 2>&1)" || fail "--trusted-key $(sed 's/^install.sh: //' <<<"$id")"
  trusted_ids+=("$id")
done
for group in ${groups[@]+"${groups[@]}"}; do
  [[ "$group" =~ $name_pattern ]] || fail "--group '$group': 1-64 letters, digits, '_', '.' or '-' (an MQTT topic segment)"
done

if [ -z "$from" ]; then
  case "$(uname -m)" in aarch64) from="$repo/artifacts/publish/linux-arm64";; *) from="$repo/artifacts/publish/linux-x64";; esac
fi
[ -x "$from/dce-agent" ] || { echo "install.sh: no published agent in '$from' (run tools/publish.sh first)" >&2; exit 1; }
if [ "$live" = true ] && [ "$(id -u)" -ne 0 ]; then echo "install.sh: run as root (or use --prefix for a staging root)" >&2; exit 1; fi

# The config as it will be: the kept one (an upgrade) or the shipped one, with the values given.
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
sed 's|"\$schema": "../agent-config.schema.json"|"$schema": "agent-config.schema.json"|' "$boarddir/$config" > "$work/agent.json.dist"
base="$work/agent.json.dist"; [ -f "$etc/agent.json" ] && base="$etc/agent.json"
set_args=()
[ -n "$fleet" ] && set_args+=(--fleet "$fleet")
[ -n "$device_id" ] && set_args+=(--device-id "$device_id")
[ -n "$host" ] && set_args+=(--host "$host" --port "$port")
{ [ -n "$ca" ] || [ -n "$cert" ]; } && set_args+=(--tls)
[ -n "$ca" ] && set_args+=(--ca /etc/dce-agent/tls/ca.crt)
[ -n "$cert" ] && set_args+=(--cert /etc/dce-agent/tls/client.crt --key /etc/dce-agent/tls/client.key)
for id in ${trusted_ids[@]+"${trusted_ids[@]}"}; do set_args+=(--trusted-key "/etc/dce-agent/trusted-keys/$id.pem"); done
for group in ${groups[@]+"${groups[@]}"}; do set_args+=(--group "$group"); done
agent_config write "$base" "$work/agent.json" ${set_args[@]+"${set_args[@]}"} || exit 2

# Two devices with one id take over each other's broker session: the shipped id is for one bench board.
final_id="$(agent_config device-id "$work/agent.json")"
shipped_ids=" device-1 $(for b in ${boards//|/ }; do printf '%s-0001 ' "$b"; done)"
if [ "$allow_default" = false ] && { [ -z "$final_id" ] || [[ "$shipped_ids" == *" $final_id "* ]]; }; then
  where="the shipped config"; [ "$base" = "$etc/agent.json" ] && where="the installed $etc/agent.json"
  fail "refusing to install with the default device id '${final_id:-device-1}' from $where: every board would share it and take over the others' broker session. Give --device-id ID or --device-id auto (--allow-default-id for a single bench board)"
fi

# The client certificate must name this device: the broker makes its CN the MQTT user name and
# client id, and the ACL gives that user only dce/v1/<fleet>/<CN>/... . A kept one too, when the id changes.
certificate_cn() { openssl x509 -in "$1" -noout -subject -nameopt RFC2253 2>/dev/null | sed -n 's/^subject=\(.*,\)\{0,1\}CN=\([^,]*\).*$/\2/p'; }
if command -v openssl >/dev/null; then
  if [ -n "$cert" ]; then
    openssl x509 -in "$cert" -noout 2>/dev/null || fail "--cert '$cert' is not a readable X.509 certificate"
    cn="$(certificate_cn "$cert")"
    [ "$cn" = "$final_id" ] || fail "--cert '$cert' is for CN '${cn:-<none>}', but this device's id is '$final_id': the broker would give it the topics of '${cn:-<none>}' (issue the certificate with CN=$final_id)"
    openssl x509 -in "$cert" -noout -checkend 0 >/dev/null || fail "--cert '$cert' has expired ($(openssl x509 -in "$cert" -noout -enddate))"
    key_key="$(openssl pkey -in "$key" -pubout 2>/dev/null)" || fail "--key '$key' is not a readable private key (encrypted? the agent needs it unencrypted)"
    [ "$(openssl x509 -in "$cert" -noout -pubkey)" = "$key_key" ] || fail "--key '$key' is not the key of --cert '$cert'"
    if [ -n "$ca" ] && ! openssl verify -CAfile "$ca" "$cert" >/dev/null 2>&1; then
      echo "install.sh: note: --cert is not signed by --ca (fine when the broker's CA is not the device CA, e.g. a cloud broker)"
    fi
  elif [ -n "$device_id" ] && [ -f "$etc/tls/client.crt" ]; then
    cn="$(certificate_cn "$etc/tls/client.crt")"
    [ "$cn" = "$final_id" ] || fail "--device-id '$final_id': the installed certificate $etc/tls/client.crt is for CN '${cn:-<none>}'; give this device's certificate with --cert and --key"
  fi
elif [ -n "$cert" ]; then
  echo "install.sh: note: no openssl here: did not check that --cert names '$final_id' and matches --key"
fi

# --- install -------------------------------------------------------------------------------------
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

# Certificates and keys before the config that names them; each set replaced whole.
mkdir -p "$etc"
replace_dir() { rm -rf "$2.old"; [ -d "$2" ] && mv "$2" "$2.old"; mv "$1" "$2"; rm -rf "$2.old"; }
if [ -n "$ca" ] || [ -n "$cert" ]; then
  rm -rf "$etc/tls.new"; mkdir -m 0750 "$etc/tls.new"
  [ -d "$etc/tls" ] && cp -a "$etc/tls/." "$etc/tls.new/"
  [ -n "$ca" ] && install -m 0644 "$ca" "$etc/tls.new/ca.crt"
  if [ -n "$cert" ]; then
    install -m 0644 "$cert" "$etc/tls.new/client.crt"
    install -m 0600 "$key" "$etc/tls.new/client.key"
  fi
  if [ "$live" = true ]; then
    chown root:"$user" "$etc/tls.new"
    [ -f "$etc/tls.new/client.key" ] && chown "$user:$user" "$etc/tls.new/client.key"
  fi
  replace_dir "$etc/tls.new" "$etc/tls"
fi
if [ ${#trusted[@]} -gt 0 ]; then
  rm -rf "$etc/trusted-keys.new"; mkdir -m 0755 "$etc/trusted-keys.new"
  for i in "${!trusted[@]}"; do install -m 0644 "${trusted[$i]}" "$etc/trusted-keys.new/${trusted_ids[$i]}.pem"; done
  replace_dir "$etc/trusted-keys.new" "$etc/trusted-keys"
fi

# The config: an operator's edits survive a reinstall; the shipped one lands beside it.
cp "$repo/firmware-config/agent-config.schema.json" "$etc/agent-config.schema.json"
cp "$work/agent.json.dist" "$etc/agent.json.dist"
if [ -f "$etc/agent.json" ] && ! cmp -s "$etc/agent.json" "$etc/agent.json.dist"; then
  echo "install.sh: kept the edited $etc/agent.json; the shipped one is $etc/agent.json.dist"
fi
if ! cmp -s "$work/agent.json" "$etc/agent.json" 2>/dev/null; then
  cp "$work/agent.json" "$etc/agent.json.tmp" && mv "$etc/agent.json.tmp" "$etc/agent.json"
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
echo "install.sh: $board installed under ${root:-/} as device '$final_id'"
