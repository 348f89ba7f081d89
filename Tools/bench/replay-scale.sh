#!/usr/bin/env bash
# Replay at scale: for each capture directory given (capture.pcap + keylog.txt, recorded by
# Tools/bench/record-scale-capture.sh), replays it with every rule in every format with the transcript on, and
# prints seconds, messages per second and peak resident memory; then with the findings only (no transcript, JSON
# Lines), best of three, beside the frame codec's own open rate on one core (rlpx-bench frames, measured in the
# same run) for the benchmarked frame size nearest the capture's mean bytes per message.
#   bash Tools/bench/replay-scale.sh /tmp/cap-small /tmp/cap-large ...
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/lib/release.sh
release_build rlpx-tool rlpx-bench
tool=$PWD/$release_dir/rlpx-tool
# "size:seconds-per-frame" for every frame size the codec benchmark opens.
opens=$($release_dir/rlpx-bench frames 2>/dev/null | awk '$1 ~ /^frame\.open\./ { sub("frame.open.", "", $1); printf "%s:%s ", $1, $2 }')
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
    best=
    for _ in 1 2 3; do
        stats=$( { /usr/bin/time -f "%e %M" "$tool" conformance "$directory/capture.pcap" --keylog "$directory/keylog.txt" \
            --format jsonl > /dev/null; } 2>&1 >/dev/null | tail -1 ) || true
        read -r seconds kilobytes <<< "$stats"
        best=$(python3 -c "print(min(float(x) for x in '$best $seconds'.split()))")
    done
    python3 -c "
size, messages, seconds = $size, $messages, $best
opens = {int(k): float(v) for k, v in (pair.split(':') for pair in '$opens'.split())}
frame = min(opens, key=lambda s: abs(s - size / messages))
rate, codec = messages / seconds, 1 / opens[frame]
print(f'$directory findings only (jsonl, best of 3): {seconds:.2f} s = {rate:,.0f} messages/s, {size / seconds / 1e6:.0f} MB/s; '
      f'the frame codec opens {codec:,.0f} {frame}-byte frames/s on one core: {rate / codec:.2f}x of one core')"
done
