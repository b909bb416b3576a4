#!/usr/bin/env bash
# Installs the pinned DuckDB Python package into target/python-duckdb (not into the system's
# Python): `pip install --target`, skipped when that version is already there.
# Used by benches/duckdb/check.sh; prints the directory for PYTHONPATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=2.0.0
DIR=target/python-duckdb
PYTHON=${PYTHON:-python3}
if ! PYTHONPATH=$DIR "$PYTHON" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$VERSION')" 2>/dev/null; then
    rm -rf "$DIR"
    PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --target "$DIR" "duckdb==$VERSION" >&2
fi
echo "$PWD/$DIR"
