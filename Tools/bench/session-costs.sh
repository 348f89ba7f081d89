#!/usr/bin/env bash
# What one message costs a session on loopback, on each side: `rlpx-tool send` against `rlpx-tool serve --echo`
# (window 1,024) at 64 B and 1 KiB. Prints messages/s (median of three plain runs), system calls per message
# (strace -c on each process) and heap allocations per message (an LD_PRELOAD counter,
# Tools/bench/malloc-count). Per-message figures are differences between a run of N and a run of 2N messages, so
# start-up, handshake and teardown cancel out.
#   bash Tools/bench/session-costs.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/lib/release.sh
release_build rlpx-tool
command -v strace >/dev/null || { echo "session-costs.sh needs strace (apt-get install strace)" >&2; exit 2; }
tool=$PWD/$release_dir/rlpx-tool
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done  # serve writes its count file as it exits
    rm -rf "$work"
}
trap cleanup EXIT
source Tools/lib/serve.sh
cc -O2 -shared -fPIC -o "$work/malloc_count.so" Tools/bench/malloc-count/malloc_count.c

serve_start "$work/serve.out" env MALLOC_COUNT_FILE="$work/serve.count" LD_PRELOAD="$work/malloc_count.so" \
    "$tool" serve --listen 127.0.0.1:0 --cap test/1:8 --echo --log-level error
serve=$serve_pid
pids+=("$serve")
enode=$serve_enode

# One sender command line, run plain, under the allocation counter or under strace: COUNT and SIZE follow it.
sender=("$tool" send "$enode" --cap test/1:8 --log-level error)
send() { "${sender[@]}" --count "$1" --size "$2"; }
serve_allocations() {
    kill -USR2 "$serve"
    for _ in $(seq 50); do [ -s "$work/serve.count" ] && break; sleep 0.05; done
    sleep 0.1
    awk '{print $2}' "$work/serve.count"
    rm -f "$work/serve.count"
}
send_allocations() {
    MALLOC_COUNT_FILE="$work/send.count" LD_PRELOAD="$work/malloc_count.so" send "$1" "$2" > /dev/null
    awk '{print $2}' "$work/send.count"
}
# Total system calls of a process as strace -c counts them (the "total" line).
calls() { awk '$NF == "total" {print $(NF-1)}' "$1"; }
send_syscalls() {
    strace -f -c -o "$work/send.strace" "${sender[@]}" --count "$1" --size "$2" > /dev/null
    calls "$work/send.strace"
}
serve_syscalls() {
    strace -f -c -o "$work/serve.strace" -p "$serve" 2>/dev/null &
    local tracer=$!
    sleep 0.5
    send "$1" "$2" > /dev/null
    kill -INT "$tracer"
    wait "$tracer" 2>/dev/null || true
    calls "$work/serve.strace"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '%-8s  %12s  %18s  %18s  %18s  %18s\n' size "msgs/s" "send syscalls/msg" "serve syscalls/msg" "send allocs/msg" "serve allocs/msg"
for size in 64 1024; do
    n=20000
    send 2000 "$size" > /dev/null  # warm the listener
    rate=$(for _ in 1 2 3; do send "$n" "$size" | tail -1 | sed -E 's/.*: ([0-9.]+) messages\/s.*/\1/'; done | median)
    s1=$(send_syscalls "$n" "$size"); s2=$(send_syscalls $((2 * n)) "$size")
    v1=$(serve_syscalls "$n" "$size"); v2=$(serve_syscalls $((2 * n)) "$size")
    a1=$(send_allocations "$n" "$size"); a2=$(send_allocations $((2 * n)) "$size")
    b0=$(serve_allocations); send "$n" "$size" > /dev/null
    b1=$(serve_allocations); send $((2 * n)) "$size" > /dev/null
    b2=$(serve_allocations)
    python3 - "$size" "$rate" "$n" "$s1" "$s2" "$v1" "$v2" "$a1" "$a2" "$b0" "$b1" "$b2" <<'PY'
import sys
size, rate, n = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
s1, s2, v1, v2, a1, a2, b0, b1, b2 = (int(x) for x in sys.argv[4:])
per = lambda first, second: (second - first) / n
# serve: the 2N run minus the N run, each measured as a difference of its counters.
serve_allocs = ((b2 - b1) - (b1 - b0)) / n
print(f"{size + ' B':8} {rate:12.0f} {per(s1, s2):18.3f} {per(v1, v2):18.3f} {per(a1, a2):18.2f} {serve_allocs:18.2f}")
PY
done
echo "(per message = one message sent and its echo received, on the sending side; one received and echoed, on the listener)"
