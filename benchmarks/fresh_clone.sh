#!/usr/bin/env bash
# Time the README's two commands on a fresh clone of this repository's HEAD and write
# benchmarks/fresh_clone.md (shown on the book's reproducibility page).
#
#   bash benchmarks/fresh_clone.sh            # clone into a temporary folder
#
# `make book` on a fresh clone creates .venv from the lock, runs the seed sweep and
# builds the site; `make test` then runs the whole suite (its seed sweep and build
# start again, the environment is reused). Set CI=true to make missing browsers fail.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$root" "$work/synthbio"
cd "$work/synthbio"

timed() {  # timed NAME COMMAND...: run, print and remember its wall time in seconds
  local start end
  start=$(date +%s)
  "${@:2}" > "$work/$1.log" 2>&1 || { tail -40 "$work/$1.log"; echo "$1 failed" >&2; exit 1; }
  end=$(date +%s)
  echo "$1: $((end - start)) s" >&2
  eval "t_$1=$((end - start))"
}
timed book make book
timed test make test
passed=$(grep -Eo '[0-9]+ passed' "$work/test.log" | tail -1)

cat > "$root/benchmarks/fresh_clone.md" <<MD
# Fresh clone timings

| command | wall time | what it does from a fresh clone |
| --- | ---: | --- |
| \`make book\` | $((t_book / 60)) min $((t_book % 60)) s | creates \`.venv\` from the lock, runs the seed sweep, builds the site |
| \`make test\` | $((t_test / 60)) min $((t_test % 60)) s | lint, seed sweep, strict build, unit tests, notebooks and browser test ($passed) |

Measured $(date -u +%Y-%m-%d) on $(nproc) cores, commit $(git rev-parse --short HEAD).
MD
cat "$root/benchmarks/fresh_clone.md"
