#!/usr/bin/env bash
# Builds the Java binding and runs its tests (JDK 17+, JNA from Debian's libjna-java).
#   CZ_LIB_DIR       the directory holding libchuangzheng.so (default: <repo>/target/debug)
#   CZ_SCENARIO_DIR  commands.jsonl and report.json (default: <repo>/target/bindings-scenario,
#                    generated with target/debug/chuangzheng when missing)
#   JNA_JAR          the JNA jar (default: /usr/share/java/jna.jar)
# Classes go to <repo>/target/java-binding; nothing is written in bindings/java.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"

export CZ_LIB_DIR="${CZ_LIB_DIR:-${repo}/target/debug}"
export CZ_SCENARIO_DIR="${CZ_SCENARIO_DIR:-${repo}/target/bindings-scenario}"
export CZ_REPO="${repo}"
jna="${JNA_JAR:-/usr/share/java/jna.jar}"
out="${repo}/target/java-binding"

if [[ ! -f "${jna}" ]]; then
  echo "JNA not found at ${jna}: apt-get install libjna-java" >&2
  exit 1
fi
if [[ ! -f "${CZ_LIB_DIR}/libchuangzheng.so" ]]; then
  echo "libchuangzheng.so not found in ${CZ_LIB_DIR}: cargo build --lib" >&2
  exit 1
fi
if [[ ! -f "${CZ_SCENARIO_DIR}/commands.jsonl" || ! -f "${CZ_SCENARIO_DIR}/report.json" ]]; then
  echo "== generating the scenario in ${CZ_SCENARIO_DIR}"
  "${repo}/target/debug/chuangzheng" demo --small --out "${CZ_SCENARIO_DIR}" \
    --commands "${CZ_SCENARIO_DIR}/commands.jsonl" >/dev/null
fi

echo "== javac (binding and tests) into ${out}"
rm -rf "${out}"
mkdir -p "${out}/classes"
javac -Xlint:all -Werror -encoding UTF-8 -d "${out}/classes" -cp "${jna}" \
  $(find "${here}/src/main/java" "${here}/src/test/java" -name '*.java')

classpath="${out}/classes:${jna}"
echo "== java cn.chuangzheng.BindingTest"
java -ea -Dfile.encoding=UTF-8 -cp "${classpath}" cn.chuangzheng.BindingTest

# Again with an ASCII default charset and the C locale: strings must still cross as UTF-8.
echo "== java cn.chuangzheng.BindingTest (LC_ALL=C, file.encoding=US-ASCII)"
LC_ALL=C java -ea -Dfile.encoding=US-ASCII -cp "${classpath}" cn.chuangzheng.BindingTest
