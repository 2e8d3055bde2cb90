#!/usr/bin/env bash
# Regenerates everything from api/ into a scratch copy and compares it with
# the committed files, so a proto change without `make generate` fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r api buf.yaml buf.gen.yaml go.mod go.sum scripts tools "$scratch"/
(cd "$scratch" && scripts/generate.sh >/dev/null)
if ! diff -r -q api "$scratch/api"; then
  echo "generated files are stale: run 'make generate' and commit the result" >&2
  diff -r -u api "$scratch/api" | head -40 >&2 || true
  exit 1
fi
echo "generated files are up to date"
