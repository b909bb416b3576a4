#!/usr/bin/env bash
# The C library as a host installs it: scripts/install-c.sh into a temporary prefix, the layout
# checked (SONAME, links, stripped library with its debug info beside it, no bitcode in the
# archive, the header byte for byte), then bindings/c/example.c built with pkg-config alone,
# against the shared library and against the archive, and run on the scenario's commands.
#   CZ_SCENARIO_DIR  holds commands.jsonl (default: <repo>/target/bindings-scenario)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
scenario="${CZ_SCENARIO_DIR:-${repo}/target/bindings-scenario}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
prefix="${work}/prefix"
fail() {
  echo "install test: $*" >&2
  exit 1
}

scripts/install-c.sh "${prefix}"
lib="${prefix}/lib"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"

echo "== the installed layout"
readelf -d "${lib}/libchuangzheng.so.${version}" | grep -q 'SONAME.*\[libchuangzheng.so.0\]' ||
  fail "no SONAME libchuangzheng.so.0"
[[ "$(readlink "${lib}/libchuangzheng.so.0")" == "libchuangzheng.so.${version}" ]] ||
  fail "libchuangzheng.so.0 does not point at libchuangzheng.so.${version}"
[[ "$(readlink "${lib}/libchuangzheng.so")" == "libchuangzheng.so.0" ]] ||
  fail "libchuangzheng.so does not point at libchuangzheng.so.0"
cmp -s include/chuangzheng.h "${prefix}/include/chuangzheng.h" ||
  fail "the installed header differs from include/chuangzheng.h"
if readelf -S -W "${lib}/libchuangzheng.so.${version}" | grep -q '\.debug_info'; then
  fail "the shared library is not stripped"
fi
readelf -S -W "${lib}/libchuangzheng.so.${version}" | grep -q '\.gnu_debuglink' ||
  fail "the shared library does not link to its debug info"
readelf -S -W "${lib}/debug/libchuangzheng.so.${version}.debug" | grep -q '\.debug_info' ||
  fail "the debug info file holds no debug info"
if readelf -S -W "${lib}/libchuangzheng.a" | grep -q -E '\.llvmbc|\.debug_info'; then
  fail "the archive still holds bitcode or debug info"
fi

echo "== bindings/c/example.c through pkg-config: shared, then static"
export PKG_CONFIG_PATH="${lib}/pkgconfig"
cd "${work}"
# shellcheck disable=SC2046 # pkg-config's output is words by design
cc "${repo}/bindings/c/example.c" $(pkg-config --cflags --libs chuangzheng) \
  -Wl,-rpath,"$(pkg-config --variable=libdir chuangzheng)" -o example
# shellcheck disable=SC2046
cc "${repo}/bindings/c/example.c" $(pkg-config --cflags --libs chuangzheng-static) \
  -o example-static
ldd ./example | grep -q "libchuangzheng.so.0 => ${lib}/libchuangzheng.so.0" ||
  fail "the example does not load the installed libchuangzheng.so.0"
if ldd ./example-static | grep -q libchuangzheng; then
  fail "the static example loads libchuangzheng dynamically"
fi
./example "${scenario}/commands.jsonl" >shared.txt 2>/dev/null
./example-static "${scenario}/commands.jsonl" >static.txt 2>/dev/null
head -n 1 shared.txt | grep -q '阶段点评报告' || fail "the report's title is missing"
cmp -s shared.txt static.txt || fail "the shared and static examples print different reports"
echo "C install: SONAME, layout, pkg-config shared and static: all passed"
