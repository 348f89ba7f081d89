#!/usr/bin/env bash
# Peer throughput over loopback, ours beside trinity's in the same run:
#   ours:    rlpx-tool send -> rlpx-tool serve --echo (release build)
#   trinity: Tools/interop/trinity_peer.py dial --bench-size -> trinity_peer.py listen
# Same message sizes, same window of 1,024 messages in flight, every echo checked byte for byte; each figure is the
# median of three runs. Then the bound the frame codec puts on a 64 KiB echo here (each side seals and opens every
# byte once, on this machine's cores), and a load test: 500 concurrent sessions against one listener, with the
# listener's peak resident memory.
#   bash Tools/bench/peers.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/lib/release.sh
release_build rlpx-tool rlpx-bench
bash Tools/interop/setup.sh >&2
tool=$release_dir/rlpx-tool
python=Tools/interop/.venv/bin/python
source Tools/lib/serve.sh
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

serve_start "$work/serve.out" "$tool" serve --listen 127.0.0.1:0 --cap test/1:8 --echo --max-peers 2000 --log-level error
pids+=("$serve_pid")
ours=$serve_enode

# Each figure is the median of $runs runs (override with RUNS=n): loopback on a small machine is noisy.
runs=${RUNS:-3}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf '%-10s  %8s  %14s  %12s  %14s  %12s  %8s\n' size count "ours msg/s" "ours MB/s" "trinity msg/s" "trinity MB/s" ratio
for size in 64 1024 65536; do
    count=$(( size >= 65536 ? 2000 : 20000 ))
    tcount=$(( count / 10 ))
    : > "$work/ours.txt"
    : > "$work/trinity.txt"
    for _ in $(seq "$runs"); do
        line=$("$tool" send "$ours" --cap test/1:8 --count "$count" --size "$size" --log-level error | tail -1)
        echo "$line" | sed -E 's/.*: ([0-9.]+) messages\/s, ([0-9.]+) MB\/s.*/\1 \2/' >> "$work/ours.txt"
        trinity_start "$work/tl.out" --timeout 600
        pids+=("$serve_pid")
        trinity=$serve_enode
        "$python" Tools/interop/trinity_peer.py dial --enode "$trinity" --caps eth/68:17 --count "$tcount" \
            --bench-size "$size" --timeout 600 2>/dev/null | grep '"bench"' \
            | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["rate"], r["mbps"])' >> "$work/trinity.txt"
    done
    our_rate=$(cut -d' ' -f1 "$work/ours.txt" | median)
    our_mbps=$(cut -d' ' -f2 "$work/ours.txt" | median)
    t_rate=$(cut -d' ' -f1 "$work/trinity.txt" | median)
    t_mbps=$(cut -d' ' -f2 "$work/trinity.txt" | median)
    ratio=$(python3 -c "print(f'{$our_rate / $t_rate:.1f}x')")
    printf '%-10s %8s %14s %12s %14s %12s %8s\n' "$size B" "$count" "$our_rate" "$our_mbps" "$t_rate" "$t_mbps" "$ratio"
done

echo
# Seal and open of one 64 KiB frame, single-threaded, measured now (the same figures as `run.sh frames`).
$release_dir/rlpx-bench frames > "$work/frames.tsv"
python3 - "$work/frames.tsv" "$our_mbps" "$(nproc)" <<'PY'
import sys
rows = {line.split("\t")[0]: [float(x) for x in line.split("\t")[1:]] for line in open(sys.argv[1])}
ours, cores = float(sys.argv[2]), int(sys.argv[3])
seal = 65536 / rows["frame.seal.65536"][0] / 1e6
open_ = 65536 / rows["frame.open.65536"][0] / 1e6
# Every echoed byte is sealed and opened twice (once by each side); with every core busy on nothing else:
bound = cores / (2 / seal + 2 / open_)
print(f"frame codec, 64 KiB: seal {seal:.0f} MB/s, open {open_:.0f} MB/s per core; an echo over {cores} cores "
      f"is bounded at {bound:.0f} MB/s each way; ours reached {ours:.0f} MB/s ({ours / bound:.0%} of the bound)")
PY

echo
# A fresh listener for the load test, so its baseline is not inflated by the throughput runs.
serve_start "$work/load.out" "$tool" serve --listen 127.0.0.1:0 --cap test/1:8 --echo --max-peers 2000 --max-pending 1000 \
    --max-pending-per-address 1000 --log-level error
pids+=("$serve_pid")
load_pid=$serve_pid
baseline=$(awk '/VmRSS/ {print $2}' /proc/$load_pid/status)
"$tool" load "$serve_enode" --cap test/1:8 --sessions 500 --messages 20 --size 1024 --hold 2 --log-level error
peak=$(awk '/VmHWM/ {print $2}' /proc/$load_pid/status)
python3 -c "print(f'listener resident memory: {$baseline/1024:.1f} MiB before, {$peak/1024:.1f} MiB peak with 500 sessions: {($peak-$baseline)/500:.1f} KiB per session')"
