#!/bin/sh
# render-gateway-config.sh: writes each overlay's gateway/krakend.json, the
# KrakenD configuration rendered from gateway/config (make manifests-generate).
# test/manifests fails when a committed file differs from the rendering.
# development renders the staging settings: gateway/config's development
# settings are make run's (backends on 127.0.0.1), the staging ones name the
# in-cluster Services.
set -eu
cd "$(dirname "$0")/.."
. scripts/go-toolchain.sh

overlays=deploy/kubernetes/apps
for pair in development:staging staging:staging production:production; do
	overlay=${pair%%:*}
	settings=${pair#*:}
	mkdir -p "$overlays/$overlay/gateway"
	go run ./cmd/gateway-config render -env "$settings" -out "$overlays/$overlay/gateway/krakend.json"
	echo "render-gateway-config: $overlays/$overlay/gateway/krakend.json ($settings settings)"
done
