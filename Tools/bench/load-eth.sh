#!/usr/bin/env bash
# Serving eth under load: `rlpx-tool serve --eth` on go-ethereum's test chain (../shared/vectors/ethtest, or
# RLPX_VECTORS/ethtest), and `rlpx-tool load --eth` against it over loopback for each request type (GetBlockHeaders
# of 1,024 headers, GetBlockBodies, GetReceipts), every answer checked byte for byte against the chain. Three runs
# each; prints requests/s, MB/s, latency p50/p99 and memory per session (the load process's growth, and when this
# script starts serve, serve's resident growth over its idle size), with the runs' spread. A go-ethereum node on
# the same chain is measured the same way by giving its enode: `bash Tools/bench/load-eth.sh ENODE`.
#   bash Tools/bench/load-eth.sh [ENODE]
set -euo pipefail
cd "$(dirname "$0")/../.."
source Tools/lib/release.sh
source Tools/lib/serve.sh
release_build rlpx-tool
tool=$PWD/$release_dir/rlpx-tool
chain=${RLPX_VECTORS:-../shared/vectors}/ethtest
[ -f "$chain/chain.rlp" ] || { echo "error: no test chain at $chain" >&2; exit 2; }
sessions=${SESSIONS:-4} duration=${DURATION:-5} window=${WINDOW:-8} runs=${RUNS:-3}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
target=${1:-}
if [ -z "$target" ]; then
    serve_start "$work/serve.out" "$tool" serve --listen 127.0.0.1:0 --eth --chain-dir "$chain" --max-peers 100 --log-level error
    target=$serve_enode
    echo "serve --eth (release) on $chain: $target" >&2
fi
# Resident kilobytes of the serve this script started (0 when measuring another node).
serve_rss() { [ -n "${serve_pid:-}" ] && awk '/^VmRSS/ {print $2}' "/proc/$serve_pid/status" || echo 0; }
idle=$(serve_rss)
for request in headers bodies receipts; do
    peak=0
    for run in $(seq "$runs"); do
        "$tool" load "$target" --eth --chain-dir "$chain" --request "$request" --sessions "$sessions" --duration "$duration" \
            --window "$window" --format json --log-level error > "$work/$request.$run.json" &
        load_pid=$!
        # serve's resident size while the sessions run, sampled every 0.2 s.
        while kill -0 "$load_pid" 2>/dev/null; do
            rss=$(serve_rss)
            [ "$rss" -le "$peak" ] || peak=$rss
            sleep 0.2
        done
        wait "$load_pid" || true
    done
    export SERVE_GROWTH_KIB=$(( peak > idle ? (peak - idle) / sessions : 0 )) SERVED=${serve_pid:+1}
    python3 - "$request" "$work"/"$request".*.json <<'PY'
import json, os, statistics, sys
request, files = sys.argv[1], sys.argv[2:]
runs = [json.load(open(f)) for f in files]
def spread(values, unit, scale=1.0, digits=1):
    values = [v * scale for v in values]
    return f"{statistics.median(values):,.{digits}f} {unit} ({min(values):,.{digits}f}-{max(values):,.{digits}f})"
rates = [r["requests"] / (r["microseconds"] / 1e6) for r in runs]
mbs = [r["bytes"] / (r["microseconds"] / 1e6) / 1e6 for r in runs]
print(f"{request}: {spread(rates, 'requests/s')}, {spread(mbs, 'MB/s')}, "
      f"p50 {spread([r['p50Microseconds'] for r in runs], 'ms', 1e-3, 2)}, p99 {spread([r['p99Microseconds'] for r in runs], 'ms', 1e-3, 2)}, "
      f"memory per session: load {spread([r['memoryPerSession'] for r in runs], 'KiB', 1 / 1024, 0)}"
      + (f", serve {int(os.environ['SERVE_GROWTH_KIB']):,} KiB at its peak, " if os.environ.get("SERVED") else ", ")
      + f"mismatches {sum(r['mismatches'] for r in runs)}, {runs[0]['sessions']} sessions x {len(runs)} runs")
PY
done
