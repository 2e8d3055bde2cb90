#!/usr/bin/env bash
# Storefront benchmarks (`make bench-web`): starts the whole local stack as
# scripts/web-e2e.sh does, measures the home page and a product page (200
# requests each, after a warm-up) and the JavaScript of the home page, and
# rewrites the storefront section of docs/benchmarks.md (between its
# storefront markers; scripts/bench.sh keeps that section when it rewrites
# the rest of the file).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/web-lib.sh
. scripts/go-toolchain.sh
requests="${BENCH_REQUESTS:-200}"

make --no-print-directory -s build
scripts/web-build.sh

tmp=$(mktemp -d)
trap 'web_stack_stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
pgport=$(web_free_port 55432)
webport=$(web_free_port 3100)
web_runtime_copy "$tmp/storefront"
web_stack_start "$tmp/data" "$pgport" "$webport" "$tmp/devstack.log" "$tmp/storefront"

json=$(node web/scripts/bench.mjs "http://127.0.0.1:$webport" "$requests")
echo "$json"
field() { node -e 'const o=JSON.parse(process.argv[1]); console.log(process.argv[2].split(".").reduce((v,k)=>v[k],o))' "$json" "$1"; }
kb() { awk -v b="$(field "$1")" 'BEGIN { printf "%.1f", b / 1024 }'; }
verdict() { awk -v v="$1" -v limit="$2" 'BEGIN { print (v < limit) ? "met" : "NOT met" }'; }
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')

section=$(mktemp)
cat >"$section" <<MD
<!-- storefront:begin -->
## Storefront (web; \`make bench-web\`)

Measured by \`make bench-web\` (scripts/web-bench.sh and web/scripts/bench.mjs), which
starts the whole local stack as \`make run\` does (PostgreSQL, the four services, the
gateway (cmd/gateway), the standalone Next.js server) and rewrites this section. A client
on the same machine requests each page $requests times one after another, after 20
warm-up requests; times are from sending the request to reading the whole
(uncompressed) HTML, for a visitor who is not signed in. Catalog data comes from the
storefront's data cache (listings 60 s, products 10 s), so these are cached catalog
pages.

- Date: $(date -u +%Y-%m-%d)
- Machine: $(nproc) cores ($cpu), shared with the stack; Node $(node --version), Next.js $(node -p 'require("./web/node_modules/next/package.json").version')

| page | median | p95 | max | target |
|---|---:|---:|---:|---|
| home \`/\` | $(field home.medianMs) ms | $(field home.p95Ms) ms | $(field home.maxMs) ms | p95 under 100 ms ($(verdict "$(field home.p95Ms)" 100)) |
| product \`/product/storm-lantern\` | $(field product.medianMs) ms | $(field product.p95Ms) ms | $(field product.maxMs) ms | p95 under 100 ms ($(verdict "$(field product.p95Ms)" 100)) |

| JavaScript of the home page | value | target |
|---|---:|---|
| script files (fetched by current browsers) | $(field js.files) | |
| gzipped (gzip -6) | $(kb js.gzipBytes) KB | under 150 KB ($(verdict "$(kb js.gzipBytes)" 150)) |
| uncompressed | $(kb js.rawBytes) KB | |
| inline page data (React Server Components payload), gzipped | $(kb js.inlineGzipBytes) KB | |
| legacy polyfills (\`nomodule\`, fetched only by browsers without modules), gzipped | $(kb js.legacyGzipBytes) KB | not counted above |
<!-- storefront:end -->
MD

doc=docs/benchmarks.md
if grep -q '^<!-- storefront:begin -->$' "$doc"; then
  # Replace the old section with the new one.
  awk -v new="$section" '
    /^<!-- storefront:begin -->$/ { while ((getline line < new) > 0) print line; skip = 1; next }
    /^<!-- storefront:end -->$/ { skip = 0; next }
    !skip { print }
  ' "$doc" >"$tmp/doc" && cat "$tmp/doc" >"$doc"
else
  { echo; cat "$section"; } >>"$doc"
fi
rm -f "$section"
echo "wrote the storefront section of $doc"
