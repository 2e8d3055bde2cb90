#!/bin/sh
# release-images.sh VERSION: pins production to released images by digest.
# Run by the release job after the images of VERSION are pushed; commit the
# result (deploy/kubernetes/apps/production/release/kustomization.yaml).
#
#   REGISTRY=ghcr.io/acme scripts/release-images.sh 1.4.0
#
# For each shipshape image (the gateway too: production runs shipshape's
# build, docs/adr/0017) it asks the registry for the digest of
# $REGISTRY/shipshape/<name>:VERSION. Then it writes
# name:tag@sha256:... with `kustomize edit set image`. The digest is the
# image index's, so every platform of a multi-arch image is covered. Needs
# registry access (crane reads docker credentials); nothing here invents a
# digest, and deploy/policies refuses production images without one.
# RELEASE_DIR (absolute, or relative to the repository root) pins another
# kustomization instead, e.g. deploy/kubernetes/apps/staging
# (scripts/promote.sh).
set -eu

if [ $# -ne 1 ]; then
	echo "usage: [REGISTRY=host/org] $0 VERSION" >&2
	exit 2
fi
version=$1
root=$(cd "$(dirname "$0")/.." && pwd)
release=${RELEASE_DIR:-deploy/kubernetes/apps/production/release}
case $release in
/*) ;;
*) release=$root/$release ;;
esac
REPO_ROOT=$root . "$root/scripts/go-toolchain.sh"
tool() { (cd "$root" && go tool -modfile=tools/go.mod "$@"); }
# kustomize edits the kustomization in its working directory, which may lie
# outside the module (a copy): its binary, built from the module's root
kustomize=$(tool -n kustomize)

prefix=${REGISTRY:+$REGISTRY/}
pin() { # pin NAME REFERENCE: set NAME to REFERENCE@digest in the release component
	digest=$(tool crane digest "$2")
	case $digest in
	sha256:????????????????????????????????????????????????????????????????) ;;
	*) echo "release-images: $2: unexpected digest \"$digest\"" >&2; exit 1 ;;
	esac
	(cd "$release" && "$kustomize" edit set image "$1=$2@$digest")
	echo "release-images: $1 -> $2@$digest"
}

for service in identity catalog cart orders web gateway postgres storefront-smoke; do
	pin "shipshape/$service" "${prefix}shipshape/$service:$version"
done
