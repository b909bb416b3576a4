#!/usr/bin/env bash
# Every shell block (```sh) of every binding's README, run as written, in order, from the
# repository's root: what a newcomer would type. `$HOME` is a scratch directory (so the C
# README's `$HOME/.local` install lands there) and `python3` a fresh venv's (so the Python
# README's `pip install` does); cargo and rustup keep their own homes. Files the blocks leave in
# the checkout (the C example's programs, the demo's files) are removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
scratch="$(mktemp -d)"
made=(example example-static commands.jsonl demo)
for f in "${made[@]}"; do
  if [[ -e "${f}" ]]; then
    echo "readme commands: ${repo}/${f} exists already; the C README would overwrite it" >&2
    exit 1
  fi
done
cleanup() {
  rm -rf "${scratch}"
  (cd "${repo}" && rm -rf "${made[@]}")
}
trap cleanup EXIT

python3 -m venv "${scratch}/venv"
export RUSTUP_HOME="${RUSTUP_HOME:-${HOME}/.rustup}" CARGO_HOME="${CARGO_HOME:-${HOME}/.cargo}"
export HOME="${scratch}/home" PATH="${scratch}/venv/bin:${PATH}"
mkdir -p "${HOME}"
unset CZ_LIB_DIR CHUANGZHENG_LIB

for readme in bindings/c/README.md bindings/python/README.md bindings/java/README.md; do
  n=0
  while IFS= read -r -d '' block; do
    n=$((n + 1))
    echo "== ${readme}, shell block ${n}"
    printf '%s\n' "${block%$'\n'}" | sed 's/^/   $ /'
    if ! (cd "${repo}" && bash -euo pipefail -c "${block}") >"${scratch}/out" 2>&1; then
      tail -n 30 "${scratch}/out" >&2
      echo "readme commands: ${readme}, shell block ${n} failed (its output above)" >&2
      exit 1
    fi
  done < <(python3 - "${readme}" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for block in re.findall(r"^```sh\n(.*?)^```$", text, re.S | re.M):
    sys.stdout.write(block + "\0")
EOF
  )
  [[ ${n} -gt 0 ]] || { echo "readme commands: ${readme} has no shell block" >&2; exit 1; }
done
echo "readme commands: every shell block of the three binding READMEs ran as written"
