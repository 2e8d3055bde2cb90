#!/usr/bin/env bash
# Installs the storefront's pinned npm packages (npm ci, when the lockfile
# changed) and builds it (next build + standalone launcher, when a source
# changed). Leaves web/.next/standalone ready for `node start.js`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/web-lib.sh
web_require_node
cd web
export NEXT_TELEMETRY_DISABLED=1

lock_sum=$(cat package.json package-lock.json | sha256sum | cut -c1-64)
if [[ ! -f node_modules/.shipshape-lock || $(cat node_modules/.shipshape-lock) != "$lock_sum" ]]; then
  npm ci --no-audit --no-fund
  echo "$lock_sum" >node_modules/.shipshape-lock
fi

# Every file but tests, build output and dependencies decides whether to rebuild.
src_sum=$(find . \( -path ./node_modules -o -path ./.next -o -path ./.test-build -o -path ./e2e \) -prune -o \
  -type f ! -name next-env.d.ts ! -name '*.tsbuildinfo' ! -name '*.test.ts' ! -name '*-tests.mjs' -print0 |
  sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)
if [[ -f .next/standalone/start.js && -f .next/shipshape-build && $(cat .next/shipshape-build) == "$src_sum" ]]; then
  echo "storefront build is up to date"
  exit 0
fi
npm run --silent build
echo "$src_sum" >.next/shipshape-build
