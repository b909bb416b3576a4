#!/usr/bin/env bash
# The Spark rollup (examples/spark/rollup.py) run with spark-submit in local mode, local[2],
# over a demo province's four city journals, checked against the command-line tool's figures of
# the same cities read from the province's own journal; then a run with a corrupted shard and a
# missing one, which must fail naming both, with their codes.
#   CZ_LIB_DIR      directory holding libchuangzheng.so    (default: <repo>/target/debug)
#   CZ_BIN          the chuangzheng binary                 (default: <repo>/target/debug/chuangzheng)
#   CZ_PYSPARK_DIR  where pyspark is installed             (default: <repo>/target/python-pyspark;
#                   installed there from PyPI when missing, about 350 MB)
#   CZ_WHEEL        the wheel to ship with --py-files       (default: an archive made here of
#                   bindings/python/chuangzheng and the CZ_LIB_DIR library, laid out as the wheel)
#   JAVA_HOME       detected from `java` on PATH when unset (Java 17)
# Build first: cargo build --lib -p chuangzheng && cargo build -p chuangzheng-cli
# The job gets the binding as a cluster would: --py-files, an archive holding chuangzheng/ and
# its library, with CZ_LIB_DIR, CHUANGZHENG_LIB and the source tree out of the environment.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
PYSPARK_VERSION=3.5.9
started=${SECONDS}

lib_dir="${CZ_LIB_DIR:-${repo}/target/debug}"
bin="${CZ_BIN:-${repo}/target/debug/chuangzheng}"
pyspark_dir="${CZ_PYSPARK_DIR:-${repo}/target/python-pyspark}"
work="${repo}/target/spark-test"
for f in "${lib_dir}/libchuangzheng.so" "${bin}"; do
  if [[ ! -f "${f}" ]]; then
    echo "spark test: ${f} not found: cargo build --lib -p chuangzheng && cargo build -p chuangzheng-cli" >&2
    exit 1
  fi
done

if [[ -z "${JAVA_HOME:-}" ]]; then
  if ! java="$(command -v java)"; then
    echo "spark test: no java on PATH and JAVA_HOME unset: Spark needs Java 17" >&2
    exit 1
  fi
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "${java}")")")"
fi
export JAVA_HOME

if ! PYTHONPATH="${pyspark_dir}" python3 -c "import sys, pyspark; sys.exit(pyspark.__version__ != '${PYSPARK_VERSION}')" 2>/dev/null; then
  echo "spark test: installing pyspark==${PYSPARK_VERSION} into ${pyspark_dir}"
  rm -rf "${pyspark_dir}" "${pyspark_dir}.partial"
  python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --root-user-action=ignore --target "${pyspark_dir}.partial" "pyspark==${PYSPARK_VERSION}"
  mv "${pyspark_dir}.partial" "${pyspark_dir}"
fi
export SPARK_HOME="${pyspark_dir}/pyspark"

rm -rf "${work}"
mkdir -p "${work}/single"
"${bin}" demo --province 4 --small --out "${work}/shards" >/dev/null 2>&1
cities=()
for journal in "${work}"/shards/*.city.jsonl; do
  name="$(basename "${journal}" .jsonl)"
  cities+=("${name}")
  echo "${name}.jsonl" >>"${work}/shards/cities.txt"
done
[[ ${#cities[@]} -eq 4 ]] || { echo "spark test: expected 4 city journals, found ${cities[*]}" >&2; exit 1; }

# What --py-files ships: chuangzheng/ and its library, laid out as the wheel lays them out
# (stored, not compressed: a debug library is large and this is local). Named .zip: Spark puts
# only .zip, .egg and .jar files of --py-files on the executors' sys.path, not a .whl.
archive="${work}/chuangzheng-binding.zip"
if [[ -n "${CZ_WHEEL:-}" ]]; then
  cp "${CZ_WHEEL}" "${archive}"
else
  python3 - "${repo}/bindings/python/chuangzheng" "${lib_dir}/libchuangzheng.so" "${archive}" <<'EOF'
import pathlib, sys, zipfile
package, library, archive = map(pathlib.Path, sys.argv[1:])
with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
    for f in sorted(package.iterdir()):
        if f.suffix == ".py" or f.name == "py.typed":
            z.write(f, f"chuangzheng/{f.name}")
    z.write(library, "chuangzheng/libchuangzheng.so")
EOF
fi

# Spark's own INFO lines off: warnings and errors only.
cat >"${work}/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader
logger.hadoop.level = error
EOF

# The job, as on a cluster: nothing of the source tree or the library's variables around it.
submit() {
  env -u CZ_LIB_DIR -u CHUANGZHENG_LIB PYTHONPATH="${pyspark_dir}" SPARK_LOCAL_IP=127.0.0.1 \
    "${SPARK_HOME}/bin/spark-submit" --master 'local[2]' \
    --conf spark.ui.enabled=false \
    --driver-java-options "-Dlog4j2.configurationFile=file:${work}/log4j2.properties" \
    --py-files "${archive}" \
    "${here}/rollup.py" "$@"
}

title="全省"
t0=${SECONDS}
echo "spark test: the rollup of ${cities[*]} on local[2]"
submit --title "${title}" --out "${work}/spark" "@${work}/shards/cities.txt"
echo "spark test: the job took $((SECONDS - t0)) s"

# The single machine: each city's figures from the province's own journal, merged; its report;
# the province root's figures; the text report of the Spark figures.
scoped=()
for city in "${cities[@]}"; do
  "${bin}" figures "${work}/shards/province.jsonl" --scope "${city}" --out "${work}/single/${city}.json" 2>/dev/null
  scoped+=("${work}/single/${city}.json")
done
"${bin}" merge "${scoped[@]}" --out "${work}/single/merged.json"
"${bin}" report --figures "${work}/single/merged.json" --format json --out "${work}/single/merged-report.json"
"${bin}" figures "${work}/shards/province.jsonl" --out "${work}/single/root.json" 2>/dev/null
"${bin}" report --figures "${work}/spark/figures.json" --format text --out "${work}/single/report.txt"
python3 "${here}/check.py" "${work}/spark" "${work}/single" "${title}" "${cities[@]}"
# And the same journals on one machine, merged in one go: the same bytes as the tree reduce.
own=()
for city in "${cities[@]}"; do
  "${bin}" figures "${work}/shards/${city}.jsonl" --out "${work}/single/own-${city}.json" 2>/dev/null
  own+=("${work}/single/own-${city}.json")
done
"${bin}" merge "${own[@]}" --title "${title}" --out "${work}/single/own-merged.json"
if ! cmp "${work}/single/own-merged.json" "${work}/spark/figures.json"; then
  echo "spark test: figures.json is not \`chuangzheng merge\` of the cities' own figures, byte for byte" >&2
  exit 1
fi
echo "check: figures.json is \`chuangzheng merge --title\` of the cities' own figures, byte for byte"

# A failed shard: one city's journal with a record altered (4005), and one that is not there
# (4001). The job exits 1, naming each with its code; the good shards are not named.
mkdir -p "${work}/bad"
cp "${work}"/shards/*.city.jsonl "${work}/bad/"
corrupt="${work}/bad/${cities[1]}.jsonl"
missing="${work}/bad/k999.city.jsonl"
python3 - "${corrupt}" <<'EOF'
import sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
lines[3] = lines[3].replace('"name":"', '"name":"改', 1)   # a record's name altered
assert "改" in lines[3], lines[3][:200]
open(path, "w", encoding="utf-8").write("\n".join(lines))
EOF
echo "spark test: the rollup with ${corrupt} altered and ${missing} missing"
status=0
submit --title "${title}" --out "${work}/spark-bad" "${work}"/bad/*.city.jsonl "${missing}" \
  >"${work}/bad.out" 2>&1 || status=$?
failed=0
if [[ ${status} -ne 1 ]]; then
  echo "spark test: a corrupted shard: exit status ${status}, not 1" >&2
  failed=1
fi
for want in "${corrupt} (on " "[4005]" "${missing} (on " "[4001]" "hash does not match" "校验失败"; do
  if ! grep -qF -- "${want}" "${work}/bad.out"; then
    echo "spark test: the failure does not say: ${want}" >&2
    failed=1
  fi
done
if grep -qF "${cities[0]}.jsonl (on " "${work}/bad.out" || [[ -e "${work}/spark-bad/figures.json" ]]; then
  echo "spark test: a good shard reported failed, or figures written despite the failures" >&2
  failed=1
fi
if [[ ${failed} -ne 0 ]]; then
  cat "${work}/bad.out" >&2
  exit 1
fi
grep -A2 -F "${corrupt} (on " "${work}/bad.out" | sed 's/^/spark test:   /'
echo "spark test: passed in $((SECONDS - started)) s"
