#!/usr/bin/env bash
# The C binding's tests: the example and every C test compiled against include/chuangzheng.h
# with -Werror, linked dynamically and statically, run; then the tests again under valgrind
# (memcheck: no errors, no definite or indirect leaks). Needs `cargo build --lib` done and the
# scenario (CZ_SCENARIO_DIR, default target/bindings-scenario) generated; installs valgrind when
# missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

lib=${CZ_LIB_DIR:-target/debug}
export CZ_SCENARIO_DIR=${CZ_SCENARIO_DIR:-target/bindings-scenario}
out=target/c-binding
mkdir -p "$out"
cflags=(-std=c11 -Wall -Wextra -Werror -Iinclude)
# What the static library needs besides it (rustc --print native-static-libs).
static_libs=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)

for t in smoke abi_test threads_test checkpoint_test rollup_test; do
  gcc "${cflags[@]}" "bindings/c/tests/$t.c" -L"$lib" -lchuangzheng -lpthread -o "$out/$t"
  gcc "${cflags[@]}" "bindings/c/tests/$t.c" "$lib/libchuangzheng.a" "${static_libs[@]}" -o "$out/$t-static"
done
gcc "${cflags[@]}" bindings/c/example.c -L"$lib" -lchuangzheng -o "$out/example"
gcc "${cflags[@]}" -O2 bindings/c/bench.c -L"$lib" -lchuangzheng -o "$out/bench" # compiles; run by bench.sh

for t in smoke abi_test threads_test checkpoint_test rollup_test; do
  echo "-- $t (dynamic)"
  LD_LIBRARY_PATH="$lib" "$out/$t"
  echo "-- $t (static)"
  "$out/$t-static"
done
echo "-- example"
LD_LIBRARY_PATH="$lib" "$out/example" "$CZ_SCENARIO_DIR/commands.jsonl" 2010-10-31 >"$out/example.txt"
cmp "$out/example.txt" "$CZ_SCENARIO_DIR/report.txt" # the text the Rust tool wrote

if ! command -v valgrind >/dev/null 2>&1; then
  sudo_=""
  [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q valgrind >/dev/null
fi
for t in abi_test threads_test checkpoint_test rollup_test; do
  echo "-- $t under valgrind"
  LD_LIBRARY_PATH="$lib" valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    "$out/$t"
done
echo "C binding: all tests passed"
