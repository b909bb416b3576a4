#!/usr/bin/env bash
# DuckDB gives the engine's figures (issue 22, goal 4), as tests/sqlite.rs checks SQLite's:
# the small provinces of tests/sqlite.rs exported by tests/duckdb_export.rs (SQLite files with
# the engine's 93 figures beside them, whole and by part, over its spans), then
# benches/sql/report.sql run by DuckDB (benches/duckdb/report.py) and every figure compared
# exactly. Needs cargo (a debug build of the test), python3 with pip, and PyPI the first time
# (duckdb, pinned, into target/python-duckdb). Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHONPATH=$(bash benches/duckdb/install.sh)
export PYTHONPATH
OUT=target/duckdb
rm -rf "$OUT"
CZ_DUCKDB_OUT="$PWD/$OUT" cargo test --quiet --test duckdb_export -- --ignored --exact export
"${PYTHON:-python3}" benches/duckdb/report.py check "$OUT"
