#!/bin/sh
# flatten-settings.sh ENV OUTDIR: copy settings/common/*.json and
# settings/ENV/*.json into OUTDIR, the one flat directory KrakenD CE's
# FC_SETTINGS reads (only Enterprise reads nested settings directories).
# internal/gateway/krakend merges the same way; a file name in both places
# is an error, never a silent override. POSIX sh: it also runs inside the
# KrakenD image (busybox).
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 development|staging|production OUTDIR" >&2
	exit 2
fi
env=$1
out=$2
settings=$(cd "$(dirname "$0")" && pwd)/settings

if [ ! -d "$settings/$env" ] || [ "$env" = common ]; then
	echo "flatten-settings: no settings for environment \"$env\"" >&2
	exit 2
fi

mkdir -p "$out"
rm -f "$out"/*.json
for file in "$settings/common"/*.json "$settings/$env"/*.json; do
	[ -e "$file" ] || continue
	name=$(basename "$file")
	if [ -e "$out/$name" ]; then
		echo "flatten-settings: $name is in both settings/common and settings/$env" >&2
		exit 1
	fi
	cp "$file" "$out/$name"
done
# The KrakenD image runs as its own user (uid 1000): keep everything readable.
chmod 755 "$out"
chmod 644 "$out"/*.json
