#!/usr/bin/env bash
# krakend-check.sh [ENV...]: run the real KrakenD's `check` (syntax, routes
# on a real gin router, lint against its embedded schema) on the flexible
# configuration of each environment (default: all three). Needs Docker; the
# static Go checks (`go run ./cmd/gateway-config check`) need nothing.
set -euo pipefail

# Pinned: bump together with the schema URL in gateway/config/templates/krakend.tmpl.
KRAKEND_IMAGE=${KRAKEND_IMAGE:-devopsfaith/krakend:2.13.1}

root=$(cd "$(dirname "$0")/.." && pwd)
config=$root/gateway/config
envs=("$@")
if [ ${#envs[@]} -eq 0 ]; then
	envs=(development staging production)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for env in "${envs[@]}"; do
	echo "== krakend check: $env ($KRAKEND_IMAGE)"
	# KrakenD CE reads one flat settings directory: merge common + env.
	sh "$config/flatten-settings.sh" "$env" "$work/$env"
	chmod 755 "$work"
	docker run --rm \
		-v "$config:/etc/krakend/config:ro" \
		-v "$work/$env:/etc/krakend/settings:ro" \
		-e FC_ENABLE=1 \
		-e FC_SETTINGS=/etc/krakend/settings \
		-e FC_TEMPLATES=/etc/krakend/config/templates \
		-e FC_PARTIALS=/etc/krakend/config/partials \
		-e FC_OUT=/tmp/krakend.json \
		"$KRAKEND_IMAGE" \
		check --test-gin-routes --lint --debug --config /etc/krakend/config/templates/krakend.tmpl
done
