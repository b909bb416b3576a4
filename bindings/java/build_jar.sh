#!/usr/bin/env bash
# Builds chuangzheng.jar (the binding, with libchuangzheng.so inside as the JNA resource
# linux-x86-64/libchuangzheng.so) and chuangzheng-sources.jar, with plain javac and jar.
#   CZ_JAR_LIB  the libchuangzheng.so to bundle (required; e.g. target/release/libchuangzheng.so)
#   JNA_JAR     the JNA jar to compile against (default: /usr/share/java/jna.jar); not bundled:
#               run with -cp chuangzheng.jar:<jna.jar>
# Output in <repo>/target/java-jar; nothing is written in bindings/java. The version in the
# manifest is the crate's, read from Cargo.toml.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
jna="${JNA_JAR:-/usr/share/java/jna.jar}"
out="${repo}/target/java-jar"

lib="${CZ_JAR_LIB:-}"
if [[ -z "${lib}" ]]; then
  echo "CZ_JAR_LIB is not set: give the libchuangzheng.so to bundle," >&2
  echo "  e.g. CZ_JAR_LIB=target/debug/libchuangzheng.so $0 (cargo build --lib first)" >&2
  exit 1
fi
if [[ ! -f "${lib}" ]]; then
  echo "CZ_JAR_LIB=${lib}: no such file (cargo build --lib first)" >&2
  exit 1
fi
# ELF magic, 64-bit little-endian, e_machine 0x3e (x86-64): the only platform bundled here.
if [[ "$(od -An -tx1 -N20 "${lib}" | tr -d ' \n')" != 7f454c460201*3e00 ]]; then
  echo "CZ_JAR_LIB=${lib}: not an x86-64 ELF shared library (the jar bundles it as linux-x86-64)" >&2
  exit 1
fi
if [[ ! -f "${jna}" ]]; then
  echo "JNA not found at ${jna}: apt-get install libjna-java" >&2
  exit 1
fi

# The [package] table's version: the crate's, so the jar never says another one.
version="$(awk '/^\[/ { in_package = ($0 == "[package]") }
                in_package && /^version *=/ { gsub(/^version *= *"|".*$/, ""); print; exit }' \
           "${repo}/Cargo.toml")"
if [[ ! "${version}" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  echo "no version found in the [package] table of ${repo}/Cargo.toml (got '${version}')" >&2
  exit 1
fi

echo "== chuangzheng.jar ${version} into ${out}, bundling ${lib}"
rm -rf "${out}"
mkdir -p "${out}/classes/linux-x86-64"
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -d "${out}/classes" -cp "${jna}" \
  $(find "${here}/src/main/java" -name '*.java')
# JNA's Platform.RESOURCE_PREFIX on x86-64 Linux; LibraryLoader asks for this path.
cp "${lib}" "${out}/classes/linux-x86-64/libchuangzheng.so"

cat >"${out}/MANIFEST.MF" <<EOF
Implementation-Title: chuangzheng
Implementation-Version: ${version}
Automatic-Module-Name: cn.chuangzheng
EOF
jar --create --file "${out}/chuangzheng.jar" --manifest "${out}/MANIFEST.MF" -C "${out}/classes" .
jar --create --file "${out}/chuangzheng-sources.jar" --manifest "${out}/MANIFEST.MF" \
  -C "${here}/src/main/java" .
ls -l "${out}"/*.jar
