#!/usr/bin/env bash
# addons.sh build|images|apply|crds [name...]: the cluster add-ons of
# deploy/addons (docs/adr/0019-cluster-add-ons.md). Without names it works
# on every add-on (every folder with an addon.env); their order does not
# matter (CRDs are all applied before any manifest).
#   build:  builds each add-on's binaries from its pinned Go module once per
#           version into $CACHE/addons/<name>-<version>/ (a temporary name
#           first, renamed when complete: an interrupted build never leaves
#           a half-filled entry).
#   images: packs each add-on's images with cmd/imagepack (cached beside
#           the binaries) and imports them into the test cluster's
#           containerd under the names its manifests use.
#   apply:  applies every add-on's upstream CRDs, read from the pinned
#           module in the Go module cache, server-side (some are too large
#           for a client-side apply's annotation), waits until they are
#           established, then applies each add-on's manifests (its
#           kustomization), server-side too.
#   crds:   only the CRDs, as apply does them: what the apps' monitoring
#           objects need when the add-ons themselves do not run.
#   manifests: only the manifests, as apply does them (after crds).
# ADDONS_COMPONENTS (directories, space-separated) are Kustomize components
# rendered with the manifests: a cluster's own settings, such as the
# addresses of test/cluster/egress.
#
# Each add-on is a folder with addon.env, sourced by bash:
#   MODULE, VERSION   the Go module and its exact version
#   PACKAGES=(...)    main packages, relative to the module root, built in
#                     one `go build` of a copy of the module whose local
#                     replace directives are dropped
#   IMAGES=(...)      name=binary:path-in-image; the image is name:VERSION
#   IMAGE_USER        uid:gid the images run as (>= 10000 or 65534)
#   CRDS=(...)        CRD files inside the module (globs allowed)
#   TAGS=(...)        build tags for the default build
#   BUILD_INPUTS=(...) files of the folder build.sh reads besides addon.env
#   TOOLS=(...)       built binaries an operator runs on their own machine
#                     (a kubectl plugin); images links them into the test
#                     cluster's bin directory, on the tests' PATH
#   prepare()         optional function, run in the module's copy before
#                     the default build (e.g. a placeholder for assets the
#                     module zip does not hold)
# A build.sh beside addon.env replaces the default build: it is run with
# the output directory as its argument and addon.env's variables exported.
# An add-on whose MODULE is this repository's own module (the compliance
# report) is built from this checkout on every build, not cached by
# version: Go's build cache makes an unchanged one quick, and its images
# always hold the checkout's code.
set -euo pipefail
ADDONS=$(cd "$(dirname "$0")" && pwd)
. "$ADDONS/../../test/cluster/lib.sh"
# GOWORK=off: a module may ship a go.work (Prometheus does), which would
# refuse -mod=mod.
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOWORK=off

ADDON_CACHE=$CACHE/addons

# load reads one add-on's recipe into the environment of a subshell.
load() {
	local dir=$ADDONS/$1
	[[ -f $dir/addon.env ]] || die "addons: no add-on $1 (no $dir/addon.env)"
	MODULE='' VERSION='' PACKAGES=() IMAGES=() IMAGE_USER=65534:65534 CRDS=() TAGS=() BUILD_INPUTS=() TOOLS=()
	unset -f prepare
	# shellcheck source=/dev/null
	. "$dir/addon.env"
	[[ -n $MODULE && -n $VERSION ]] || die "addons: $1/addon.env sets no MODULE or VERSION"
	# The cache key is the version and a digest of what the build and the
	# images are made from (tags, a placeholder, build.sh, builder.yaml),
	# so that a changed recipe is built anew, and a changed comment or
	# selection flag (ALWAYS, DEFAULT) is not.
	local recipe=() f
	[[ -f $dir/build.sh ]] && recipe+=(build.sh)
	for f in "${BUILD_INPUTS[@]}"; do recipe+=("$f"); done
	OUT=$ADDON_CACHE/$1-$VERSION-$({
		printf '%s\n' "$MODULE" "$VERSION" "${PACKAGES[*]}" "${TAGS[*]}" "${IMAGES[*]}" "$IMAGE_USER"
		declare -f prepare || true
		((${#recipe[@]} == 0)) || (cd "$dir" && cat "${recipe[@]}")
	} | sha256sum | cut -c1-12)
	LOCAL=false
	[[ $MODULE == "$(sed -n 's/^module[[:space:]]\{1,\}//p' "$REPO/go.mod")" ]] && LOCAL=true
	export MODULE VERSION
}

# local_build builds PACKAGES from this checkout.
local_build() {
	static_go_build -ldflags="-s -w" -o "$1/" "${PACKAGES[@]}"
}

# moddir prints the directory of MODULE@VERSION in the module cache,
# downloading it the first time.
moddir() {
	local dir
	dir=$(cd "$REPO" && go mod download -json "$MODULE@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[[ -d $dir ]] || die "addons: could not download $MODULE@$VERSION"
	echo "$dir"
}

# default_build copies the module (the cache is read-only), drops its
# replace directives by relative path and builds PACKAGES.
default_build() {
	local out=$1 src=$1/src dir r
	dir=$(moddir) || return 1
	cp -r "$dir" "$src" && chmod -R u+w "$src" || return 1
	# Replaces by a relative path name the module's own nested modules,
	# which its zip does not hold; the required releases stand in for them.
	local relative
	mapfile -t relative < <(sed -n 's#^[[:space:]]*\(replace[[:space:]]\{1,\}\)\{0,1\}\([^[:space:](]\{1,\}\)\([[:space:]]\{1,\}v[^[:space:]]*\)\{0,1\}[[:space:]]*=>[[:space:]]*\.\{1,2\}/.*#\2#p' "$src/go.mod")
	for r in "${relative[@]}"; do
		(cd "$src" && go mod edit -dropreplace "$r") || return 1
	done
	if declare -F prepare >/dev/null; then
		(cd "$src" && prepare) || return 1
	fi
	local tags
	tags=$(IFS=,; echo "${TAGS[*]}")
	(cd "$src" && go build -mod=mod -trimpath -tags="$tags" -ldflags="-s -w" -o "$out/" "${PACKAGES[@]}") || return 1
	rm -rf "$src"
}

build_one() {
	load "$1"
	mkdir -p "$ADDON_CACHE"
	# One build of an add-on at a time on this machine (several worktrees
	# share the cache); a second caller waits and then finds it cached.
	exec 9>"$OUT.lock"
	flock 9
	if [[ -d $OUT ]] && ! $LOCAL; then
		phase "addons: cached  $1 $VERSION"
		return
	fi
	rm -rf "$OUT.tmp"
	mkdir -p "$OUT.tmp"
	if $LOCAL; then
		phase "addons: build   $1 from this checkout"
	else
		phase "addons: build   $1 $VERSION (first time only; log in $OUT.tmp.log)"
	fi
	# Every step of a build returns its failure explicitly: set -e does not
	# apply inside a function whose status is tested.
	local ok=true
	if $LOCAL; then
		local_build "$OUT.tmp" >"$OUT.tmp.log" 2>&1 || ok=false
	elif [[ -x $ADDONS/$1/build.sh ]]; then
		"$ADDONS/$1/build.sh" "$OUT.tmp" >"$OUT.tmp.log" 2>&1 || ok=false
	else
		default_build "$OUT.tmp" >"$OUT.tmp.log" 2>&1 || ok=false
	fi
	if $ok; then
		local spec bin
		for spec in "${IMAGES[@]}"; do
			bin=${spec#*=}
			[[ -x $OUT.tmp/${bin%%:*} ]] || { echo "no binary ${bin%%:*} after the build" >>"$OUT.tmp.log"; ok=false; }
		done
	fi
	if ! $ok; then
		tail -n 30 "$OUT.tmp.log" >&2
		die "addons: building $1 failed"
	fi
	rm -rf "$OUT"
	mv "$OUT.tmp" "$OUT"
	rm -f "$OUT.tmp.log"
	phase "addons: built   $1 $VERSION"
}

images_one() {
	load "$1"
	[[ -d $OUT ]] || die "addons: $1 $VERSION is not built (addons.sh build $1)"
	exec 9>"$OUT.lock"
	flock 9
	local base spec name bin path tar sock
	mapfile -t base < <(static_base_args "$OUT/etc")
	for spec in "${IMAGES[@]}"; do
		name=${spec%%=*} bin=${spec#*=}
		path=${bin#*:} bin=${bin%%:*}
		tar=$OUT/images/${name//\//_}.tar
		if [[ ! -f $tar ]]; then
			mkdir -p "$OUT/images"
			"$BIN/imagepack" -tag "$name:$VERSION" -out "$tar.tmp" -file "$OUT/$bin=$path" \
				"${base[@]}" -user "$IMAGE_USER" -entrypoint "$path" >/dev/null
			mv "$tar.tmp" "$tar"
		fi
		# into every node: the manifests never pull them
		while IFS= read -r sock; do
			ctr -a "$sock" -n k8s.io images import --no-unpack=false "$tar" >/dev/null
		done < <(node_sockets)
	done
	local tool
	for tool in "${TOOLS[@]}"; do
		[[ -x $OUT/$tool ]] || die "addons: $1 built no tool $tool"
		ln -sf "$OUT/$tool" "$BIN/$tool"
	done
	phase "addons: images  $1 $VERSION imported${TOOLS:+, tools in $BIN: ${TOOLS[*]}}"
}

# established waits until a CRD is served. Right after the apply its
# status can still be empty, which kubectl wait refuses at once ("accessor
# error") instead of waiting: retried until a minute has passed.
established() {
	local deadline=$((SECONDS + 60))
	until kubectl wait --for=condition=Established "$1" --timeout=60s >/dev/null 2>&1; do
		((SECONDS < deadline)) || die "addons: $1 is not established after a minute"
		sleep 1
	done
}

apply_one() {
	load "$1"
	((${#CRDS[@]})) || return 0
	local dir glob f name
	dir=$(moddir)
	for glob in "${CRDS[@]}"; do
		for f in "$dir"/$glob; do
			[[ -f $f ]] || die "addons: $1: no CRD file $f"
			# a file may hold several CRDs (the VPA's two)
			for name in $(kubectl apply --server-side --force-conflicts --field-manager=shipshape-addons -f "$f" -o name); do
				established "$name"
			done
		done
	done
	phase "addons: CRDs    $1 $VERSION applied"
}

# apply_manifests renders the named add-ons as one kustomization, so that
# kustomize orders the objects (Namespaces and RBAC before the workloads
# that need them) across add-ons, e.g. alertmanager's objects live in the
# namespace prometheus-operator's folder creates.
apply_manifests() {
	local tmp rel n
	tmp=$(mktemp -d)
	# kustomize takes only relative paths to other directories.
	rel=$(realpath --relative-to="$tmp" "$ADDONS")
	{
		echo "apiVersion: kustomize.config.k8s.io/v1beta1"
		echo "kind: Kustomization"
		echo "resources:"
		for n in "$@"; do echo "- $rel/$n"; done
		if [[ -n ${ADDONS_COMPONENTS:-} ]]; then
			echo "components:"
			for n in $ADDONS_COMPONENTS; do echo "- $(realpath --relative-to="$tmp" "$n")"; done
		fi
	} >"$tmp/kustomization.yaml"
	tool kustomize build "$tmp" >"$tmp/all.yaml" || { rm -rf "$tmp"; die "addons: rendering $* failed"; }
	kubectl apply --server-side --force-conflicts --field-manager=shipshape-addons -f "$tmp/all.yaml" >/dev/null || { rm -rf "$tmp"; die "addons: applying $* failed"; }
	rm -rf "$tmp"
	phase "addons: applied $*"
}

cmd=${1:-}
shift || true
names=("$@")
if ((${#names[@]} == 0)); then
	for f in "$ADDONS"/*/addon.env; do
		f=${f%/addon.env}
		names+=("${f##*/}")
	done
fi
case $cmd in
build) for n in "${names[@]}"; do (build_one "$n"); done ;;
images)
	mkdir -p "$BIN"
	static_go_build -o "$BIN/imagepack" ./cmd/imagepack
	for n in "${names[@]}"; do (images_one "$n"); done
	;;
crds) for n in "${names[@]}"; do (apply_one "$n"); done ;;
apply)
	for n in "${names[@]}"; do (apply_one "$n"); done
	apply_manifests "${names[@]}"
	;;
manifests) apply_manifests "${names[@]}" ;;
*) die "usage: addons.sh build|images|apply|crds|manifests [name...]" ;;
esac
