#!/usr/bin/env bash
# Builds chuangzheng.jar (build_jar.sh) and tests it as a user gets it: the example and the
# binding's tests compiled against the jar only, run from an empty temporary directory with no
# variable or property that tells the loader where the library is, so only the bundled one can
# load.
#   CZ_JAR_LIB       the libchuangzheng.so to bundle (required, see build_jar.sh)
#   CZ_SCENARIO_DIR  commands.jsonl, report.json and report.txt (default:
#                    <repo>/target/bindings-scenario, generated with target/debug/chuangzheng
#                    when missing)
#   JNA_JAR          the JNA jar (default: /usr/share/java/jna.jar)
# Writes in <repo>/target/java-jar and a temporary directory; nothing in bindings/java.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
jna="$(realpath "${JNA_JAR:-/usr/share/java/jna.jar}")"
scenario="$(realpath -m "${CZ_SCENARIO_DIR:-${repo}/target/bindings-scenario}")"
jar="${repo}/target/java-jar/chuangzheng.jar"

"${here}/build_jar.sh"

if [[ ! -f "${scenario}/commands.jsonl" || ! -f "${scenario}/report.txt" ]]; then
  echo "== generating the scenario in ${scenario}"
  "${repo}/target/debug/chuangzheng" demo --small --out "${scenario}" \
    --commands "${scenario}/commands.jsonl" >/dev/null
fi

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
cd "${tmp}"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# Every place the loader looks, except the jar: none may help.
clean=(env -u CZ_LIB_DIR -u LD_LIBRARY_PATH -u JAVA_TOOL_OPTIONS -u JDK_JAVA_OPTIONS)

echo "== the jar holds the library and the crate's version"
jar tf "${jar}" >entries
grep -qx 'linux-x86-64/libchuangzheng.so' entries || fail "no linux-x86-64/libchuangzheng.so in the jar"
grep -qx 'cn/chuangzheng/Campaign.class' entries || fail "no Campaign.class in the jar"
! grep -q 'Test' entries || fail "test classes in the jar: $(grep Test entries)"
unzip -p "${jar}" META-INF/MANIFEST.MF | tr -d '\r' >manifest
version="$(awk '/^\[/ { p = ($0 == "[package]") } p && /^version *=/ { gsub(/^version *= *"|".*$/, ""); print; exit }' \
           "${repo}/Cargo.toml")"
grep -qx "Implementation-Version: ${version}" manifest || fail "manifest: $(cat manifest)"
grep -qx 'Automatic-Module-Name: cn.chuangzheng' manifest || fail "manifest: $(cat manifest)"

echo "== the README's Java under \"## Example\" is examples/Example.java's, line for line"
awk '/^## Example/ { e = 1 } e && /^```java/ { j = 1; next } j && /^```/ { exit } j' \
  "${here}/README.md" >snippet
[[ -s snippet ]] || fail "no java block under ## Example in README.md"
while IFS= read -r line; do
  grep -qxF -- "${line}" "${here}/examples/Example.java" || fail "README line not in Example.java: ${line}"
done <snippet

echo "== examples/Example.java against the jar, run with no CZ_LIB_DIR"
mkdir example-classes
javac -Xlint:all -Werror -encoding UTF-8 -d example-classes -cp "${jar}:${jna}" \
  "${here}/examples/Example.java"
"${clean[@]}" java -cp "${jar}:${jna}:example-classes" Example "${scenario}/commands.jsonl" >out
records="$(grep -c . "${scenario}/commands.jsonl")"
head -1 out | grep -q "^recorded ${records} commands, latest date " \
  || fail "summary line: '$(head -1 out)', expected ${records} records"
sed -n 2p out | grep -q ' 阶段点评报告$' || fail "title line: '$(sed -n 2p out)'"
# After the title (the campaign's name differs), the report is the scenario's byte for byte.
diff <(tail -n +3 out) <(tail -n +2 "${scenario}/report.txt") >/dev/null \
  || fail "the report differs from ${scenario}/report.txt"
# The same in the C locale: the example prints UTF-8 whatever the locale.
LC_ALL=C "${clean[@]}" java -cp "${jar}:${jna}:example-classes" Example "${scenario}/commands.jsonl" >out-c
cmp -s out out-c || fail "the output differs under LC_ALL=C"
echo "ok    $(head -1 out)"

echo "== Example without arguments: usage, exit 2"
set +e
"${clean[@]}" java -cp "${jar}:${jna}:example-classes" Example >/dev/null 2>usage
rc=$?
set -e
[[ ${rc} -eq 2 ]] && grep -q '^usage: java Example' usage || fail "exit ${rc}: $(cat usage)"

echo "== a wrong CZ_LIB_DIR is the only place tried, and the error says so in both languages"
set +e
CZ_LIB_DIR="${tmp}/nowhere" java -cp "${jar}:${jna}:example-classes" Example \
  "${scenario}/commands.jsonl" >/dev/null 2>error
rc=$?
set -e
[[ ${rc} -ne 0 ]] || fail "loaded with CZ_LIB_DIR=${tmp}/nowhere"
grep -q "无法加载.*环境变量 CZ_LIB_DIR.*${tmp}/nowhere/libchuangzheng.so" error \
  && grep -q "could not load.*the environment variable CZ_LIB_DIR, ${tmp}/nowhere/libchuangzheng.so" error \
  || fail "error: $(head -3 error)"
! grep -q 'class-path resource' error || fail "the bundled library was tried after an explicit CZ_LIB_DIR"

echo "== cn.chuangzheng.BindingTest against the jar, run with no CZ_LIB_DIR"
mkdir test-classes
javac -Xlint:all -Werror -encoding UTF-8 -d test-classes -cp "${jar}:${jna}" \
  $(find "${here}/src/test/java" -name '*.java')
# The test classes sit in cn.chuangzheng beside the jar's; the sources are not on any path.
[[ ! -e test-classes/cn/chuangzheng/Campaign.class ]] || fail "the binding was compiled from source"
"${clean[@]}" CZ_REPO="${repo}" CZ_SCENARIO_DIR="${scenario}" \
  java -ea -Dfile.encoding=UTF-8 -cp "${jar}:${jna}:test-classes" cn.chuangzheng.BindingTest
