#!/usr/bin/env bash
# Browser tests of the storefront against the whole local stack, started
# the way `make run` starts it (devstack: PostgreSQL, the services, the
# gateway and the standalone storefront) but with a throw-away data
# directory and its own PostgreSQL port, so a developer's data is never
# touched. Everything started here is stopped on exit, also on failure.
# Screenshots land in test-results/web/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/web-lib.sh
. scripts/go-toolchain.sh

web_ensure_chromium
make --no-print-directory -s build
scripts/web-build.sh

tmp=$(mktemp -d)
log=test-results/web/devstack.log
mkdir -p test-results/web
rm -f test-results/web/*.png
cleanup() {
  web_stack_stop
  # PostgreSQL ran as postgres: its files may not be ours to remove otherwise.
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pgport=$(web_free_port 55432)
webport=$(web_free_port 3100)
echo "starting the stack (PostgreSQL :$pgport, storefront :$webport; log: $log)"
started=$SECONDS
web_runtime_copy "$tmp/storefront"
web_stack_start "$tmp/data" "$pgport" "$webport" "$log" "$tmp/storefront"
echo "stack ready in $((SECONDS - started)) s"

E2E_BASE_URL="http://127.0.0.1:$webport" \
  E2E_API_URL="http://127.0.0.1:$(.bin/devstack -ports | cut -d" " -f1)/api/v1" \
  E2E_BIN_DIR=.bin \
  E2E_PG_PORT="$pgport" \
  E2E_SCREENSHOTS=test-results/web \
  E2E_STANDALONE="$tmp/storefront" \
  node web/scripts/e2e-tests.mjs
