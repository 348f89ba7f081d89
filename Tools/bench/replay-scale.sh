#!/usr/bin/env bash
# Replay at scale: for each capture directory given (capture.pcap + keylog.txt, recorded by
# Tools/bench/record-scale-capture.sh), replays it with every rule in every format with the transcript on, and
# prints seconds, messages per second and peak resident memory; then the frame codec's own open rate for small
# frames (rlpx-bench frames) measured in the same run, as the reference for the messages-per-second figure.
#   bash Tools/bench/replay-scale.sh /tmp/cap-small /tmp/cap-large ...
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product rlpx-tool --product rlpx-bench >&2
tool=$PWD/.build/release/rlpx-tool
for directory in "$@"; do
    size=$(stat -c %s "$directory/capture.pcap")
    messages=0
    for format in jsonl text json tap junit; do
        stats=$( { /usr/bin/time -f "%e %M" "$tool" conformance "$directory/capture.pcap" --keylog "$directory/keylog.txt" \
            --transcript --format "$format" > "$directory/report.$format"; } 2>&1 >/dev/null | tail -1 ) || true
        [ "$format" != jsonl ] || messages=$(grep -c '"type":"message"' "$directory/report.jsonl" || true)
        read -r seconds kilobytes <<< "$stats"
        python3 -c "
size, seconds, kb, messages = $size, $seconds, $kilobytes, $messages
print(f'$directory $format: {size / 1e6:.0f} MB, {messages} messages in {seconds:.2f} s = {messages / seconds:,.0f} messages/s, {size / seconds / 1e6:.0f} MB/s, peak {kb / 1024:.0f} MiB')"
        rm -f "$directory/report.$format"
    done
done
.build/release/rlpx-bench frames 2>/dev/null | awk '$1 == "frame.open.64" { printf "frame codec opens 64-byte frames (the small capture'"'"'s size) at %.0f frames/s on one core\n", 1 / $2 }'
