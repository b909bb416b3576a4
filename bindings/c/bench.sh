#!/usr/bin/env bash
# Builds the release library and bindings/c/bench.c, and runs the bench (see bench.c).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --lib
gcc -std=c11 -O2 -Wall -Wextra -Werror -Iinclude bindings/c/bench.c -Ltarget/release -lchuangzheng -o target/c-bench
LD_LIBRARY_PATH=target/release target/c-bench
