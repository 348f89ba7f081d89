#!/usr/bin/env bash
# Installs what a fresh Debian machine with the Swift toolchain lacks for building and testing this package.
# Only missing packages are installed, so a machine that has them makes no network call.
# The C libraries are those the next layers link (secp256k1, snappy, pcap, OpenSSL); pkg-config finds them.
# tshark reads the decrypted export back with Tools/wireshark/rlpx.lua in the tests; tcpdump records the README's
# conformance workflow in a test; iproute2 builds the fault
# network of Tools/faults/netem.sh (tc netem, or TUN devices and Tools/faults/link.py where the kernel has no netem).
# chromium (headless) opens the HTML reports in the browser tests.
set -euo pipefail
packages=(pkg-config libsecp256k1-dev libsnappy-dev libpcap-dev libssl-dev tshark tcpdump iproute2 chromium)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "swift is not on PATH: install the Swift 6.3 toolchain" >&2; exit 1; }
# trinity's p2p package (PyPI, pinned) in Tools/interop/.venv: the independent peer of the interop tests.
bash "$(dirname "$0")/interop/setup.sh"
# DuckDB, Dask and jsonschema (PyPI, pinned) in Tools/analysis/.venv: the report schema check, analysis and fan-out.
bash "$(dirname "$0")/analysis/setup.sh"
