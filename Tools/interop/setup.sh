#!/usr/bin/env bash
# Creates Tools/interop/.venv with trinity's p2p package and its pinned dependencies (from PyPI, --no-deps so the
# closed set in requirements.txt is exactly what runs). Idempotent: does nothing when the venv already imports it.
set -euo pipefail
cd "$(dirname "$0")"
if [ -x .venv/bin/python ] && .venv/bin/python trinity_peer.py --check >/dev/null 2>&1; then exit 0; fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements.txt
.venv/bin/python trinity_peer.py --check
