#!/usr/bin/env bash
# Memory per connection on `rlpx-tool serve`, from its resident memory: N pending connections (each sent one byte
# of an auth, from 127.0.0.2, then nothing) and then N established sessions (`load --hold`, after handshake and
# Hello). Each figure is the growth over the idle baseline divided by N; the kernel's socket buffers are not in it.
# Loopback only; every wait is bounded.
#   bash Tools/attack/connection-memory.sh [N=2000]
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-2000}
swift build -c release --product rlpx-tool >&2
tool=$PWD/.build/release/rlpx-tool
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n "$(ulimit -Hn)"
source Tools/lib/serve.sh
serve_start "$work/serve.out" "$tool" serve --listen 127.0.0.1:0 --cap eth/68:17 --echo --max-peers $((count + 10)) \
    --max-pending $((count + 10)) --max-pending-per-address $((count + 10)) --log-level error
serve=$serve_pid url=$serve_enode port=$serve_port
rss() { awk '/VmRSS/ {print $2}' "/proc/$serve/status"; }
# Warm up with a round of sessions, let serve trim, then take the baseline.
"$tool" load "$url" --cap eth/68:17 --sessions 200 --messages 5 --size 64 --log-level error > /dev/null 2>&1
sleep 3
baseline=$(rss)
python3 - "$port" "$count" "$work/pending.ready" "$work/pending.done" <<'PY' &
import os, socket, sys, time
port, count, ready, done = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
sockets = []
for _ in range(count):
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    s.connect(("127.0.0.1", port))
    s.send(b"\x01")
    sockets.append(s)
open(ready, "w").write("ready\n")
for _ in range(300):  # at most 30 s
    if os.path.exists(done):
        break
    time.sleep(0.1)
PY
flood=$!
for _ in $(seq 300); do [ -s "$work/pending.ready" ] && break; sleep 0.1; done
sleep 1
pending=$(rss)
touch "$work/pending.done"
wait "$flood" || true
sleep 3
idle=$(rss)
"$tool" load "$url" --cap eth/68:17 --sessions "$count" --messages 1 --size 64 --hold 8 --log-level error > "$work/load.out" 2>&1 &
load=$!
sleep 6
established=$(rss)
wait "$load" || true
python3 -c "
count, baseline, pending, idle, established = $count, $baseline, $pending, $idle, $established
print(f'serve idle: {baseline / 1024:.1f} MiB')
print(f'{count} pending connections: +{(pending - baseline) / 1024:.1f} MiB = {(pending - baseline) * 1024 / count / 1024:.2f} KiB each')
print(f'{count} established sessions (handshake, Hello, one echo, held): +{(established - idle) / 1024:.1f} MiB = {(established - idle) * 1024 / count / 1024:.2f} KiB each')
print('load: ' + open('$work/load.out').read().strip().splitlines()[-1])"
