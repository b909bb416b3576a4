#!/usr/bin/env bash
# Runs the Python binding's tests (unittest, standard library only).
#   CZ_LIB_DIR       directory holding libchuangzheng.so   (default: <repo>/target/debug)
#   CZ_SCENARIO_DIR  commands.jsonl, report.json, ...      (default: <repo>/target/bindings-scenario)
# Build first: `cargo build --lib --bin chuangzheng`. When the default scenario directory is
# missing, it is generated with `target/debug/chuangzheng demo --small`.
# Extra arguments go to unittest (e.g. -k threads). Exits non-zero on failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"

export CZ_LIB_DIR="${CZ_LIB_DIR:-${repo}/target/debug}"
if [[ ! -f "${CZ_LIB_DIR}/libchuangzheng.so" ]]; then
  echo "${CZ_LIB_DIR}/libchuangzheng.so not found: run cargo build --lib (or set CZ_LIB_DIR)" >&2
  exit 1
fi
if [[ -z "${CZ_SCENARIO_DIR:-}" ]]; then
  export CZ_SCENARIO_DIR="${repo}/target/bindings-scenario"
  if [[ ! -f "${CZ_SCENARIO_DIR}/report.json" || ! -f "${CZ_SCENARIO_DIR}/commands.jsonl" ]]; then
    echo "generating the scenario in ${CZ_SCENARIO_DIR}"
    "${repo}/target/debug/chuangzheng" demo --small --out "${CZ_SCENARIO_DIR}" \
      --commands "${CZ_SCENARIO_DIR}/commands.jsonl" >/dev/null
  fi
fi

cd "${here}"
export PYTHONPATH="${here}${PYTHONPATH:+:${PYTHONPATH}}"
export PYTHONDONTWRITEBYTECODE=1
exec python3 -X dev -m unittest discover --start-directory tests --top-level-directory tests "$@"
