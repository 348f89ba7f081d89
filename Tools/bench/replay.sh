#!/usr/bin/env bash
# Replay speed: records a ~100 MB capture of 64 KiB messages over loopback (tcpdump, needs root), replays it with
# `rlpx-tool conformance`, and prints the replay's MB/s of capture beside the frame codec's own opening speed
# (rlpx-bench frames, 1 MiB frames) measured in the same run. Target: at least half.
#   sudo bash Tools/bench/replay.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/lib/release.sh
source Tools/lib/serve.sh
source Tools/lib/capture.sh
release_build rlpx-tool rlpx-bench
tool=$release_dir/rlpx-tool
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
serve_start "$work/serve.out" "$tool" serve --listen 127.0.0.1:0 --cap test/1:8 --echo --keylog "$work/keylog.txt" --log-level error
capture_start "$work/capture.pcap" "$serve_port"
"$tool" send "$serve_enode" --cap test/1:8 --count 800 --size 65536 --log-level error >&2
capture_stop
size=$(stat -c %s "$work/capture.pcap")
start=$(date +%s.%N)
"$tool" conformance "$work/capture.pcap" --keylog "$work/keylog.txt" > "$work/report.txt" 2>/dev/null
end=$(date +%s.%N)
open=$($release_dir/rlpx-bench frames 2>/dev/null | awk '$1 == "frame.open.1048576" {print $2}')
python3 -c "
size, seconds, open = $size, $end - $start, $open
replay, codec = size / seconds / 1e6, 1048576 / open / 1e6
print(f'capture {size / 1e6:.1f} MB replayed in {seconds:.3f} s: {replay:.0f} MB/s; frame codec opens {codec:.0f} MB/s; ratio {replay / codec:.2f} (target >= 0.5)')"
grep -E 'breaches' "$work/report.txt"
