#!/usr/bin/env bash
# Renders the demo's stage report (report.html) in headless Chromium, to a PNG screenshot, to
# the DOM as the browser built it, and to a PDF as printed, and checks them: the PNG's size and
# that its text and three charts were drawn (tests/html/check_png.py); the visible text as an
# official signs it: full-width punctuation, no figure key, no English, every direct subordinate
# listed (tests/html/check_text.py); the PDF's pages. Needs the debug binary built; installs
# Debian's chromium and a CJK font when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || need+=(fonts-wqy-microhei)
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  sudo_=""
  [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

out=target/html-check
rm -rf "$out"
target/debug/chuangzheng demo --out "$out" >/dev/null
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars
  --user-data-dir="$profile")
page="file://$PWD/$out/report.html"
"${chrome[@]}" --window-size=1000,4200 --screenshot="$out/report.png" "$page" 2>/dev/null
python3 tests/html/check_png.py "$out/report.png" 1000 4200
"${chrome[@]}" --dump-dom "$page" >"$out/report.dom.html" 2>/dev/null
python3 tests/html/check_text.py "$out/report.dom.html" "$out/report.json"
"${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "$page" 2>/dev/null
pages=$(grep -ac "/Type /Page\b" "$out/report.pdf" || true)
head -c 5 "$out/report.pdf" | grep -q "%PDF-" || { echo "report.pdf is not a PDF" >&2; exit 1; }
if [ "${pages}" -lt 2 ]; then
  echo "report.pdf: expected the report to print on several A4 pages, found ${pages}" >&2
  exit 1
fi
echo "report.pdf: ${pages} pages"
