#!/usr/bin/env bash
# The whole test suite under ThreadSanitizer and AddressSanitizer (with LeakSanitizer), each in its own build
# directory; fails when either run fails a test or a sanitizer reports anything. Suppressions, each with its reason,
# are in Tools/sanitizers/; only the toolchain's and Foundation's code may be suppressed there.
# CI runs this nightly (`RLPX_CI_SANITIZE=1 bash .ci/run`); a change to the peer runner runs it before it lands.
#   bash Tools/sanitizers/run.sh [thread|address]...      (both when none is named; builds go to
#   ${RLPX_SANITIZE_SCRATCH:-.build}/sanitize-<name>)
set -uo pipefail
cd "$(dirname "$0")/../.."
sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(thread address)
status=0
for sanitizer in "${sanitizers[@]}"; do
    scratch=${RLPX_SANITIZE_SCRATCH:-.build}/sanitize-$sanitizer
    log=$scratch.log
    mkdir -p "$(dirname "$scratch")"
    echo "== $sanitizer: building" >&2
    if ! swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" > "$log" 2>&1; then
        tail -20 "$log" >&2
        status=1
        continue
    fi
    echo "== $sanitizer: testing (log: $log)" >&2
    # One test at a time, with 4 times the usual time to react: sanitized code is several times slower, and run
    # in parallel on two cores the network tests starve behind the vector ones (a handshake then takes seconds).
    RLPX_TEST_TIME_SCALE=4 \
    TSAN_OPTIONS="suppressions=$PWD/Tools/sanitizers/thread.supp halt_on_error=0 history_size=4" \
    ASAN_OPTIONS="detect_leaks=1" \
    LSAN_OPTIONS="suppressions=$PWD/Tools/sanitizers/leak.supp print_suppressions=1" \
        swift test --sanitize="$sanitizer" --scratch-path "$scratch" --skip-build --no-parallel > "$log" 2>&1
    tests=$?
    reports=$(grep -c "WARNING: ThreadSanitizer\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer" "$log")
    suppressed=$(grep -A20 "Suppressions used" "$log" | grep -E "^ +[0-9]+ +[0-9]+ " || true)
    tail -1 "$log" | grep -E "Test run|passed|failed" >&2 || true
    echo "== $sanitizer: $reports sanitizer reports, test exit status $tests" >&2
    [ -z "$suppressed" ] || echo "suppressed (count bytes pattern):"$'\n'"$suppressed" >&2
    if [ "$tests" -ne 0 ] || [ "$reports" -ne 0 ]; then
        grep -n "✘\|WARNING: ThreadSanitizer\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|SUMMARY" "$log" | head -40 >&2
        status=1
    fi
done
exit $status
