#!/usr/bin/env bash
# The stage report as a workbook, and the templates clerks fill. The demo city's journal is
# reported through the Python binding and the command-line tool as .xlsx, read back with
# openpyxl and checked cell by cell against the JSON report, then converted to PDF by
# LibreOffice (headless) and its pages, titles and text checked (tests/xlsx/check_workbook.py);
# every kind's template is read back and checked (tests/xlsx/check_templates.py). Needs the
# debug library and binary built; installs LibreOffice Calc (no GUI), poppler's PDF tools and a
# CJK font from Debian, and openpyxl from PyPI into target/, when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v libreoffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || need+=(fonts-wqy-microhei)
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  sudo_=""
  [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
openpyxl_dir="$PWD/target/python-openpyxl"
if ! PYTHONPATH="${openpyxl_dir}" python3 -c "import openpyxl" 2>/dev/null; then
  echo "installing openpyxl (PyPI) into ${openpyxl_dir}"
  python3 -m pip install --quiet --disable-pip-version-check --target "${openpyxl_dir}" openpyxl==3.1.5
fi

out=target/xlsx-check
rm -rf "$out"
target/debug/chuangzheng demo --out "$out/demo" >/dev/null
CZ_BIN="$PWD/target/debug/chuangzheng" CZ_LIB_DIR="$PWD/target/debug" \
  PYTHONPATH="$PWD/bindings/python:${openpyxl_dir}" \
  python3 tests/xlsx/check_workbook.py "$out/demo/journal.jsonl" "$out"
PYTHONPATH="${openpyxl_dir}" python3 tests/xlsx/check_templates.py \
  "$out/demo/journal.jsonl" "$out/templates" "$PWD/target/debug/chuangzheng"
