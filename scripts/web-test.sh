#!/usr/bin/env bash
# Everything `make test` checks of the storefront: lint, type check, unit
# tests, then the browser tests against the whole local stack.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/web-build.sh
cd web
echo "== web: lint"
npm run --silent lint
echo "== web: type check"
npm run --silent typecheck
echo "== web: unit tests"
npm run --silent test:unit
cd ..
echo "== web: browser tests"
scripts/web-e2e.sh
