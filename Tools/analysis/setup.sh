#!/usr/bin/env bash
# Creates Tools/analysis/.venv with DuckDB, Dask (distributed) and jsonschema from PyPI, pinned: requirements.txt
# is the closed set (pip freeze of a venv made from requirements.in), installed with --no-deps so exactly it runs.
# Idempotent: does nothing when the venv already imports them.
set -euo pipefail
cd "$(dirname "$0")"
if [ -x .venv/bin/python ] && .venv/bin/python -c 'import duckdb, dask.distributed, jsonschema' >/dev/null 2>&1; then exit 0; fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements.txt
.venv/bin/python -c 'import duckdb, dask.distributed, jsonschema'
