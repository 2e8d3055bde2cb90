#!/usr/bin/env bash
# images.sh system|app|rebuild: builds images as docker-archive tarballs without a
# daemon (cmd/imagepack), then
#   system: imports them into the cluster's containerd: the sandbox
#           (pause), CoreDNS, local-path-provisioner and its busybox helper;
#           cached by version. Imported because the node needs them before
#           anything could pull (the sandbox image) and kube-system holds no
#           registry credentials: the substrate, not the release.
#   app:    pushes them to the release registry (up.sh; TLS and an
#           account), each digest reference into $OUT/digests/NAME, which
#           deploy.sh deploys by: the cluster pulls what it runs by digest,
#           as production does.
#           Every shipshape image is built from this checkout the way
#           deploy/docker/*.Dockerfile build them: the same static Go
#           binaries (/service, the gateway's /gateway), the same standalone storefront and Node
#           version (/app), PostgreSQL, Patroni and pgBackRest from the same
#           Debian package list plus the same dbagent. How each runs (user,
#           working directory, environment, entrypoint, command, ports) is
#           read from its Dockerfile (imagepack -dockerfile), not restated.
#   rebuild: builds the app images again, the storefront from an empty
#           web/.next, and pushes them under the tag "rebuild", digests
#           into $OUT/rebuild-digests: a release is reproducible when they
#           equal the first ones (test/cluster/reproducible_test.go). The Go
#           packages come from the build cache (Go's compiler is
#           reproducible; the link and the packing run again) and the
#           PostgreSQL root file system from its cached tarball.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$STATE/images
DOCKER=$REPO/deploy/docker
IMAGEPACK=$BIN/imagepack
SOCK=$(node_socket 1)
mkdir -p "$OUT" "$BIN" "$BUILD/images"

pack() { "$IMAGEPACK" "$@" >/dev/null; }

TAG=dev
DIGESTS=$OUT/digests

# publish NAME ARCHIVE: pushes an app image to the release registry as
# $TAG and keeps the reference by digest the registry serves it under.
publish() {
	mkdir -p "$DIGESTS"
	"$BIN/registryctl" push -ca "$PKI/registry-ca.crt" -user "$REGISTRY_USER" -password-file "$PKI/registry.password" \
		"$2" "$REGISTRY/shipshape/$1:$TAG" >"$DIGESTS/$1"
}

build_imagepack() {
	static_go_build -o "$IMAGEPACK" ./cmd/imagepack
}

system_images() {
	local base
	mapfile -t base < <(static_base_args "$OUT/etc")
	local cached=$BUILD/images
	local pause_bin=$OUT/pause
	static_go_build -ldflags="-s -w" -o "$pause_bin" ./cmd/pause
	pack -tag shipshape.local/pause:1 -out "$OUT/pause.tar" -file "$pause_bin=/pause" -user 65535:65535 -entrypoint /pause

	local coredns=$cached/coredns-$CLUSTER_BUILD.tar
	[[ -f $coredns ]] || pack -tag "shipshape.local/coredns:$COREDNS_VERSION" -out "$coredns" \
		-file "$BUILD/$CLUSTER_BUILD/coredns=/coredns" "${base[@]}" -user 65532:65532 -entrypoint /coredns

	local lpp=$cached/local-path-provisioner-$CLUSTER_BUILD.tar
	[[ -f $lpp ]] || pack -tag "shipshape.local/local-path-provisioner:$LOCAL_PATH_VERSION" -out "$lpp" \
		-file "$BUILD/$CLUSTER_BUILD/local-path-provisioner=/usr/bin/local-path-provisioner" \
		"${base[@]}" -user 65532:65532 -entrypoint /usr/bin/local-path-provisioner

	# Debian's static busybox: the provisioner's helper pods and the
	# network-policy probes run its sh, mkdir, rm, nc and wget.
	local bbver
	bbver=$(dpkg-query -W -f='${Version}' busybox-static | tr -c 'A-Za-z0-9.\n-' '_')
	local busybox=$OUT/busybox.tar links=() applet
	for applet in sh mkdir rmdir rm chmod chown ls cat echo sleep test true nc nslookup wget id; do
		links+=(-symlink "/bin/$applet=busybox")
	done
	pack -tag "shipshape.local/busybox:$bbver" -out "$busybox" -file /bin/busybox=/bin/busybox "${links[@]}" "${base[@]}"

	printf '%s\n' "$OUT/pause.tar" "$coredns" "$lpp" "$busybox" >"$OUT/system-images"
	echo "shipshape.local/busybox:$bbver" >"$OUT/busybox.tag"
	import_system_images "$SOCK" >"$OUT/busybox.ref"
}

go_images() {
	local svc base
	mapfile -t base < <(static_base_args "$OUT/etc")
	# storefront-smoke: the blue-green release's smoke journey, packed as
	# the services are (service.Dockerfile)
	local cmds=(identity catalog cart orders storefront-smoke)
	# dbagent goes into the PostgreSQL image (postgres_image)
	static_go_build -ldflags "-s -w -X github.com/shipshape-dev/shipshape/internal/platform/version.Version=dev" \
		-o "$OUT/go/" "${cmds[@]/#/./cmd/}" ./cmd/gateway ./cmd/dbagent
	for svc in "${cmds[@]}"; do
		pack -tag "shipshape/$svc:dev" -out "$OUT/$svc.tar" -file "$OUT/go/$svc=/service" \
			"${base[@]}" -dockerfile "$DOCKER/service.Dockerfile"
		publish "$svc" "$OUT/$svc.tar"
	done
	pack -tag shipshape/gateway:dev -out "$OUT/gateway.tar" -file "$OUT/go/gateway=/gateway" \
		"${base[@]}" -dir /etc/krakend:0755:0:0 -dockerfile "$DOCKER/gateway.Dockerfile"
	publish gateway "$OUT/gateway.tar"
}

web_image() {
	"$REPO/scripts/web-build.sh" >/dev/null
	local app=$OUT/web-app libs=() lib
	rm -rf "$app"
	cp -a "$REPO/web/.next/standalone" "$app"
	rm -rf "$app/.next/cache"
	# node's shared libraries, as the slim image has them
	for lib in $(ldd "$(command -v node)" | grep -o '/[^ ]*'); do
		libs+=(-file "$lib=$lib:0755")
	done
	printf 'root:x:0:0:root:/root:/sbin/nologin\nweb:x:10001:10001::/app:/usr/sbin/nologin\n' >"$OUT/web-passwd"
	printf 'root:x:0:\nweb:x:10001:\n' >"$OUT/web-group"
	pack -tag shipshape/web:dev -out "$OUT/web.tar" -file "$(command -v node)=/usr/local/bin/node" "${libs[@]}" \
		-file "$OUT/web-passwd=/etc/passwd:0644" -file "$OUT/web-group=/etc/group:0644" -dir /tmp:1777:0:0 \
		-tree "$app=/app" -dir /app/.next/cache:0755:10001:10001 -dockerfile "$DOCKER/web.Dockerfile"
	publish web "$OUT/web.tar"
}

# The PostgreSQL root file system comes from Debian's repositories (the
# host's apt sources) with mmdebstrap, cached by the package list.
postgres_image() {
	local list=$REPO/deploy/docker/postgres.packages
	local key
	# Bump the recipe number when the mmdebstrap command below changes.
	key=$( (cat "$list"; echo recipe-2) | sha256sum | cut -c1-12)
	local rootfs=$BUILD/images/postgres-rootfs-$key.tar
	if [[ ! -f $rootfs ]]; then
		phase "building the PostgreSQL root file system with mmdebstrap (first time only)"
		local sources=() f
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
			[[ -s $f ]] && sources+=("$f")
		done
		# As in debian:bookworm-slim: no documentation or manual pages; no
		# device nodes in the layer (the runtime provides /dev). The user is
		# written before the packages install, so they own their files by its
		# uid/gid 10002 (as in postgres.Dockerfile).
		# shellcheck disable=SC2016 # the hooks' $1 is mmdebstrap's, expanded when it runs them
		mmdebstrap --quiet --variant=minbase --include="$(grep -v '^#' "$list" | paste -sd, -)" \
			--skip=output/dev \
			--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
			--dpkgopt='path-exclude=/usr/share/locale/*' \
			--essential-hook='echo "postgres:x:10002:10002:PostgreSQL administrator:/var/lib/postgresql:/bin/bash" >>"$1/etc/passwd"' \
			--essential-hook='echo "postgres:x:10002:" >>"$1/etc/group"' \
			--essential-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.d/shipshape.conf"' \
			--customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
			bookworm "$rootfs.tmp.tar" "${sources[@]}"
		mv "$rootfs.tmp.tar" "$rootfs"
	fi
	pack -tag shipshape/postgres:dev -out "$OUT/postgres.tar" -base "$rootfs" \
		-file "$OUT/go/dbagent=/usr/local/bin/dbagent:0755" -dockerfile "$DOCKER/postgres.Dockerfile"
	publish postgres "$OUT/postgres.tar"
}

build_imagepack
case ${1:-} in
system) system_images ;;
app | rebuild)
	if [[ $1 == rebuild ]]; then
		TAG=rebuild DIGESTS=$OUT/rebuild-digests
		rm -rf "$DIGESTS" "$REPO/web/.next"
	fi
	go_images
	phase "images: Go services pushed"
	web_image
	phase "images: storefront pushed"
	postgres_image
	phase "images: PostgreSQL pushed"
	;;
*) die "usage: images.sh system|app|rebuild" ;;
esac
