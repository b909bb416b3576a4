#!/usr/bin/env bash
# Installs the C library under a prefix, as C hosts expect to find it:
#
#   PREFIX/lib/libchuangzheng.so.X.Y.Z     the shared library, stripped, SONAME libchuangzheng.so.X
#   PREFIX/lib/libchuangzheng.so.X         -> libchuangzheng.so.X.Y.Z
#   PREFIX/lib/libchuangzheng.so           -> libchuangzheng.so.X   (for -lchuangzheng)
#   PREFIX/lib/libchuangzheng.a            the static library, debug info and LLVM bitcode stripped
#   PREFIX/lib/debug/libchuangzheng.so.X.Y.Z.debug   the shared library's debug info (gdb finds
#                                          it through the .gnu_debuglink the library carries)
#   PREFIX/include/chuangzheng.h           the committed header, byte for byte
#   PREFIX/lib/pkgconfig/chuangzheng.pc    for `pkg-config --cflags --libs chuangzheng`
#   PREFIX/lib/pkgconfig/chuangzheng-static.pc   the same, linking the archive: the .so beside it
#                                          would win over `-lchuangzheng --static`
#
# X is the crate's major version: 0 for the whole 0.x ABI, which may break between minor
# versions (CHANGELOG.md says when), so a host linked against 0.x is told apart from a later
# 1.x by its NEEDED entry. Builds the release profile (fat LTO; a few minutes the first time).
#
# Usage: scripts/install-c.sh PREFIX        (DESTDIR is honoured for staged installs)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: scripts/install-c.sh PREFIX" >&2
  exit 2
fi
prefix="$(realpath -m "$1")"
dest="${DESTDIR:-}${prefix}"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
major="${version%%.*}"
soname="libchuangzheng.so.${major}"
real="libchuangzheng.so.${version}"

echo "== building the release library (SONAME ${soname})"
# One rustc run gives the cdylib (linked with the SONAME) and the staticlib; the link argument
# reaches the shared library's link only.
cargo rustc --locked --release -p chuangzheng --lib -- -C "link-arg=-Wl,-soname,${soname}"
built="target/release"
if ! readelf -d "${built}/libchuangzheng.so" | grep -q "SONAME.*\[${soname}\]"; then
  echo "the built library has no SONAME ${soname}" >&2
  exit 1
fi

# What a static link needs beside the archive: the Rust standard library's native libraries,
# as rustc prints them for any static library on this target (the crate adds none of its own).
private="$(echo '' | rustc --crate-type staticlib --crate-name probe -o "$(mktemp -d)/probe.a" \
  --print native-static-libs - 2>&1 | sed -n 's/^note: native-static-libs: //p')"

echo "== installing into ${dest}"
install -d "${dest}/lib/pkgconfig" "${dest}/lib/debug" "${dest}/include"
debug="${dest}/lib/debug/${real}.debug"
objcopy --only-keep-debug "${built}/libchuangzheng.so" "${debug}"
chmod 0644 "${debug}"
objcopy --strip-debug --strip-unneeded --add-gnu-debuglink="${debug}" \
  "${built}/libchuangzheng.so" "${dest}/lib/${real}"
chmod 0755 "${dest}/lib/${real}"
ln -sfn "${real}" "${dest}/lib/${soname}"
ln -sfn "${soname}" "${dest}/lib/libchuangzheng.so"
# The archive's objects carry LLVM bitcode for cross-language LTO (.llvmbc, most of its 70 MB)
# and debug info: hosts link machine code, so both go.
objcopy --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd \
  "${built}/libchuangzheng.a" "${dest}/lib/libchuangzheng.a"
chmod 0644 "${dest}/lib/libchuangzheng.a"
install -m 0644 include/chuangzheng.h "${dest}/include/chuangzheng.h"

cat >"${dest}/lib/pkgconfig/chuangzheng.pc" <<EOF
prefix=${prefix}
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: chuangzheng
Description: The rules of grassroots party-building work (创先争优): pledges, the 123 work method, evaluation and stage-review statistics
Version: ${version}
Libs: -L\${libdir} -lchuangzheng
Libs.private: ${private}
Cflags: -I\${includedir}
EOF
# Beside the shared library, -lchuangzheng finds the .so: a static link names the archive itself.
cat >"${dest}/lib/pkgconfig/chuangzheng-static.pc" <<EOF
prefix=${prefix}
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: chuangzheng-static
Description: chuangzheng, linked statically (the archive and the native libraries it needs)
Version: ${version}
Libs: \${libdir}/libchuangzheng.a ${private}
Cflags: -I\${includedir}
EOF
chmod 0644 "${dest}/lib/pkgconfig/chuangzheng.pc" "${dest}/lib/pkgconfig/chuangzheng-static.pc"

for f in "${real}" libchuangzheng.a; do
  printf '   %-28s %8s bytes\n' "lib/${f}" "$(stat -c %s "${dest}/lib/${f}")"
done
echo "installed chuangzheng ${version}: pkg-config --cflags --libs chuangzheng" \
  "(PKG_CONFIG_PATH=${prefix}/lib/pkgconfig)"
