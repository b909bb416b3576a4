#!/usr/bin/env bash
# Builds the wheel and runs the binding's tests against it installed in a fresh venv.
#   CZ_WHEEL_LIB     the libchuangzheng.so to bundle (required; CI: the stripped release build)
#   CZ_SCENARIO_DIR  commands.jsonl, report.json, ...  (default: <repo>/target/bindings-scenario)
#   CZ_WHEEL_OUT     where the wheel and venv/ go       (default: <repo>/target/python-wheel)
# Offline but for pip fetching hatchling into its isolated build environment. The tests run
# from an empty directory with CZ_LIB_DIR and CHUANGZHENG_LIB unset and CZ_TEST_INSTALLED=1,
# so that the package and library they use are the venv's (tests/support.py and
# tests/test_install.py check it). Extra arguments go to unittest (-v, -k install). Exits
# non-zero on failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
out="${CZ_WHEEL_OUT:-${repo}/target/python-wheel}"
mkdir -p "${out}"
out="$(cd "${out}" && pwd)"

if [[ -z "${CZ_WHEEL_LIB:-}" ]]; then
  echo "CZ_WHEEL_LIB is not set: the libchuangzheng.so to bundle (e.g. target/release/libchuangzheng.so)" >&2
  exit 1
fi
if [[ ! -f "${CZ_WHEEL_LIB}" ]]; then
  echo "CZ_WHEEL_LIB=${CZ_WHEEL_LIB}: no such file" >&2
  exit 1
fi
# Absolute: pip runs the build in bindings/python, not here.
export CZ_WHEEL_LIB="$(cd "$(dirname "${CZ_WHEEL_LIB}")" && pwd)/$(basename "${CZ_WHEEL_LIB}")"
export CZ_SCENARIO_DIR="${CZ_SCENARIO_DIR:-${repo}/target/bindings-scenario}"
if [[ ! -f "${CZ_SCENARIO_DIR}/commands.jsonl" || ! -f "${CZ_SCENARIO_DIR}/report.json" ]]; then
  echo "${CZ_SCENARIO_DIR}: no commands.jsonl or report.json (bindings/python/run_tests.sh generates it)" >&2
  exit 1
fi

rm -f "${out}"/chuangzheng-*.whl
echo "building the wheel with ${CZ_WHEEL_LIB} into ${out}"
python3 -m pip wheel --quiet --no-deps --wheel-dir "${out}" "${here}"
wheels=("${out}"/chuangzheng-*.whl)
if [[ ${#wheels[@]} -ne 1 || ! -f "${wheels[0]}" ]]; then
  echo "expected one wheel in ${out}, found: ${wheels[*]}" >&2
  exit 1
fi

echo "installing $(basename "${wheels[0]}") into a fresh venv, ${out}/venv"
python3 -m venv --clear "${out}/venv"
"${out}/venv/bin/python" -m pip install --quiet --no-index --no-deps "${wheels[0]}"

# An empty directory: neither the source tree nor the repository is on sys.path.
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cd "${work}"
env -u CZ_LIB_DIR -u CHUANGZHENG_LIB -u PYTHONPATH CZ_TEST_INSTALLED=1 PYTHONDONTWRITEBYTECODE=1 \
  "${out}/venv/bin/python" -X dev -m unittest discover \
  --start-directory "${here}/tests" --top-level-directory "${here}/tests" "$@"
