#!/usr/bin/env bash
# Installs the storefront's pinned npm packages (npm ci, when the lockfile
# changed) and builds it (next build + standalone launcher, when a source
# changed). Leaves web/.next/standalone ready for `node start.js`.
# Reproducible: the build is named by the commit (SHIPSHAPE_BUILD_ID) and
# the keys Next would generate come from a secret (SHIPSHAPE_BUILD_SECRET_FILE,
# web/scripts/build-keys.mjs): a release passes its own; otherwise one made
# once per machine under the cache directory. The same commit and secret
# give the same .next/standalone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/web-lib.sh
web_require_node
cd web
export NEXT_TELEMETRY_DISABLED=1
if [[ -z ${SHIPSHAPE_BUILD_ID:-} ]] && commit=$(git rev-parse HEAD 2>/dev/null); then
  export SHIPSHAPE_BUILD_ID=$commit
fi
if [[ -z ${SHIPSHAPE_BUILD_SECRET_FILE:-} ]]; then
  SHIPSHAPE_BUILD_SECRET_FILE=${SHIPSHAPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape}/web-build.secret
  if [[ ! -s $SHIPSHAPE_BUILD_SECRET_FILE ]]; then
    mkdir -p "$(dirname "$SHIPSHAPE_BUILD_SECRET_FILE")"
    (umask 077 && head -c 48 /dev/urandom | base64 >"$SHIPSHAPE_BUILD_SECRET_FILE")
  fi
  export SHIPSHAPE_BUILD_SECRET_FILE
fi

lock_sum=$(cat package.json package-lock.json | sha256sum | cut -c1-64)
if [[ ! -f node_modules/.shipshape-lock || $(cat node_modules/.shipshape-lock) != "$lock_sum" ]]; then
  npm ci --no-audit --no-fund
  echo "$lock_sum" >node_modules/.shipshape-lock
fi

# Every file but tests, build output and dependencies, the build id and the
# secret decide whether to rebuild.
src_sum=$(find . \( -path ./node_modules -o -path ./.next -o -path ./.test-build -o -path ./e2e \) -prune -o \
  -type f ! -name next-env.d.ts ! -name '*.tsbuildinfo' ! -name '*.test.ts' ! -name '*-tests.mjs' -print0 |
  sort -z | xargs -0 sha256sum | { cat; echo "build ${SHIPSHAPE_BUILD_ID:-}"; sha256sum "$SHIPSHAPE_BUILD_SECRET_FILE" | cut -c1-64; } |
  sha256sum | cut -c1-64)
# A server run inside the output writes into it (route cache, regenerated
# pages; the scripts run copies): a tree that changed since the build is
# built again, so an image is never packed from a used tree.
tree_sum() {
  [[ -d .next/standalone ]] || return 0
  (cd .next/standalone && find . -path ./.next/cache -prune -o -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)
}
if [[ -f .next/standalone/start.js && -f .next/shipshape-build && $(cat .next/shipshape-build) == "$src_sum $(tree_sum)" ]]; then
  echo "storefront build is up to date"
  exit 0
fi
npm run --silent build
echo "$src_sum $(tree_sum)" >.next/shipshape-build
