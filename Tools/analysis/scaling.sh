#!/usr/bin/env bash
# Measures the Dask fan-out with 1 and then 2 LocalCluster workers over the same tasks: the captures given, each
# split in SHARDS shards (default: the committed captures, unsplit). Prints fanout.py's line for each: tasks,
# messages, seconds, messages/s.
#   bash Tools/analysis/scaling.sh TOOL [SHARDS CAPTURE[:KEYLOG] ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
tool=${1:-.build/release/rlpx-tool} shards=${2:-1}
shift $(($# < 2 ? $# : 2))
captures=("$@")
((${#captures[@]})) || captures=(Vectors/captures/*/capture.pcap)
bash Tools/analysis/setup.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for workers in 1 2; do
    result=$(Tools/analysis/.venv/bin/python Tools/analysis/fanout.py --tool "$tool" --out "$out/$workers" --workers "$workers" \
        --shards "$shards" "${captures[@]}" 2>/dev/null)
    echo "$workers worker(s): ${result%%$'\n'*}"
done
