#!/usr/bin/env bash
# Soak: `rlpx-tool serve --echo` on loopback under back-to-back `load` rounds (200 sessions x 50 messages of 1 KiB,
# a new set of sessions each round) and a `ping` every round, for a fixed time. serve's resident memory is sampled
# every 10 s; the script prints the curve (one line a minute), the figure after warm-up (the first minute) and at the
# end, the least-squares slope after warm-up in KiB/min, and the sessions served. With `--leaks`, serve is an
# AddressSanitizer build instead, stopped with SIGTERM at the end so LeakSanitizer reports what it never freed
# (its report is printed; "no leaks" when there is none). Loopback only; every loop is bounded by the duration.
#   bash Tools/soak/serve-load.sh [minutes=10] [--leaks]
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:-10}
leaks=${2:-}
if [ "$leaks" = "--leaks" ]; then
    # The same build directory as Tools/sanitizers/run.sh address.
    scratch=${RLPX_SANITIZE_SCRATCH:-.build}/sanitize-address
    swift build --product rlpx-tool --sanitize=address --scratch-path "$scratch" >&2
    serve_tool=$(swift build --sanitize=address --scratch-path "$scratch" --show-bin-path)/rlpx-tool
else
    serve_tool=""
fi
swift build -c release --product rlpx-tool >&2
tool=$PWD/.build/release/rlpx-tool
serve_tool=${serve_tool:-$tool}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n "$(ulimit -Hn)"
source Tools/lib/serve.sh
SERVE_WAIT=60 serve_start "$work/serve.out" env ASAN_OPTIONS=detect_leaks=1 "$serve_tool" serve --listen 127.0.0.1:0 \
    --cap eth/68:17 --echo --max-peers 1000 --max-pending 400 --max-pending-per-address 300 --log-level error
serve=$serve_pid
url=$serve_enode
start=$(date +%s)
deadline=$((start + minutes * 60))
(
    while kill -0 "$serve" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
        echo "$(( $(date +%s) - start )) $(awk '/VmRSS/ {print $2}' "/proc/$serve/status")"
        sleep 10
    done
) > "$work/rss" &
sampler=$!
rounds=0
failed=0
while [ "$(date +%s)" -lt "$deadline" ]; do
    "$tool" load "$url" --cap eth/68:17 --sessions 200 --messages 50 --size 1024 --log-level error > "$work/load.out" 2>&1 \
        || failed=$((failed + 1))
    "$tool" ping "$url" --timeout 5 > /dev/null 2>&1 || failed=$((failed + 1))
    rounds=$((rounds + 1))
done
wait "$sampler" || true
kill -TERM "$serve"
for _ in $(seq 600); do kill -0 "$serve" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$serve" 2>/dev/null; then echo "serve did not stop within 60 s of SIGTERM"; exit 1; fi
serve_status=0
wait "$serve" || serve_status=$?
python3 - "$work/rss" "$rounds" "$failed" "$minutes" <<'PY'
import sys
samples = [tuple(map(int, line.split())) for line in open(sys.argv[1]) if line.strip()]
rounds, failed, minutes = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print(f"soak: {minutes} min, {rounds} rounds of 200 sessions x 50 messages + 1 ping ({rounds * 201} sessions), {failed} failed")
print("resident memory (MiB) by minute:")
for t, kib in samples:
    if t % 60 < 10:
        print(f"  {t // 60:3d} min  {kib / 1024:7.1f}")
warm = [(t, kib) for t, kib in samples if t >= 60]
if len(warm) >= 2:
    n = len(warm)
    mt = sum(t for t, _ in warm) / n
    mk = sum(k for _, k in warm) / n
    slope = sum((t - mt) * (k - mk) for t, k in warm) / sum((t - mt) ** 2 for t, _ in warm) * 60
    lo, hi = min(k for _, k in warm), max(k for _, k in warm)
    print(f"after warm-up: first {warm[0][1] / 1024:.1f} MiB, last {warm[-1][1] / 1024:.1f} MiB, "
          f"range {lo / 1024:.1f}-{hi / 1024:.1f} MiB, slope {slope:+.1f} KiB/min")
PY
if [ "$leaks" = "--leaks" ]; then
    if grep -q "LeakSanitizer" "$work/serve.out.err"; then
        grep -A3 "SUMMARY\|Direct leak\|Indirect leak" "$work/serve.out.err" | head -80
        exit 1
    fi
    # serve must have ended by itself (status 0 after SIGTERM), or LeakSanitizer never ran.
    [ "$serve_status" -eq 0 ] || { echo "serve exited with status $serve_status"; exit 1; }
    echo "LeakSanitizer: no leaks in serve (it stopped cleanly after SIGTERM)"
fi
