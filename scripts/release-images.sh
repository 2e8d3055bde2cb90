#!/bin/sh
# release-images.sh VERSION: pins production to released images by digest.
# Run by the release job after the images of VERSION are pushed; commit the
# result (deploy/kubernetes/apps/production/release/kustomization.yaml).
#
#   REGISTRY=ghcr.io/acme scripts/release-images.sh 1.4.0
#
# For each shipshape image it asks the registry for the digest of
# $REGISTRY/shipshape/<name>:VERSION; for the third-party image (KrakenD)
# the digest of the tag already pinned there. Then it writes
# name:tag@sha256:... with `kustomize edit set image`. The digest is the
# image index's, so every platform of a multi-arch image is covered. Needs
# registry access (crane reads docker credentials); nothing here invents a
# digest, and deploy/policies refuses production images without one.
# RELEASE_DIR (relative to the repository root) pins another kustomization
# instead, e.g. deploy/kubernetes/apps/staging (scripts/promote.sh).
set -eu

if [ $# -ne 1 ]; then
	echo "usage: [REGISTRY=host/org] $0 VERSION" >&2
	exit 2
fi
version=$1
root=$(cd "$(dirname "$0")/.." && pwd)
release=$root/${RELEASE_DIR:-deploy/kubernetes/apps/production/release}
REPO_ROOT=$root . "$root/scripts/go-toolchain.sh"
tool() { go tool -modfile="$root/tools/go.mod" "$@"; }

prefix=${REGISTRY:+$REGISTRY/}
pin() { # pin NAME REFERENCE: set NAME to REFERENCE@digest in the release component
	digest=$(tool crane digest "$2")
	case $digest in
	sha256:????????????????????????????????????????????????????????????????) ;;
	*) echo "release-images: $2: unexpected digest \"$digest\"" >&2; exit 1 ;;
	esac
	(cd "$release" && tool kustomize edit set image "$1=$2@$digest")
	echo "release-images: $1 -> $2@$digest"
}

for service in identity catalog cart orders web postgres; do
	pin "shipshape/$service" "${prefix}shipshape/$service:$version"
done
# The third-party image keeps its pinned tag; only the digest is added.
name=devopsfaith/krakend
tag=$(awk -v n="$name" '$0 ~ "name: "n"$" {found=1; next} found && /newTag:/ {print $2; exit}' "$release/kustomization.yaml")
if [ -z "$tag" ]; then
	echo "release-images: no tag pinned for $name in $release/kustomization.yaml" >&2
	exit 1
fi
pin "$name" "$name:$tag"
