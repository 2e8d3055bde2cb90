#!/usr/bin/env bash
# build.sh OUT: the collector builder at VERSION generates the collector's
# main from builder.yaml and compiles it (static, stripped) into
# OUT/otelcol-shipshape. Called by addons.sh build with MODULE and VERSION.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
GOBIN=$out/tools go install "$MODULE@$VERSION"
sed "s#OUTPUT_PATH#$out/src#" "$here/builder.yaml" >"$out/builder.yaml"
CGO_ENABLED=0 "$out/tools/builder" --config "$out/builder.yaml"
mv "$out/src/otelcol-shipshape" "$out/otelcol-shipshape"
rm -rf "$out/src" "$out/tools" "$out/builder.yaml"
