#!/usr/bin/env bash
# Replay at scale: for each capture directory given (capture.pcap + keylog.txt, recorded by
# Tools/bench/record-scale-capture.sh), replays it with every rule, findings only and with the transcript in each
# format that has one (text, JSON, JSON Lines), in turns, three rounds; prints each one's best seconds, messages per
# second and peak resident memory, the transcript's rate as a ratio of the findings-only rate, and the findings-only
# rate beside the frame codec's own open rate on one core (rlpx-bench frames, measured in the same run) for the
# benchmarked frame size nearest the capture's mean bytes per message.
# With AVX2_ONLY=1 every process runs what an AVX2-only CPU runs: RLPX_CPU=avx2 sets the project's AVX-512 Keccak
# kernels aside, and OPENSSL_ia32cap hides AVX-512 and VAES from OpenSSL's AES.
#   bash Tools/bench/replay-scale.sh /tmp/cap-small /tmp/cap-large ...
#   AVX2_ONLY=1 bash Tools/bench/replay-scale.sh /tmp/cap-small
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/lib/release.sh
release_build rlpx-tool rlpx-bench
tool=$PWD/$release_dir/rlpx-tool
rounds=${ROUNDS:-3}
if [ "${AVX2_ONLY:-}" = 1 ]; then
    # CPUID leaf 7: EBX bits 16, 17, 21, 28, 30, 31 (AVX-512 F, DQ, IFMA, CD, BW, VL), ECX bits 9, 10 (VAES, VPCLMULQDQ).
    export RLPX_CPU=avx2 OPENSSL_ia32cap=":~0x600D0230000"
    echo "AVX2 only: AVX-512 set aside (RLPX_CPU=$RLPX_CPU, OPENSSL_ia32cap=$OPENSSL_ia32cap)"
fi
# "size:seconds-per-frame" for every frame size the codec benchmark opens.
opens=$($release_dir/rlpx-bench frames 2>/dev/null | awk '$1 ~ /^frame\.open\./ { sub("frame.open.", "", $1); printf "%s:%s ", $1, $2 }')
for directory in "$@"; do
    size=$(stat -c %s "$directory/capture.pcap")
    # The messages replayed: the JSON Lines transcript's message lines.
    messages=$("$tool" conformance "$directory/capture.pcap" --keylog "$directory/keylog.txt" --caps test/1:8 --transcript --format jsonl \
        | grep -c '"type":"message"' || true)
    results=$(mktemp)
    for _ in $(seq "$rounds"); do
        for run in findings jsonl text json; do
            flags=(--format jsonl)
            [ "$run" = findings ] || flags=(--transcript --format "$run")
            stats=$( { /usr/bin/time -f "%e %M" "$tool" conformance "$directory/capture.pcap" --keylog "$directory/keylog.txt" --caps test/1:8 \
                "${flags[@]}" > /dev/null; } 2>&1 | tail -1 ) || true
            echo "$run $stats" >> "$results"
        done
    done
    python3 - "$results" <<PY
import sys
size, messages, directory = $size, $messages, "$directory"
best = {}  # run: (fewest seconds, most kilobytes) over the rounds
for line in open(sys.argv[1]):
    run, seconds, kb = line.split()
    old = best.get(run, (float("inf"), 0))
    best[run] = (min(old[0], float(seconds)), max(old[1], int(kb)))
found = messages / best["findings"][0]
for run in ["findings", "jsonl", "text", "json"]:
    seconds, kb = best[run]
    rate = messages / seconds
    label = "findings only" if run == "findings" else f"transcript {run}"
    ratio = "" if run == "findings" else f", {rate / found:.2f}x the findings-only rate"
    print(f"{directory} {label} (best of $rounds): {size / 1e6:.0f} MB, {messages} messages in {seconds:.2f} s = {rate:,.0f} messages/s{ratio}, peak {kb / 1024:.0f} MiB")
opens = {int(k): float(v) for k, v in (pair.split(':') for pair in "$opens".split())}
frame = min(opens, key=lambda s: abs(s - size / messages))
codec = 1 / opens[frame]
print(f"{directory}: the frame codec opens {codec:,.0f} {frame}-byte frames/s on one core; findings-only replay is {found / codec:.2f}x of one core")
PY
    rm -f "$results"
done
