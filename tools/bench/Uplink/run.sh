#!/usr/bin/env bash
# Uplink benchmark: MqttClipUploader (through its catalog outbox) vs mosquitto_pub --repeat, same
# chunk size, QoS 1, one loopback mosquitto, alternating runs; prints MiB/s, CPU s/GiB, the ratios
# and the uploader's memory during a 200 MiB upload. Needs mosquitto and mosquitto-clients.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dotnet run --project tools/bench/Uplink -c Release -- "$@"
