#!/usr/bin/env bash
# One command for every benchmark, each beside its reference measured in this same run:
#   RLP against memcpy and Python's rlp on the same inputs; Keccak-256 (each permutation this CPU has) against
#   OpenSSL's SHA3-256 in the same process (the same Keccak-f[1600] permutation); frame seal/open against the
#   specification's floor for the frame (its AES blocks and Keccak-f permutations, each timed alone in-process); a
#   handshake pair against the sum of its secp256k1 operations timed alone.
# Prints throughput side by side with the ratio each target is judged by. `bash Tools/bench/run.sh frames` runs
# one group (rlp, keccak, frames, handshake, messages, eth).
#   bash Tools/bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/lib/release.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

release_build rlpx-bench
python3 -c 'import rlp' 2>/dev/null || python3 -m pip install -q -r Tools/gen-vectors/requirements.txt >&2

groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(rlp keccak frames handshake messages eth)
wants() { [[ " ${groups[*]} " == *" $1 "* ]]; }

echo "running rlpx-bench ${groups[*]}..." >&2
$release_dir/rlpx-bench --write-inputs "$work" "${groups[@]}" > "$work/swift.tsv"
touch "$work/python.tsv"
if wants rlp; then
    echo "running Python rlp on the same inputs..." >&2
    python3 Tools/bench/pyrlp_bench.py "$work" > "$work/python.tsv"
fi

python3 - "$work" "${groups[@]}" <<'PY'
import sys
d, groups = sys.argv[1], set(sys.argv[2:])

def load(name):
    rows = {}
    for line in open(f"{d}/{name}"):
        parts = line.rstrip("\n").split("\t")
        rows[parts[0]] = [float(p) for p in parts[1:]]
    return rows

swift, python = load("swift.tsv"), load("python.tsv")

def mbps(row):
    seconds, size = row
    return size / seconds / 1e6

import os
markdown = os.environ.get("RLPX_BENCH_FORMAT") == "markdown"  # Tools/bench/report.sh: table rows for REPORT.md
if markdown:
    print("| benchmark | ours | reference | ratio | target |\n|---|---:|---:|---:|---|")
else:
    print(f"{'benchmark':38} {'ours':>12} {'reference':>24} {'ratio':>9}   target")
def line(name, ours, ref, ref_name, target=""):
    ratio = ours / ref
    if markdown:
        print(f"| {name} | {ours:.1f} MB/s | {ref:.1f} MB/s ({ref_name}) | {ratio:.2f}x | {target} |")
    else:
        print(f"{name:38} {ours:9.1f} MB/s {ref:9.1f} MB/s {ref_name:>9} {ratio:8.2f}x   {target}")

def rlp_and_keccak():
  if "rlp" in groups:
    line("(a) hashes: walk+validate", mbps(swift["rlp.hashes.validate"]), mbps(swift["memcpy.hashes"]), "memcpy", ">= 0.25x")
    line("(c) 1 MiB string: decode to [UInt8]", mbps(swift["rlp.blob.decode"]), mbps(swift["memcpy.blob"]), "memcpy", "memory speed (~1x)")
    line("(c) 1 MiB string: encode", mbps(swift["rlp.blob.encode"]), mbps(swift["memcpy.blob"]), "memcpy", "memory speed (~1x)")
    for workload, label in [("hashes", "(a) 10,000 hashes"), ("headers", "(b) 1,000 headers"), ("blob", "(c) 1 MiB string"), ("integers", "(d) 100,000 integers")]:
        target = ">= 50x" if workload in ("headers", "integers") else ""
        line(f"{label}: typed decode", mbps(swift[f"rlp.{workload}.decode"]), mbps(python[f"py.{workload}.decode"]), "pyrlp", target)
        line(f"{label}: encode", mbps(swift[f"rlp.{workload}.encode"]), mbps(python[f"py.{workload}.encode"]), "pyrlp")
        line(f"{label}: generic walk", mbps(swift[f"rlp.{workload}.validate"]), mbps(python[f"py.{workload}.generic"]), "pyrlp")
  if "keccak" in groups:
    # OpenSSL's SHA3-256 runs in rlpx-bench's process, interleaved with ours (see keccakBenchmarks).
    for size in (32, 136, 1024, 16384):
        for permutation in ("portable", "avx512"):
            if f"keccak.{permutation}.{size}" not in swift:
                continue
            target = {16384: ">= 1.15x", 136: ">= 1.0x"}.get(size, "")
            line(f"keccak-256 {size} B ({permutation})", mbps(swift[f"keccak.{permutation}.{size}"]), mbps(swift[f"openssl.sha3.{size}"]), "sha3-256", target)
    line("keccak-256 batch of 200 B messages", mbps(swift["keccak.batch.200"]), mbps(swift["keccak.single.200"]), "one by one", ">= 4x")
    # The replay's lockstep MAC: 2 to 4 independent states per pass, against one state per pass.
    for count in (2, 3, 4):
        line(f"keccak pass of {count} states (lockstep MAC)", mbps(swift[f"keccak.pass.{count}"]), mbps(swift["keccak.pass.1"]), "1 state", "")

rlp_and_keccak()

if "frames" in groups:
    # Time against the specification's floor for the frame (FrameBenchmarks.swift): AES blocks and Keccak-f
    # permutations, each timed alone in the same run; the ratio is our time over the floor's (lower is better).
    primitives = (f"AES-256-CTR block {swift['floor.aes.ctr.block'][0] * 1e9:.1f} ns, AES-256 MAC block "
                  f"{swift['floor.aes.mac.block'][0] * 1e9:.1f} ns, Keccak-f[1600] {swift['floor.keccak.f'][0] * 1e9:.1f} ns")
    print(f"| frame floor, per primitive | {primitives} | | | |" if markdown else f"  per primitive: {primitives}")
    for size in (32, 64, 1024, 16384, 65536, 1 << 20):
        floor = swift[f"floor.frame.{size}"][0]
        target = "" if size == 16384 else ("<= 1.25x (time)" if size <= 1024 else "<= 1.10x (time)")
        for kind in ("seal", "open"):
            ours = swift[f"frame.{kind}.{size}"][0]
            name = f"frame {kind} {size} B"
            if markdown:
                print(f"| {name} | {size / ours / 1e6:.1f} MB/s | {size / floor / 1e6:.1f} MB/s (spec floor) | {ours / floor:.2f}x (time) | {target} |")
            else:
                print(f"{name:38} {size / ours / 1e6:9.1f} MB/s {size / floor / 1e6:9.1f} MB/s {'floor':>9} {ours / floor:8.2f}x   {target}")

if "handshake" in groups:
    ops = {"ecdh": 8, "sign": 1, "recover": 1, "pubkey": 4, "parse": 4}
    total = sum(count * swift[f"secp.{op}"][0] for op, count in ops.items())
    pair = swift["handshake.pair"][0]
    print(f"{'handshake pair (initiator + recipient)':38} {1 / pair:9.0f} /s    secp256k1 ops alone {1 / total:6.0f} /s {pair / total:8.2f}x   <= 1.30x (time)")
    print("  secp256k1 per pair: " + ", ".join(f"{count} x {op} {swift[f'secp.{op}'][0] * 1e6:.1f} us" for op, count in ops.items()))

if "eth" in groups:
    line("1 MiB Transactions: decode + every hash", mbps(swift["eth.transactions.decode"]), mbps(swift["keccak.eth.floor"]), "keccak", "(one by one)")
    line("1 MiB Transactions: decode + hashes", mbps(swift["eth.transactions.decode.batch"]), mbps(swift["keccak.eth.floor"]), "keccak", ">= 0.50x (batch)")
    line("1 MiB BlockBodies: decode", mbps(swift["eth.bodies.decode"]), mbps(swift["rlp.walk.bodies"]), "raw walk", "(owned values)")
    line("1 MiB Receipts (eth/69): decode", mbps(swift["eth.receipts.decode"]), mbps(swift["rlp.walk.receipts"]), "raw walk", "(owned values)")
    line("1 MiB BlockBodies: views, every field", mbps(swift["eth.bodies.view"]), mbps(swift["rlp.walk.bodies"]), "raw walk", ">= 0.50x")
    # The raw walk skips each typed transaction's bytes whole (one byte string); the deep walk also walks inside them.
    line("1 MiB BlockBodies: views, every field", mbps(swift["eth.bodies.view"]), mbps(swift["rlp.walk.bodies.deep"]), "deep walk", "")
    line("1 MiB Receipts (eth/69): views, every field", mbps(swift["eth.receipts.view"]), mbps(swift["rlp.walk.receipts"]), "raw walk", ">= 0.50x")
    line("1 MiB BlockBodies: views, hash every tx", mbps(swift["eth.bodies.view.hash"]), mbps(swift["rlp.walk.bodies.keccak"]), "walk+keccak", ">= 0.90x")
    single = swift["eth.sender.single"]
    parallel = next((k, v) for k, v in swift.items() if k.startswith("eth.sender.parallel."))
    cores = parallel[0].rsplit(".", 1)[1]
    one, many = single[0] / single[1] * 1e6, parallel[1][0] / parallel[1][1] * 1e6
    ours, alone = swift["eth.sender.turns"], swift["secp.recover.alone"]
    ours_us, alone_us = ours[0] / ours[1] * 1e6, alone[0] / alone[1] * 1e6
    if markdown:
        print(f"| sender recovery, 10,000 transactions | {one:.1f} us/tx (one core) | {many:.1f} us/tx ({cores} cores) | {one / many:.2f}x | |")
        print(f"| sender recovery vs libsecp256k1 alone | {ours_us:.1f} us/tx | {alone_us:.1f} us/tx (recover) | {ours_us / alone_us:.2f}x (time) | <= 1.15x (time) |")
    else:
        print(f"{'sender recovery, 10,000 transactions':38} {one:9.1f} us/tx single core; {many:.1f} us/tx on {cores} cores = {one / many:.2f}x")
        print(f"{'sender recovery vs libsecp256k1 alone':38} {ours_us:9.1f} us/tx {alone_us:9.1f} us/tx  recover  {ours_us / alone_us:8.2f}x   <= 1.15x (time)")

if "messages" in groups:
    print(f"{'message path (encode..decode)':38} {'msgs/s':>12} {'MB/s':>10} {'snappy+aes+keccak':>19} {'elsewhere':>10}   target")
    for size in (64, 1024, 65536):
        total = swift[f"message.path.{size}"][0]
        inner = sum(swift[f"message.{part}.{size}"][0] for part in ("snappy", "aes", "keccak"))
        share = max(0.0, 1 - inner / total)
        target = "< 15%" if size == 65536 else ""
        print(f"{f'{size} B payload':38} {1 / total:12.0f} {size / total / 1e6:10.1f} {inner / total * 100:18.1f}% {share * 100:9.1f}%   {target}")
PY
