#!/usr/bin/env bash
# Records a capture for the replay scale benchmark (Tools/bench/replay-scale.sh): `send` (one connection) or `load`
# (many concurrent connections) against `serve --echo` over loopback, with tcpdump (needs root) and a key log.
#   sudo bash Tools/bench/record-scale-capture.sh OUT_DIR send COUNT SIZE
#   sudo bash Tools/bench/record-scale-capture.sh OUT_DIR load SESSIONS MESSAGES SIZE
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/lib/release.sh
out=$1 mode=$2
mkdir -p "$out"
source Tools/lib/serve.sh
source Tools/lib/capture.sh
tool=$release_dir/rlpx-tool
[ -x "$tool" ] || release_build rlpx-tool
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
rm -f "$out/keylog.txt"
serve_start "$work/serve.out" "$tool" serve --listen 127.0.0.1:0 --cap test/1:8 --echo --max-peers 5000 --max-pending 5000 \
    --max-pending-per-address 5000 --keylog "$out/keylog.txt" --log-level error
url=$serve_enode
capture_start "$out/capture.pcap" "$serve_port" 262144
case $mode in
    send) "$tool" send "$url" --cap test/1:8 --count "$3" --size "$4" --log-level error >&2 ;;
    load) ulimit -n "$(ulimit -Hn)"; "$tool" load "$url" --cap test/1:8 --sessions "$3" --messages "$4" --size "$5" --hold 2 --log-level error >&2 ;;
esac
capture_stop
ls -l "$out/capture.pcap" >&2
