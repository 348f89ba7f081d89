#!/usr/bin/env bash
# Records the conformance captures under Vectors/captures/<name>/: capture.pcap (tcpdump on lo), keylog.txt (written
# by our peers) and expected-findings.json (the breaches and non-strict findings of `rlpx-tool conformance` with
# every rule, reviewed before committing; informational notes such as an unvalidated fork ID are left out). The
# peers speak valid eth (`send` opens with a Status, then Transactions) or, for random payloads, a protocol of their
# own (test/1:8: trinity's dialer sends random bytes on every code it shares), so the clean captures replay with
# every rule to no breach and each fault capture to its one fault.
# Needs root for tcpdump, Debian's tcpdump package, and Tools/interop/setup.sh (run when needed) for the trinity captures.
#   sudo bash Tools/record-captures.sh [name ...]       (RLPX_TOOL=path uses that rlpx-tool instead of a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tcpdump >/dev/null || apt-get install -y -qq tcpdump >/dev/null
if [ -z "${RLPX_TOOL:-}" ]; then swift build -c release --product rlpx-tool >&2; fi
tool=${RLPX_TOOL:-$PWD/.build/release/rlpx-tool}
python=$PWD/Tools/interop/.venv/bin/python
peer=$PWD/Tools/interop/trinity_peer.py
caps=(--cap eth/68:17 --cap snap/1:8 --cap test/1:8)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# record NAME SERVER CLIENT: SERVER is "swift [args]" or "trinity [args]", CLIENT likewise ("swift" runs `send`).
record() {
    local name=$1 server=$2 client=$3 out=Vectors/captures/$1
    echo "recording $name" >&2
    rm -f "$work"/*
    mkdir -p "$out"
    read -r kind args <<<"$server"
    if [ "$kind" = swift ]; then
        # shellcheck disable=SC2086
        "$tool" serve --listen 127.0.0.1:0 "${caps[@]}" --echo --keylog "$work/keylog.txt" --log-level error $args > "$work/server.out" 2>/dev/null &
        for _ in $(seq 50); do [ -s "$work/server.out" ] && break; sleep 0.1; done
        url=$(head -1 "$work/server.out")
    else
        bash Tools/interop/setup.sh >&2  # idempotent; only the trinity captures need it
        # shellcheck disable=SC2086
        "$python" "$peer" listen --timeout 60 $args > "$work/server.out" 2>/dev/null &
        for _ in $(seq 100); do [ -s "$work/server.out" ] && break; sleep 0.1; done
        url=$(head -1 "$work/server.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["enode"])')
    fi
    server_pid=$!
    port=${url##*:}
    tcpdump -i lo -s 0 -U -w "$work/capture.pcap" "tcp port $port" >/dev/null 2>&1 &
    dump_pid=$!
    sleep 1
    read -r kind args <<<"$client"
    if [ "$kind" = swift ]; then
        # shellcheck disable=SC2086
        "$tool" send "$url" --cap eth/68:17 --count 20 --size 1500 --keylog "$work/keylog.txt" --log-level error $args >/dev/null || true
    else
        bash Tools/interop/setup.sh >&2
        # shellcheck disable=SC2086
        "$python" "$peer" dial --enode "$url" --caps test/1:8 --count 10 $args >/dev/null 2>&1 || true
    fi
    sleep 1
    kill -INT "$dump_pid" 2>/dev/null || true
    kill -INT "$server_pid" 2>/dev/null || true
    wait "$dump_pid" 2>/dev/null || true
    sleep 0.3
    cp "$work/capture.pcap" "$work/keylog.txt" "$out/"
    { "$tool" conformance "$out/capture.pcap" --keylog "$out/keylog.txt" --format json 2>/dev/null || true; } \
        | python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({"connections": [c["status"] for c in r["connections"]], "findings": sorted({(f["rule"], f["side"]) for f in r["findings"] if f["severity"] != "informational"})}, indent=1))' \
        > "$out/expected-findings.json"
    cat "$out/expected-findings.json" >&2
}

# record_discv4 NAME: `discv4 ping` and `discv4 resolve` against `discv4 listen` (udp on lo); no key log is needed.
record_discv4() {
    local name=$1 out=Vectors/captures/$1
    echo "recording $name" >&2
    rm -f "$work"/*
    mkdir -p "$out"
    "$tool" discv4 listen --host 127.0.0.1 --port 0 --duration 30 > "$work/server.out" 2>/dev/null &
    local server_pid=$!
    for _ in $(seq 50); do [ "$(wc -l < "$work/server.out")" -ge 2 ] && break; sleep 0.1; done
    local url port
    url=$(sed -n 2p "$work/server.out")
    port=${url##*discport=}
    port=${port##*:}
    tcpdump -i lo -s 0 -U -w "$work/capture.pcap" "udp port $port" >/dev/null 2>&1 &
    local dump_pid=$!
    sleep 1
    "$tool" discv4 ping "$url" >/dev/null || true
    "$tool" discv4 resolve "$url" >/dev/null || true
    sleep 1
    kill -INT "$dump_pid" 2>/dev/null || true
    kill -INT "$server_pid" 2>/dev/null || true
    wait "$dump_pid" 2>/dev/null || true
    cp "$work/capture.pcap" "$out/"
    { "$tool" conformance "$out/capture.pcap" --format json 2>/dev/null || true; } \
        | python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({"connections": [c["status"] for c in r["connections"]], "findings": sorted({(f["rule"], f["side"]) for f in r["findings"] if f["severity"] != "informational"})}, indent=1))' \
        > "$out/expected-findings.json"
    cat "$out/expected-findings.json" >&2
}

all=(swift-swift-v5 swift-swift-v4 swift-dials-trinity-v5 swift-dials-trinity-v4 trinity-dials-swift-legacy-v5
     trinity-dials-swift-eip8-v4 fault-code-out-of-range fault-uncompressed fault-snappy-bomb fault-after-disconnect
     fault-unknown-reason fault-non-canonical fault-bad-mac fault-hello-size fault-no-pong discv4-ping-resolve)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")
for name in "${names[@]}"; do
    case $name in
    swift-swift-v5) record "$name" "swift" "swift" ;;
    swift-swift-v4) record "$name" "swift --p2p-version 4" "swift --p2p-version 4" ;;
    swift-dials-trinity-v5) record "$name" "trinity" "swift" ;;
    swift-dials-trinity-v4) record "$name" "trinity --p2p-version 4" "swift" ;;
    trinity-dials-swift-legacy-v5) record "$name" "swift" "trinity" ;;
    trinity-dials-swift-eip8-v4) record "$name" "swift" "trinity --eip8 --p2p-version 4" ;;
    fault-hello-size) record "$name" "swift" "swift --client-id $(printf 'x%.0s' $(seq 2100))" ;;
    fault-no-pong) NO_PONG_WAIT=16 record "$name" "swift --fault no-pong" "swift --fault ping --count 1" ;;
    fault-*) record "$name" "swift" "swift --fault ${name#fault-}" ;;
    discv4-*) record_discv4 "$name" ;;
    *) echo "unknown capture $name" >&2; exit 2 ;;
    esac
done
