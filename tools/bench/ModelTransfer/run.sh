#!/usr/bin/env bash
# Model transfer benchmark: a model's download to a device (ModelReleaseReceiver) vs a clip's upload
# from one (MqttClipUploader), same file size, same loopback mosquitto, alternating runs; prints MiB/s
# of each, the ratio, and the download's memory. Needs mosquitto.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dotnet run --project tools/bench/ModelTransfer -c Release -- "$@"
