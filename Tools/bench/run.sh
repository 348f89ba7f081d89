#!/usr/bin/env bash
# One command for the foundation benchmarks: our RLP and Keccak-256 (release build), Python's rlp on the same
# inputs, and OpenSSL's SHA3-256 (the same Keccak-f[1600] permutation) at the same sizes, all in this run.
# Prints throughput side by side with the ratio each target is judged by.
#   bash Tools/bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product rlpx-bench >&2
python3 -c 'import rlp' 2>/dev/null || python3 -m pip install -q -r Tools/gen-vectors/requirements.txt >&2

echo "running rlpx-bench..." >&2
.build/release/rlpx-bench --write-inputs "$work" > "$work/swift.tsv"
echo "running Python rlp on the same inputs..." >&2
python3 Tools/bench/pyrlp_bench.py "$work" > "$work/python.tsv"
echo "running openssl speed..." >&2
for size in 32 1024 16384; do
    # The last line is "sha3-256  <thousands of bytes per second>".
    rate=$(openssl speed -seconds 2 -bytes "$size" -evp sha3-256 2>/dev/null | awk '/^sha3-256/ {print $2}' | tr -d k)
    printf 'openssl.sha3.%s\t%s\n' "$size" "$rate" >> "$work/openssl.tsv"
done

python3 - "$work" <<'PY'
import sys
d = sys.argv[1]

def load(name):
    rows = {}
    for line in open(f"{d}/{name}"):
        parts = line.rstrip("\n").split("\t")
        rows[parts[0]] = [float(p) for p in parts[1:]]
    return rows

swift, python, openssl = load("swift.tsv"), load("python.tsv"), load("openssl.tsv")

def mbps(row):
    seconds, size = row
    return size / seconds / 1e6

print(f"{'benchmark':34} {'ours':>12} {'reference':>24} {'ratio':>9}   target")
def line(name, ours, ref, ref_name, target=""):
    ratio = ours / ref
    print(f"{name:34} {ours:9.1f} MB/s {ref:9.1f} MB/s {ref_name:>9} {ratio:8.2f}x   {target}")

line("(a) hashes: walk+validate", mbps(swift["rlp.hashes.validate"]), mbps(swift["memcpy.hashes"]), "memcpy", ">= 0.25x")
line("(c) 1 MiB string: decode to [UInt8]", mbps(swift["rlp.blob.decode"]), mbps(swift["memcpy.blob"]), "memcpy", "memory speed (~1x)")
line("(c) 1 MiB string: encode", mbps(swift["rlp.blob.encode"]), mbps(swift["memcpy.blob"]), "memcpy", "memory speed (~1x)")
for workload, label in [("hashes", "(a) 10,000 hashes"), ("headers", "(b) 1,000 headers"), ("blob", "(c) 1 MiB string"), ("integers", "(d) 100,000 integers")]:
    target = ">= 50x" if workload in ("headers", "integers") else ""
    line(f"{label}: typed decode", mbps(swift[f"rlp.{workload}.decode"]), mbps(python[f"py.{workload}.decode"]), "pyrlp", target)
    line(f"{label}: encode", mbps(swift[f"rlp.{workload}.encode"]), mbps(python[f"py.{workload}.encode"]), "pyrlp")
    line(f"{label}: generic walk", mbps(swift[f"rlp.{workload}.validate"]), mbps(python[f"py.{workload}.generic"]), "pyrlp")
for size in (32, 1024, 16384):
    ours = mbps(swift[f"keccak.{size}"])
    ref = openssl[f"openssl.sha3.{size}"][0] * 1000 / 1e6
    line(f"keccak-256 {size} B", ours, ref, "sha3-256", ">= 0.85x" if size == 16384 else "")
PY
