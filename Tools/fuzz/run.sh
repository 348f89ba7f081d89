#!/usr/bin/env bash
# Builds every libFuzzer target (-sanitize=fuzzer,address) and runs each for SECONDS (default 600), two at a time,
# seeded from the golden vectors. A crash's input is minimised into Vectors/fuzz-regressions/<target>/, which
# the FuzzRegressionTests unit tests replay without the fuzzer.
#   bash Tools/fuzz/run.sh [SECONDS] [target ...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(rlp handshake frames snappy message session link capture transaction header eth enr discv4 discv5)
root=$(cd ../.. && pwd)
shared=${RLPX_SHARED_VECTORS:-$root/../shared/vectors}
# lld for every link: gold fails on the sanitized macro plugin (a host tool built with the same flags).
swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >&2
bin=$(swift build -c release --scratch-path .build-fuzz --show-bin-path)
work=$(mktemp -d)

seed() {  # seed corpus: upstream and project vector files, each hex string of them as raw bytes
    local target=$1 dir=$work/corpus-$1
    mkdir -p "$dir"
    python3 - "$shared" "$root/Vectors" "$dir" "$target" <<'PY'
import json, os, sys, binascii, hashlib
shared, ours, out, target = sys.argv[1:5]
def hexes(value):
    if isinstance(value, str):
        text = value[2:] if value.startswith("0x") else value
        if len(text) % 2 == 0 and len(text) >= 2 and all(c in "0123456789abcdefABCDEF" for c in text):
            yield binascii.unhexlify(text)
    elif isinstance(value, dict):
        for v in value.values(): yield from hexes(v)
    elif isinstance(value, list):
        for v in value: yield from hexes(v)
count = 0
for base in (shared, ours):
    for folder, _, files in os.walk(base):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".json") and os.path.getsize(path) < 4_000_000:
                for blob in hexes(json.load(open(path))):
                    if len(blob) <= 4096:
                        open(os.path.join(out, hashlib.sha1(blob).hexdigest()), "wb").write(blob); count += 1
            elif name.endswith((".rawsnappy", ".pcap")) and os.path.getsize(path) < 200_000:
                open(os.path.join(out, name), "wb").write(open(path, "rb").read()); count += 1
if target == "eth":  # message vectors with their [protocol version index, code] prefix (KnownProtocols.all order)
    for path in (os.path.join(shared, "eth/messages.json"), os.path.join(ours, "eth/pyevm.json")):
        if not os.path.exists(path): continue
        for m in json.load(open(path))["messages"]:
            snap = m.get("protocol") == "snap"
            for v in m["versions"]:
                if (snap and v in (1, 2)) or (not snap and 68 <= v <= 72):
                    blob = bytes([(5 + v - 1) if snap else (v - 68), m["code"]]) + binascii.unhexlify(m["payload"])
                    open(os.path.join(out, hashlib.sha1(blob).hexdigest()), "wb").write(blob); count += 1
print(f"{target}: {count} seeds", file=sys.stderr)
PY
}

run() {
    local target=$1 regressions=$root/Vectors/fuzz-regressions/$1
    seed "$target"
    mkdir -p "$work/artifacts-$target"
    "$bin/fuzz-$target" "$work/corpus-$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="$work/artifacts-$target/" -print_final_stats=1 > "$work/$target.log" 2>&1 || true
    for crash in "$work/artifacts-$target"/*; do
        [ -e "$crash" ] || continue
        mkdir -p "$regressions"
        "$bin/fuzz-$target" -minimize_crash=1 -runs=10000 -exact_artifact_path="$regressions/$(basename "$crash")" "$crash" >/dev/null 2>&1 || cp "$crash" "$regressions/"
        echo "$target: crash saved to $regressions/$(basename "$crash")" >&2
    done
    local execs rate
    execs=$(grep -E '^stat::number_of_executed_units' "$work/$target.log" | awk '{print $2}')
    rate=$(grep -E '^stat::average_exec_per_sec' "$work/$target.log" | awk '{print $2}')
    echo "$target: ${execs:-?} executions, ${rate:-?}/s, $(ls "$work/artifacts-$target" | wc -l) crashes in ${seconds} s"
}

for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run "${targets[i]}" &
    if ((i + 1 < ${#targets[@]})); then run "${targets[i + 1]}" & fi
    wait
done
rm -rf "$work"
