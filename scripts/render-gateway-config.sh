#!/bin/sh
# render-gateway-config.sh: writes deploy/kubernetes/apps/gateway-config/
# <settings>/krakend.json, the KrakenD configuration rendered from
# gateway/config, once per settings set the clusters use (make
# manifests-generate). test/manifests fails when a committed file differs
# from the rendering. The development and staging overlays share the
# staging settings (backends are the in-cluster Services); gateway/config's
# development settings are make run's (backends on 127.0.0.1) and are
# rendered at run time, never committed.
set -eu
cd "$(dirname "$0")/.."
. scripts/go-toolchain.sh

for settings in staging production; do
	out=deploy/kubernetes/apps/gateway-config/$settings/krakend.json
	CGO_ENABLED=0 go run -trimpath -exec 'env -u CGO_ENABLED' ./cmd/gateway-config render -env "$settings" -out "$out"
	echo "render-gateway-config: $out"
done
