# Sourced by the scripts under Tools/: record loopback traffic of one TCP port with tcpdump (needs root).

# capture_start FILE PORT [BUFFER_KIB]: tcpdump on lo into FILE, for `tcp port PORT`, in the background; sets
# capture_pid. It returns once tcpdump has opened its file (at most 10 s), so nothing sent after it is missed.
capture_start() {
    local file=$1 port=$2 buffer=${3:-65536} _
    command -v tcpdump >/dev/null || apt-get install -y -qq tcpdump >/dev/null
    rm -f "$file"
    tcpdump -i lo -s 0 -B "$buffer" -U -w "$file" "tcp port $port" >/dev/null 2>&1 &
    capture_pid=$!
    for _ in $(seq 100); do [ -e "$file" ] && break; sleep 0.1; done
    sleep 0.5  # the file exists before the filter is attached
}

# capture_stop: lets tcpdump write what it holds and waits for it (at most 10 s).
capture_stop() {
    local _
    sleep 0.5
    kill -INT "$capture_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$capture_pid" 2>/dev/null || break; sleep 0.1; done
    wait "$capture_pid" 2>/dev/null || true
}
