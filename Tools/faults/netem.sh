#!/usr/bin/env bash
# Sessions under faults, in two network namespaces joined by a veth pair (nothing outside them is touched):
#   1. delay 100 ms ± 20 ms, 1% loss and 5% reordering both ways (tc netem; where the kernel has no netem, the same
#      faults from Tools/faults/link.py, a user-space relay between a TUN device in each namespace, and the run says
#      so): 300 echoed messages of 1 KiB must all arrive;
#   2. a partition (100% loss both ways) under 3 held sessions: serve must end each with "read timeout" 15-30 s
#      after the partition began: the read timeout (30 s, go-ethereum's frameReadTimeout) counts from the last frame
#      received, and both sides ping every 15 s, so that frame arrived at most 15 s before the partition;
#   3. after healing: no connection left established, and serve accepts a new session.
# Needs root (network namespaces, tc or TUN); prints "skipped: ..." and exits 0 otherwise. Every wait is bounded.
#   bash Tools/faults/netem.sh            (or RLPX_TOOL=path/to/rlpx-tool bash Tools/faults/netem.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then echo "skipped: network namespaces and tc need root"; exit 0; fi
if ! ip netns add rlpx-probe-check 2>/dev/null; then echo "skipped: this machine cannot create network namespaces"; exit 0; fi
ip netns del rlpx-probe-check
tool=${RLPX_TOOL:-}
if [ -z "$tool" ]; then swift build -c release --product rlpx-tool >&2; tool=$PWD/.build/release/rlpx-tool; fi
a=rlpx-a-$$ b=rlpx-b-$$ work=$(mktemp -d)
cleanup() {
    # SIGKILL: started by a test runner, these processes may have inherited SIGTERM blocked.
    kill -KILL $(jobs -p) 2>/dev/null || true
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    ip netns del "$a-try" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM  # so a killed run still removes its namespaces (the EXIT trap runs)
ip netns add "$a"
ip netns add "$b"
# netem where the kernel has it (tried in a namespace of its own), else the relay over TUN devices.
netem=yes
ip netns add "$a-try"
ip netns exec "$a-try" tc qdisc replace dev lo root netem delay 1ms 2>/dev/null || netem=no
ip netns del "$a-try"
if [ "$netem" = yes ]; then
    ip link add "va$$" netns "$a" type veth peer name "vb$$" netns "$b"
else
    [ -c /dev/net/tun ] || { echo "skipped: this kernel has no netem and no /dev/net/tun"; exit 0; }
    ip -n "$a" tuntap add mode tun name "va$$"
    ip -n "$b" tuntap add mode tun name "vb$$"
fi
ip -n "$a" addr add 10.77.0.1/24 dev "va$$"
ip -n "$b" addr add 10.77.0.2/24 dev "vb$$"
for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
ip -n "$a" link set "va$$" up
ip -n "$b" link set "vb$$" up
if [ "$netem" = no ]; then
    echo normal > "$work/link.mode"
    python3 "$(dirname "$0")/link.py" "$a" "va$$" "$b" "vb$$" "$work/link.mode" > "$work/link.out" 2>&1 &
    relay=$!
fi
shape() {  # shape normal | faulty | partition: the same on both ends
    if [ "$netem" = no ]; then
        echo "$1" > "$work/link.mode"
        sleep 0.2  # the relay reads its mode 20 times a second
        return
    fi
    for end in "$a:va$$" "$b:vb$$"; do
        local ns=${end%%:*} dev=${end##*:}
        case $1 in
            normal) ip netns exec "$ns" tc qdisc replace dev "$dev" root netem delay 1ms ;;
            faulty) ip netns exec "$ns" tc qdisc replace dev "$dev" root netem delay 100ms 20ms loss 1% reorder 5% ;;
            partition) ip netns exec "$ns" tc qdisc replace dev "$dev" root netem loss 100% ;;
        esac
    done
}
source Tools/lib/serve.sh
serve_start "$work/serve.out" ip netns exec "$a" "$tool" serve --listen 10.77.0.1:30303 --cap eth/68:17 --echo --log-level info
serve=$serve_pid
url=$serve_enode
descriptors() { ls "/proc/$serve/fd" | wc -l; }
fds=$(descriptors)

shape faulty
faults="delay 100±20 ms, 1% loss, 5% reordering"
[ "$netem" = yes ] || faults="$faults (no netem in this kernel: through Tools/faults/link.py)"
start=$(date +%s.%N)
ip netns exec "$b" "$tool" send "$url" --cap eth/68:17 --count 300 --size 1024 --window 32 --log-level error > "$work/send.out" 2>&1 \
    && echo "$faults: $(tail -1 "$work/send.out") (in $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s)" \
    || { echo "FAILED under delay and loss: $(cat "$work/send.out")"; exit 1; }

shape normal
ip netns exec "$b" "$tool" load "$url" --cap eth/68:17 --sessions 3 --messages 1 --size 64 --hold 60 --log-level error > "$work/load.out" 2>&1 &
sleep 3
before=$(grep -c 'session ended' "$work/serve.out.err" || true)
shape partition
partition=$(date +%s.%N)
ended=()
for _ in $(seq 450); do  # at most 45 s
    count=$(( $(grep -c 'session ended' "$work/serve.out.err" || true) - before ))
    while [ "${#ended[@]}" -lt "$count" ]; do ended+=("$(date +%s.%N)"); done
    [ "$count" -ge 3 ] && break
    sleep 0.1
done
shape normal
reasons=$(grep 'session ended' "$work/serve.out.err" | tail -n 3 | grep -c 'read timeout' || true)
python3 - "$partition" "${ended[@]:-}" <<PY
import sys
start, ends = float(sys.argv[1]), [float(x) for x in sys.argv[2:] if x]
print(f"partition: {len(ends)} of 3 sessions ended by serve, {$reasons} with 'read timeout', after " + ", ".join(f"{e - start:.1f} s" for e in ends))
ok = len(ends) == 3 and $reasons == 3 and all(14 <= e - start <= 32 for e in ends)
sys.exit(0 if ok else 1)
PY
sleep 2
established=$(ip netns exec "$a" ss -Htn state established '( sport = :30303 )' | wc -l)
ip netns exec "$b" "$tool" send "$url" --cap eth/68:17 --count 10 --size 64 --log-level error > "$work/after.out" 2>&1 \
    && echo "healed: $established connections left established on serve's side, $(descriptors) descriptors open (idle: $fds); a new session: $(tail -1 "$work/after.out")" \
    || { echo "FAILED after the partition: $(cat "$work/after.out")"; exit 1; }
if [ "$netem" = no ]; then
    echo stop > "$work/link.mode"
    for _ in $(seq 50); do kill -0 "$relay" 2>/dev/null || break; sleep 0.1; done
    echo "relay: $(tail -1 "$work/link.out")"
fi
[ "$established" -eq 0 ] && [ "$(descriptors)" -le "$fds" ]
