# Sourced by the scripts under Tools/: start a listening peer in the background, read the enode it prints, stop it.
# Every wait is bounded (SERVE_WAIT seconds, 30 by default).

# serve_start OUT COMMAND...: runs COMMAND in the background (stdout to OUT, stderr to OUT.err) and waits for its
# first `enode://` line. Sets serve_pid, serve_enode and serve_port; returns 1, with what it printed, without one.
# COMMAND is usually `rlpx-tool serve …`, possibly behind `env`, `ip netns exec` or a sanitizer.
serve_start() {
    local out=$1
    shift
    "$@" > "$out" 2> "$out.err" &
    serve_pid=$!
    _await_enode "$out" "$*" "grep -m1 '^enode://'"
}

# trinity_start OUT ARGS...: trinity's listener (Tools/interop/trinity_peer.py listen ARGS...), which prints its
# enode inside a JSON line; sets serve_pid, serve_enode and serve_port like serve_start.
trinity_start() {
    local out=$1
    shift
    Tools/interop/.venv/bin/python Tools/interop/trinity_peer.py listen "$@" > "$out" 2> "$out.err" &
    serve_pid=$!
    _await_enode "$out" "trinity's listener" "head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"enode\"])'"
}

# _await_enode OUT WHAT EXTRACT: waits (SERVE_WAIT seconds) until EXTRACT, a pipeline reading OUT, prints the enode
# of serve_pid; sets serve_enode and serve_port, or returns 1 with what WHAT printed.
_await_enode() {
    local out=$1 what=$2 extract=$3 _
    serve_enode=""
    for _ in $(seq $(( ${SERVE_WAIT:-30} * 10 ))); do
        serve_enode=$(eval "$extract" < "$out" 2>/dev/null || true)
        [ -n "$serve_enode" ] && break
        kill -0 "$serve_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$serve_enode" ]; then
        echo "no enode within ${SERVE_WAIT:-30} s from: $what" >&2
        cat "$out" "$out.err" >&2 2>/dev/null || true
        return 1
    fi
    serve_port=${serve_enode##*:}
}

# serve_stop PID [SIGNAL]: signals PID (INT by default) and waits for it, at most 60 s, then kills it.
serve_stop() {
    local pid=$1 signal=${2:-INT} _
    kill "-$signal" "$pid" 2>/dev/null || return 0
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
