#!/usr/bin/env bash
# The listener under a stalled-handshake flood, measured: `rlpx-tool serve` on loopback; 10,000 connections from
# 127.0.0.2 that each send one byte of an auth and then nothing; meanwhile a legitimate `ping` from 127.0.0.1
# (its total time is reported) and `load` with 200 sessions exchanging messages. Afterwards every stalled socket is
# closed and serve's resident memory is compared with its baseline. Loopback only; every loop is bounded. serve runs
# with 400 pending handshakes, 300 per address, so that 200 concurrent legitimate sessions from one address fit.
#   bash Tools/attack/stall-flood.sh [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-10000}
swift build -c release --product rlpx-tool >&2
tool=$PWD/.build/release/rlpx-tool
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n "$(ulimit -Hn)"
source Tools/lib/serve.sh
serve_start "$work/serve.out" "$tool" serve --listen 127.0.0.1:0 --cap eth/68:17 --echo --max-peers 1000 --max-pending 400 \
    --max-pending-per-address 300 --log-level error
serve=$serve_pid url=$serve_enode port=$serve_port
rss() { awk '/VmRSS/ {print $2}' "/proc/$serve/status"; }
# Warm up (allocator pools, NIO buffers) before the baseline.
"$tool" load "$url" --cap eth/68:17 --sessions 200 --messages 20 --size 1024 --log-level error > /dev/null 2>&1
sleep 1
sleep 2  # the idle trim, as after the flood
baseline=$(rss)
python3 - "$port" "$count" "$work/flood.ready" "$work/flood.done" <<'PY' &
import os, socket, sys, time
port, count, ready, done = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
sockets, refused = [], 0
for _ in range(count):
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    try:
        s.connect(("127.0.0.1", port))
        s.send(b"\x01")
        sockets.append(s)
    except OSError:
        refused += 1
        s.close()
open(ready, "w").write(f"{len(sockets)} {refused}\n")
for _ in range(600):  # bounded: at most 60 s
    if os.path.exists(done):
        break
    time.sleep(0.1)
closed = 0
for s in sockets:
    s.setblocking(False)
    try:
        if s.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
    s.close()
open(ready, "a").write(f"{closed}\n")
PY
flood=$!
for _ in $(seq 600); do [ -s "$work/flood.ready" ] && break; sleep 0.1; done
during=$(rss)
start=$(date +%s.%N)
"$tool" ping "$url" --timeout 5 > "$work/ping.out" 2>&1 && ping_ok=yes || ping_ok=no
end=$(date +%s.%N)
"$tool" load "$url" --cap eth/68:17 --sessions 200 --messages 20 --size 1024 --log-level error > "$work/load.out" 2>&1 && load_ok=yes || load_ok=no
touch "$work/flood.done"
wait "$flood" || true
# serve hands freed memory back once it has been idle for a second (it polls every second): give it 5 s.
sleep 5
after=$(rss)
read -r open refused < <(head -1 "$work/flood.ready")
closed=$(sed -n 2p "$work/flood.ready")
python3 -c "
baseline, during, after = $baseline, $during, $after
print(f'flood: {$count} connections from 127.0.0.2: {$open} connected, {$refused} refused at connect, {$closed} of the connected already closed by serve')
print(f'legitimate ping from 127.0.0.1 during the flood: $ping_ok in {($end - $start) * 1000:.0f} ms (handshake, Hello, Ping/Pong)')
print(f'200 legitimate sessions during the flood: $load_ok; ' + open('$work/load.out').read().strip().splitlines()[-1])
print(f'serve resident memory: baseline {baseline / 1024:.1f} MiB, during {during / 1024:.1f} MiB, after {after / 1024:.1f} MiB ({(after - baseline) / baseline * 100:+.1f}%)')"
